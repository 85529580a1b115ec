/**
 * Pass 4, accumulators: the gradient of every slice x[a:b] is padded back to full length and summed;
 * instead of padded copies and add passes, one zeroed accumulator receives each term in its sub-range,
 * and each "add into [off, off + len)" can later join the loop that computes its term.
 */
import { type Instr, newValue, rootOf, rowSize, type Tape } from './tape.ts';

/** Uses of every base value by the instructions and the outputs. */
function useCounts(tape: Tape): Map<number, number> {
  const uses = new Map<number, number>();
  const use = (i: number): void => { const b = rootOf(tape, i).base; uses.set(b, (uses.get(b) ?? 0) + 1); };
  for (const ins of tape.instrs) ins.ins.forEach(use);
  tape.outIds.forEach(use);
  return uses;
}

/** An add whose operands all have its output's length (a node of an add tree). */
const isTreeAdd = (tape: Tape, ins: Instr | undefined): ins is Instr & { op: 'add' } =>
  ins !== undefined && ins.op === 'add' && ins.ins.every((i) => tape.size[i] === tape.size[ins.out]);

/** accZero + one accAdd per leaf of the add tree rooted at r (leaves that are single-use pads add their operand at its offset). */
function accumulate(tape: Tape, r: Instr, leaves: readonly number[], pads: readonly ((Instr & { op: 'pad' }) | null)[]): { zero: Instr; seq: Instr[] } {
  const nAcc = tape.size[r.out];
  const a0 = newValue(tape, nAcc);
  const shape = r.outShape;
  const seq: Instr[] = [];
  let acc = a0;
  leaves.forEach((leaf, j) => {
    const p = pads[j];
    const t = p === null ? leaf : p.ins[0];
    const off = p === null ? 0 : p.attrs.before * rowSize(p.inShapes[0]);
    const out = j === leaves.length - 1 ? r.out : newValue(tape, nAcc);
    if (out !== a0) tape.views.set(out, { base: a0, off: 0 });
    seq.push({ op: 'accAdd', ins: [acc, t], attrs: { off }, inShapes: [shape, p === null ? shape : p.inShapes[0]], out, outShape: shape });
    acc = out;
  });
  return { zero: { op: 'accZero', ins: [], attrs: {}, inShapes: [], out: a0, outShape: shape }, seq };
}

/** Contract: a tree of adds (inner adds used once) with pads among its leaves becomes accZero (first on the tape) plus accAdds; the tree and the pads are gone. */
export function formAccumulators(tape: Tape): void {
  const uses = useCounts(tape);
  const byOut = new Map<number, Instr>();
  for (const ins of tape.instrs) byOut.set(ins.out, ins);
  const absorbed = new Set<Instr>();
  const replace = new Map<Instr, Instr[]>();
  const zeros: Instr[] = [];
  for (let k = tape.instrs.length - 1; k >= 0; k--) {
    const r = tape.instrs[k];
    if (absorbed.has(r) || !isTreeAdd(tape, r)) continue;
    const inner: Instr[] = [];
    const leaves: number[] = [];
    const walk = (i: number): void => {
      const p = byOut.get(i);
      if (p !== r && isTreeAdd(tape, p) && uses.get(i) === 1) { inner.push(p); p.ins.forEach(walk); } else leaves.push(i);
    };
    r.ins.forEach(walk);
    const pads = leaves.map((i) => { const p = byOut.get(i); return p !== undefined && p.op === 'pad' && uses.get(i) === 1 ? p : null; });
    if (pads.every((p) => p === null)) continue;
    const { zero, seq } = accumulate(tape, r, leaves, pads);
    zeros.push(zero);
    for (const p of pads) if (p !== null) absorbed.add(p);
    for (const a of inner) absorbed.add(a);
    replace.set(r, seq);
  }
  if (zeros.length === 0) return;
  const next: Instr[] = [...zeros];
  for (const ins of tape.instrs) if (!absorbed.has(ins)) next.push(...(replace.get(ins) ?? [ins]));
  tape.instrs = next;
}
