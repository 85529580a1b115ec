/**
 * The tape compiler's driver: trace, then the passes in order. Each pass lives in a file named after
 * it, with its one-line contract; docs/autodiff.md numbers them the same way.
 */
import type { Tensor } from '../tensor';
import { dropDeadCode } from './deadCode';
import { formAccumulators } from './accumulators';
import { allocateBuffers } from './buffers';
import { generate } from './codegen';
import { canGenerateCode } from './fuseLoop';
import { pairMatvecs } from './matmulPairs';
import { writePadInteriors } from './padInteriors';
import { Program, redirectSlots } from './program';
import { readScalarBroadcasts } from './scalarOperands';
import { schedule } from './schedule';
import { groupSteps } from './steps';
import { trace } from './tracer';
import { makeViews } from './views';

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
  const { run, labels } = generate(tape, steps, buffers.arrays); // 10. code generation
  return new Program(buffers.inputs, run, buffers.outputs, labels, redirectSlots(tape, buffers.outputs, buffers.arrays));
}
