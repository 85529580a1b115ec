/** Pass 1, views: reshape, slice and aliasing identity run no kernel; they become views into their source. */
import { rootOf, rowSize, type Tape } from './tape.ts';

/** Contract: afterwards no instruction is a reshape, slice or aliasing identity, and an operand covering its whole base names the base. */
export function makeViews(tape: Tape): void {
  const kept = [];
  for (const ins of tape.instrs) {
    if (ins.op === 'reshape' || (ins.op === 'identity' && !ins.attrs.copy)) tape.views.set(ins.out, { base: ins.ins[0], off: 0 });
    else if (ins.op === 'slice') tape.views.set(ins.out, { base: ins.ins[0], off: ins.attrs.start * rowSize(ins.inShapes[0]) });
    else kept.push(ins);
  }
  const canon = (i: number): number => {
    const b = rootOf(tape, i);
    return b.off === 0 && tape.size[b.base] === tape.size[i] ? b.base : i;
  };
  for (const ins of kept) ins.ins = ins.ins.map(canon);
  tape.instrs = kept;
}
