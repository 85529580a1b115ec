/** Pass 2, scalar operands: a broadcast of a single value (a backward seed, a scalar cotangent) is not materialised. */
import type { Tape, TapeOp } from './tape.ts';

const binaryOps: ReadonlySet<TapeOp> = new Set<TapeOp>(['add', 'sub', 'mul', 'div', 'powTensor']);

/** Contract: a binary elementwise instruction reads the one-element source of a broadcast operand directly (both fused and unfused kernels accept a single value). */
export function readScalarBroadcasts(tape: Tape): void {
  const { size } = tape;
  const scalarOf = new Map<number, number>();
  for (const ins of tape.instrs) {
    if (ins.op === 'broadcastTo' && size[ins.ins[0]] === 1) scalarOf.set(ins.out, ins.ins[0]);
    else if (binaryOps.has(ins.op)) {
      for (let j = 0; j < 2; j++) {
        const s = scalarOf.get(ins.ins[j]);
        if (s !== undefined && size[ins.ins[1 - j]] === size[ins.out]) ins.ins = j === 0 ? [s, ins.ins[1]] : [ins.ins[0], s];
      }
    }
  }
}
