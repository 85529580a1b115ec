/**
 * The tape compiler's driver: trace, then the passes in order. Each pass lives in a file named after
 * it, with its one-line contract; docs/autodiff.md numbers them the same way.
 */
import type { Tensor } from '../tensor.ts';
import { dropDeadCode } from './deadCode.ts';
import { formAccumulators } from './accumulators.ts';
import { allocateBuffers } from './buffers.ts';
import { generate } from './codegen.ts';
import { canGenerateCode } from './fuseLoop.ts';
import { pairMatvecs } from './matmulPairs.ts';
import { writePadInteriors } from './padInteriors.ts';
import { Program, redirectSlots } from './program.ts';
import { readScalarBroadcasts } from './scalarOperands.ts';
import { schedule } from './schedule.ts';
import { groupSteps } from './steps.ts';
import { trace } from './tracer.ts';
import { makeViews } from './views.ts';

/**
 * body traced on vectors of the lengths of `args`, compiled into a Program that replays it on
 * preallocated buffers. `fusion` fuses elementwise runs into generated loops (where code generation
 * is available). Exported for tests and benchmarks; not part of the public API.
 */
export function compileTrace(args: readonly Float64Array[], body: (xs: Tensor[]) => Tensor[], fusion: boolean): Program {
  const tape = trace(args, body);
  const fuse = fusion && canGenerateCode();
  makeViews(tape); //                                            1. views
  readScalarBroadcasts(tape); //                                 2. scalar operands
  dropDeadCode(tape); //                                         3. dead code
  formAccumulators(tape); //                                     4. accumulators
  schedule(tape, fuse); //                                       5. schedule
  const pairs = pairMatvecs(tape); //                            6. matmul pairs
  const bordersOnly = writePadInteriors(tape); //                7. pad interiors
  const steps = groupSteps(tape, pairs, bordersOnly, fuse); //   8. steps
  const buffers = allocateBuffers(tape, steps, args); //         9. buffers
  const { run, labels } = generate(tape, steps, buffers.arrays, buffers.block8); // 10. code generation
  return new Program(buffers.inputs, run, buffers.outputs, labels, redirectSlots(tape, buffers.outputs, buffers.arrays));
}
