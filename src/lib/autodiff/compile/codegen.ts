/** Pass 10, code generation: one closure per step over the arrays pass 9 assigned it. */
import { kernels, matvecPair } from '../kernels.ts';
import type { Op } from '../op.ts';
import type { Shape } from '../shape.ts';
import { fuse } from './fuseLoop.ts';
import { block8, type Block8, matmulTiled, matvecTransposed } from './matmulKernels.ts';
import type { Step } from './steps.ts';
import type { Instr, Tape } from './tape.ts';

/** Signature every eager kernel's run has once its attributes are fixed. */
type Run = (x: readonly Float64Array[], s: readonly Shape[], a: never, out: Float64Array, os: Shape) => void;

/**
 * C = op(A)·B through the cache-blocked kernels (same sums in the same order as the eager kernel) where
 * they apply: B not transposed, and either more than one column or A transposed times a column; else null.
 */
function tiledMatmul(ins: Instr & { op: 'matmul' }, operands: Float64Array[], io: Float64Array[], b8: Block8): (() => void) | null {
  const { ta, tb } = ins.attrs;
  const [as, bs] = ins.inShapes;
  const [m, n] = ins.outShape;
  if (tb) return null;
  const k = ta ? as[0] : as[1];
  if (n > 1) {
    const lda = as[1];
    return () => matmulTiled({ A: operands[0], si: ta ? 1 : lda, sp: ta ? lda : 1, B: operands[1], ldb: bs[1], C: io[0], m, k, n }, b8);
  }
  return ta ? () => matvecTransposed(operands[0], operands[1], io[0], m, k, b8) : null;
}

/** The closure of a single instruction: a kernel, or an accumulator's zeroing or adding, or a pad's borders. */
function singleStep(tape: Tape, step: Step & { kind: 'single' }, [operands, io]: Float64Array[][], b8: Block8): () => void {
  const { ins } = step;
  if (ins.op === 'accZero') return () => io[0].fill(0);
  if (ins.op === 'accAdd') {
    const { off } = ins.attrs;
    return () => { const acc = operands[0], t = operands[1]; for (let i = 0; i < t.length; i++) acc[off + i] += t[i]; };
  }
  if (step.bordersOnly) {
    const before = tape.views.get(ins.ins[0])!.off;
    const end = before + tape.size[ins.ins[0]];
    return () => { io[0].fill(0, 0, before); io[0].fill(0, end); };
  }
  if (ins.op === 'matmul') {
    const tiled = tiledMatmul(ins, operands, io, b8);
    if (tiled !== null) return tiled;
  }
  const op: Op = ins.op;
  const fn = kernels[op].run as Run;
  const { inShapes, outShape } = ins;
  const attrs = ins.attrs as never;
  return () => fn(operands, inShapes, attrs, io[0], outShape);
}

/** Contract: steps[k] becomes a closure reading and writing only arrays[k] (looked up at run time), with a label for profiles; `b8` runs the matmuls' blocks of 8. */
export function generate(tape: Tape, steps: readonly Step[], arrays: readonly Float64Array[][][], b8: Block8 = block8): { run: (() => void)[]; labels: string[] } {
  const run: (() => void)[] = [];
  const labels: string[] = [];
  steps.forEach((step, k) => {
    const lists = arrays[k];
    if (step.kind === 'fused') {
      const fn = fuse(step.instrs, step.ext, step.bases.length, step.stored, step.n);
      const [extBufs, outBufs] = lists;
      run.push(() => fn(extBufs, outBufs));
      labels.push(`fused[${step.n}](${step.ops.join(' ')})`);
    } else if (step.kind === 'pair') {
      const [r, c] = step.first.inShapes[1];
      const [b] = lists;
      run.push(() => matvecPair(b[4], r, c, b[0], b[1], b[2], b[3]));
      labels.push('matmul pair');
    } else {
      run.push(singleStep(tape, step, lists, b8));
      labels.push(step.ins.op);
    }
  });
  return { run, labels };
}
