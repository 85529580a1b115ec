/**
 * Pass 9, buffers: give every value a Float64Array, reusing the buffer of a value whose last reader
 * has run (temporaries share memory); views are sub-ranges of their base's buffer.
 */
import { liveness } from './liveness.ts';
import type { Block8 } from '../matmulKernels.ts';
import { simdArena, simdAvailable } from '../simdArena.ts';
import type { Step } from './steps.ts';
import { rootOf, type Tape } from './tape.ts';

/** The arrays each step reads at run time (codegen closes over these lists; Program patches them to redirect outputs). */
export interface Buffers {
  readonly inputs: Float64Array[];
  /** Per step, its lists of arrays (fused: [external bases, stored values]; pair: [x, x·A, g, g·Aᵀ, A]; single: [operands, [output]]). */
  readonly arrays: Float64Array[][][];
  readonly outputs: Float64Array[];
}

/** Gives out a zeroed array of `len` doubles. */
type Alloc = (len: number) => Float64Array;

/**
 * Contract: no buffer is handed out again before the last step reading its value has run; inputs, outputs
 * and constants are never reused. Where a large matmul can run the WebAssembly kernel, the buffers are
 * views into one arena of exactly the doubles they need (`block8` is then the kernel running there).
 */
export function allocateBuffers(tape: Tape, steps: readonly Step[], args: readonly Float64Array[]): Buffers & { block8?: Block8 } {
  if (!steps.some(simdWorthIt) || !simdAvailable()) return assign(tape, steps, args, (len) => new Float64Array(len));
  // A dry run counts the doubles (views of one scratch buffer: nothing is allocated per buffer), then the real one.
  const scratch = new ArrayBuffer(8 * [...tape.size, ...args.map((a) => a.length)].reduce((a, b) => Math.max(a, b), 0));
  let doubles = 0;
  assign(tape, steps, args, (len) => { doubles += len; return new Float64Array(scratch, 0, len); });
  const arena = simdArena(doubles);
  if (arena === null) return assign(tape, steps, args, (len) => new Float64Array(len));
  return { ...assign(tape, steps, args, arena.alloc), block8: arena.block8 };
}

/** Products smaller than this (m·k·n multiply-adds) stay in plain arrays: the arena and the calls into it would not pay. */
const SIMD_MIN_WORK = 1 << 13;

/** Would this step run the WebAssembly block of 8 (a matmul the blocked kernels take, with k ≥ 8) on enough work? */
function simdWorthIt(step: Step): boolean {
  if (step.kind !== 'single' || step.ins.op !== 'matmul') return false;
  const { ins } = step;
  const [m, n] = ins.outShape;
  const k = ins.attrs.ta ? ins.inShapes[0][0] : ins.inShapes[0][1];
  return !ins.attrs.tb && (n > 1 || ins.attrs.ta) && k >= 8 && m * k * n >= SIMD_MIN_WORK;
}

/** The assignment itself, every new buffer from `alloc` (no state outside its own maps: it can run twice). */
function assign(tape: Tape, steps: readonly Step[], args: readonly Float64Array[], alloc: Alloc): Buffers {
  const { size } = tape;
  const { lastUse } = liveness(tape);
  const pinned = new Set<number>([...tape.outIds.map((id) => rootOf(tape, id).base), ...tape.inputIds, ...tape.consts.keys()]);
  const buf = new Map<number, Float64Array>();
  const inputs = tape.inputIds.map((id, i) => { const b = alloc(args[i].length); buf.set(id, b); return b; });
  for (const [id, data] of tape.consts) buf.set(id, data);
  const pool = new Map<number, Float64Array[]>();
  const bufOf = (id: number): Float64Array => {
    const { base, off } = rootOf(tape, id);
    let b = buf.get(base);
    if (b === undefined) {
      // First write to this base (possibly through a view): take a free buffer of its size.
      const free = pool.get(size[base]);
      b = free !== undefined && free.length > 0 ? free.pop()! : alloc(size[base]);
      buf.set(base, b);
    }
    return off === 0 && b.length === size[id] ? b : b.subarray(off, off + size[id]);
  };
  /** Return buffers whose last reader is in [k0, k1] to the pool (after the step's outputs were taken). */
  const release = (ids: Iterable<number>, k0: number, k1: number): void => {
    for (const i of new Set([...ids].map((j) => rootOf(tape, j).base))) {
      const lu = lastUse.get(i);
      if (lu !== undefined && lu >= k0 && lu <= k1 && !pinned.has(i) && buf.has(i)) {
        const list = pool.get(size[i]) ?? [];
        list.push(buf.get(i)!);
        pool.set(size[i], list);
      }
    }
  };
  const arrays = steps.map((step): Float64Array[][] => {
    if (step.kind === 'fused') {
      const lists = [step.bases.map(bufOf), step.stored.map(bufOf)];
      release(step.extIds, step.k0, step.k1);
      return lists;
    }
    if (step.kind === 'pair') {
      const [ax, ay] = step.first.attrs.tb ? [step.second, step.first] : [step.first, step.second];
      const list = [bufOf(ax.ins[0]), bufOf(ax.out), bufOf(ay.ins[0]), bufOf(ay.out), bufOf(step.first.ins[1])];
      release([...step.first.ins, ...step.second.ins], step.k0, step.k1);
      return [list];
    }
    const { ins } = step;
    const operands = ins.op === 'accAdd' ? [bufOf(rootOf(tape, ins.ins[0]).base), bufOf(ins.ins[1])] : ins.ins.map(bufOf);
    const lists = [operands, [bufOf(ins.out)]];
    release(ins.ins, step.k0, step.k1);
    return lists;
  });
  return { inputs, arrays, outputs: tape.outIds.map(bufOf) };
}
