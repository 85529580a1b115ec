/**
 * Program: the compiled tape as a list of closures over preallocated buffers, and the outputs that
 * can be written straight into a caller's array.
 */
import { rootOf, type Tape } from './tape.ts';

/** A compiled straight-line program: copy inputs in, run the steps, read outputs. */
export class Program {
  /** Which buffer the redirectable outputs currently point at (internal or a caller's array). */
  private readonly current: (Float64Array | null)[];
  /**
   * `slots[k]` lists every place (array, index) the steps read or write output k's buffer, or is
   * null when output k cannot be redirected (a constant, an input, or reached through sub-ranges).
   */
  constructor(readonly inputs: Float64Array[], readonly steps: (() => void)[], readonly outputs: Float64Array[], readonly labels: string[],
    private readonly slots: ([Float64Array[], number][] | null)[]) {
    this.current = outputs.map((o, k) => (slots[k] === null ? null : o));
  }
  run(args: readonly Float64Array[]): void {
    for (let i = 0; i < args.length; i++) this.inputs[i].set(args[i]);
    const st = this.steps;
    for (let i = 0; i < st.length; i++) st[i]();
  }
  /**
   * Run with output k written straight into `target` when possible (no copy), else copied
   * there afterwards. `target` must have output k's length.
   */
  runInto(args: readonly Float64Array[], k: number, target: Float64Array): void {
    const slots = this.slots[k];
    if (slots === null) {
      this.run(args);
      target.set(this.outputs[k]);
      return;
    }
    if (this.current[k] !== target) {
      for (const [arr, i] of slots) arr[i] = target;
      this.current[k] = target;
    }
    this.run(args);
  }
  /** Run with every output in its internal buffer (`outputs`). */
  runInternal(args: readonly Float64Array[]): void {
    for (let k = 0; k < this.slots.length; k++) {
      const slots = this.slots[k];
      if (slots !== null && this.current[k] !== this.outputs[k]) {
        for (const [arr, i] of slots) arr[i] = this.outputs[k];
        this.current[k] = this.outputs[k];
      }
    }
    this.run(args);
  }
}

/**
 * For each output, every place (array, index) the steps read or write its buffer, or null when it
 * cannot be redirected into a caller's array: not produced on the tape, not a whole buffer, shared
 * with another output, or referenced through a sub-range somewhere (which would have to be re-made).
 */
export function redirectSlots(tape: Tape, outputs: readonly Float64Array[], arrays: readonly Float64Array[][][]): ([Float64Array[], number][] | null)[] {
  const produced = new Set(tape.instrs.map((ins) => ins.out));
  const captured = arrays.flat();
  return tape.outIds.map((id, k) => {
    const b = outputs[k];
    const r = rootOf(tape, id);
    if (!produced.has(r.base) || r.off !== 0 || b.length !== tape.size[r.base]) return null;
    if (outputs.some((o, j) => j !== k && o.buffer === b.buffer)) return null;
    const found: [Float64Array[], number][] = [];
    for (const arr of captured) {
      for (let i = 0; i < arr.length; i++) {
        if (arr[i] === b) found.push([arr, i]);
        else if (arr[i].buffer === b.buffer) return null;
      }
    }
    return found;
  });
}
