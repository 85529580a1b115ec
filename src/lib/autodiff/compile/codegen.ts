/** Pass 10, code generation: one closure per step over the arrays pass 9 assigned it. */
import { kernels, matvecPair } from '../kernels.ts';
import type { Op } from '../op.ts';
import type { Shape } from '../shape.ts';
import { block8, type Block8, matmul, type MatmulShape } from '../matmulKernels.ts';
import { fuse } from './fuseLoop.ts';
import type { Step } from './steps.ts';
import type { Instr, Tape } from './tape.ts';

/** Signature every eager kernel's run has once its attributes are fixed. */
type Run = (x: readonly Float64Array[], s: readonly Shape[], a: never, out: Float64Array, os: Shape) => void;

/** C = op(A)·op(B) by the shared matmul kernels, its blocks of 8 by `b8` (the WebAssembly one when the buffers are in an arena). */
function matmulStep(ins: Instr & { op: 'matmul' }, operands: Float64Array[], io: Float64Array[], b8: Block8): () => void {
  const [as, bs] = ins.inShapes;
  const [m, n] = ins.outShape;
  const shape: MatmulShape = { ta: ins.attrs.ta, tb: ins.attrs.tb, as, bs, m, n };
  return () => matmul(operands[0], operands[1], io[0], shape, b8);
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
  if (ins.op === 'matmul') return matmulStep(ins, operands, io, b8);
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
