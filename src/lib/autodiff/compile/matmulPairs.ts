/**
 * Pass 6, matmul pairs: two vector-matrix products with the same matrix, one of them transposed (x·A
 * and g·Aᵀ, as in every gradient and HVP of xᵀAx), run together in one pass over the matrix.
 */
import type { Instr, Tape } from './tape.ts';

type Matmul = Instr & { op: 'matmul' };
const isVecMat = (ins: Instr): ins is Matmul => ins.op === 'matmul' && !ins.attrs.ta && ins.inShapes[0][0] === 1;

/** The instruction computing `id` (or what it is a view of); undefined for inputs and constants. */
function producerOf(tape: Tape, prodOf: ReadonlyMap<number, Instr>, id: number): Instr | undefined {
  for (;;) {
    const p = prodOf.get(id);
    if (p !== undefined) return p;
    const v = tape.views.get(id);
    if (v === undefined) return undefined;
    id = v.base;
  }
}

/** Does ins read `id` or a value `id` is a view of… i.e. anything in `after`, through views? */
function readsAny(tape: Tape, ins: Instr, after: ReadonlySet<number>): boolean {
  return ins.ins.some((i) => { for (let id: number | undefined = i; id !== undefined; id = tape.views.get(id)?.base) if (after.has(id)) return true; return false; });
}

/** Move m2 (at j) up next to m1 (at k) with what it needs from between; false when something it needs depends on m1. */
function moveUp(tape: Tape, sched: Instr[], prodOf: ReadonlyMap<number, Instr>, k: number, j: number): number | null {
  const between = new Set(sched.slice(k + 1, j));
  const need = new Set<Instr>();
  const stack = [...sched[j].ins];
  while (stack.length > 0) {
    const p = producerOf(tape, prodOf, stack.pop()!);
    if (p === undefined || !between.has(p) || need.has(p)) continue;
    need.add(p);
    stack.push(...p.ins);
  }
  const afterM1 = new Set<number>([sched[k].out]);
  for (let q = k + 1; q < j; q++) {
    if (!readsAny(tape, sched[q], afterM1)) continue;
    afterM1.add(sched[q].out);
    if (need.has(sched[q])) return null;
  }
  const moved = sched.slice(k + 1, j).filter((ins) => need.has(ins));
  const rest = sched.slice(k + 1, j).filter((ins) => !need.has(ins));
  sched.splice(k, j - k + 1, ...moved, sched[k], sched[j], ...rest);
  return moved.length;
}

/** Contract: returns m1 ↦ m2 for paired products, m2 placed right after m1 (what m2 needs moved up before m1); the order stays topological. */
export function pairMatvecs(tape: Tape): Map<Instr, Instr> {
  const sched = tape.instrs;
  const pairOf = new Map<Instr, Instr>();
  const prodOf = new Map<number, Instr>();
  for (const ins of sched) prodOf.set(ins.out, ins);
  const paired = new Set<Instr>();
  for (let k = 0; k < sched.length; k++) {
    const m1 = sched[k];
    if (!isVecMat(m1) || paired.has(m1)) continue;
    for (let j = k + 1; j < sched.length; j++) {
      const m2 = sched[j];
      if (!isVecMat(m2) || paired.has(m2) || m2.ins[1] !== m1.ins[1] || m2.attrs.tb === m1.attrs.tb) continue;
      const moved = moveUp(tape, sched, prodOf, k, j);
      if (moved === null) break;
      k += moved;
      pairOf.set(m1, m2);
      paired.add(m1).add(m2);
      break;
    }
  }
  return pairOf;
}
