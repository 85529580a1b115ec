/** Pass 3, dead code: drop what the outputs do not need. */
import { type Instr, rootOf, type Tape } from './tape.ts';

/** Contract: every remaining instruction's output reaches an output (the liveness of a view is its base's). */
export function dropDeadCode(tape: Tape): void {
  const live = new Set<number>(tape.outIds.map((id) => rootOf(tape, id).base));
  const kept: Instr[] = [];
  for (let k = tape.instrs.length - 1; k >= 0; k--) {
    const ins = tape.instrs[k];
    if (!live.has(ins.out)) continue;
    kept.push(ins);
    for (const i of ins.ins) live.add(rootOf(tape, i).base);
  }
  tape.instrs = kept.reverse();
}
