/** Pass 7, pad interiors: a pad whose operand is computed on the tape gets that operand written straight into its interior. */
import { type Instr, rowSize, type Tape } from './tape.ts';

/** Contract: the operand becomes a view into the pad's output; returns the pads left to zero only their borders. */
export function writePadInteriors(tape: Tape): Set<Instr> {
  const produced = new Set(tape.instrs.map((ins) => ins.out));
  const bordersOnly = new Set<Instr>();
  for (const ins of tape.instrs) {
    const t = ins.ins[0];
    if (ins.op === 'pad' && produced.has(t) && !tape.views.has(t)) {
      tape.views.set(t, { base: ins.out, off: ins.attrs.before * rowSize(ins.inShapes[0]) });
      bordersOnly.add(ins);
    }
  }
  return bordersOnly;
}
