/**
 * What may share one fused loop (used by the scheduler, pass 5, and the step grouping, pass 8):
 * instructions of one loop length whose operands are already in memory when the loop starts.
 */
import { isFusable } from './fuseLoop.ts';
import { type Instr, rootOf, type Tape } from './tape.ts';

/** Most instructions fused into one generated loop: V8 stops optimising very large functions. */
export const maxRun = 160;

/** Loop length of a fusable instruction (elementwise with operands of the output's length or single values, a sum, an accumulation), or −1. */
export function loopLen(tape: Tape, ins: Instr): number {
  const { size } = tape;
  if (ins.op === 'sum') return size[ins.ins[0]];
  if (ins.op === 'accAdd') return size[ins.ins[1]];
  const ew = isFusable(ins.op) && (ins.op !== 'broadcastTo' || size[ins.ins[0]] === 1) && ins.ins.every((i) => size[i] === size[ins.out] || size[i] === 1);
  return ew ? size[ins.out] : -1;
}

/**
 * Values of a run being built: `vals` (elementwise results), `red` (sums and accumulations, complete
 * only after the loop) and `redBases` (the buffers those live in: an accumulation's result is a
 * view of its zeroed accumulator, so a slice of the accumulator has another id but the same base).
 */
export interface Run { readonly len: number; readonly vals: Set<number>; readonly red: Set<number>; readonly redBases: Set<number> }

/** An empty run of loop length len (−1: nothing can join). */
export const newRun = (len: number): Run => ({ len, vals: new Set(), red: new Set(), redBases: new Set() });

/** Record ins as part of the run. */
export function addToRun(tape: Tape, run: Run, ins: Instr): void {
  if (ins.op === 'sum' || ins.op === 'accAdd') { run.red.add(ins.out); run.redBases.add(rootOf(tape, ins.out).base); } else run.vals.add(ins.out);
}

/** Can ins join the run: same loop length, room left, and no operand that the run completes only after the loop? */
export function canJoin(tape: Tape, ins: Instr, run: Run): boolean {
  if (run.len < 0 || loopLen(tape, ins) !== run.len) return false;
  if (run.vals.size + run.red.size >= maxRun) return false;
  for (let j = ins.op === 'accAdd' ? 1 : 0; j < ins.ins.length; j++) {
    const i = ins.ins[j];
    const b = rootOf(tape, i).base;
    // A sum or an accumulator (read whole or through any view of it) is complete only after the loop.
    if (run.red.has(i) || run.red.has(b) || run.redBases.has(b)) return false;
    if (b !== i && run.vals.has(b)) return false; // a sub-range of a value of this loop is not in memory yet
  }
  return true;
}
