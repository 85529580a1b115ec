/**
 * apply(op, inputs, attrs): the single entry point that runs a primitive.
 * Forward mode first: if an input carries a tangent, split off the largest
 * tag, run the op on the primals (recursively, for lower tags) and push the
 * tangents through the op's JVP rule. Then the kernel runs on raw data.
 * Reverse mode: if any input requires grad, record a node on the output.
 */
import type { Attrs, Op } from './op.ts';
import { kernels } from './kernels.ts';
import { ruleOf } from './ruleRegistry.ts';
import { sizeOf } from './shape.ts';
import { state } from './state.ts';
import { takeBuffer } from './bufferPool.ts';
import { storageKey } from './eagerArena.ts';
import { isReleased, releasedError } from './released.ts';
import { Tensor } from './tensor.ts';

export function apply<P extends Op>(op: P, inputs: readonly Tensor[], attrs: Attrs<P>): Tensor {
  let tag = 0;
  for (const t of inputs) {
    if (t.tangent !== null && t.tag > tag) tag = t.tag;
    if (isReleased(t.data, t.shape)) throw releasedError(op, t.shape);
  }
  if (tag > 0 && state.scratch !== null) state.scratch.dual = true;
  let out: Tensor;
  if (tag > 0) {
    const primals = inputs.map((t) => (t.tag === tag && t.tangent !== null ? t.primal! : t));
    const tangents = inputs.map((t) => (t.tag === tag ? t.tangent : null));
    const y = apply(op, primals, attrs);
    const ty = ruleOf(op).jvp(tangents, primals, y, attrs);
    out = dual(y, ty, tag);
  } else {
    const shapes = inputs.map((t) => t.shape);
    const kernel = kernels[op];
    const os = kernel.shape(op, shapes, attrs);
    let data: Float64Array;
    if (op === 'reshape' || (op === 'identity' && !(attrs as Attrs<'identity'>).copy)) {
      // Reshape, an aliasing identity and slice (a contiguous range of rows) share the input's memory, like torch views.
      data = inputs[0].data;
    } else if (op === 'slice') {
      const { start, end } = attrs as Attrs<'slice'>;
      const r = sizeOf(shapes[0].slice(1));
      data = inputs[0].data.subarray(start * r, end * r);
    } else {
      data = allocate(sizeOf(os));
      kernel.run(inputs.map((t) => t.data), shapes, attrs, data, os);
    }
    out = new Tensor(data, Object.freeze(os));
    if (state.tracer !== null) state.tracer.record(op, inputs, attrs, out);
  }
  if (state.gradEnabled) {
    for (const t of inputs) {
      if (t.requiresGrad) {
        out.requiresGrad = true;
        out.gradFn = { op, inputs, attrs, out, freed: false };
        break;
      }
    }
  }
  return out;
}

/**
 * An output buffer of n elements: fresh while tracing (a tape keeps it), else from the running backward
 * pass's pool (which recycles it after its last reader), else from the free lists (then a scratch
 * collector, if on, records it for recycling by its owner).
 */
function allocate(n: number): Float64Array {
  if (state.tracer !== null) return new Float64Array(n);
  if (state.pool !== null) return state.pool.take(n);
  const b = takeBuffer(n);
  if (state.scratch !== null) state.scratch.buffers.set(storageKey(b), b);
  return b;
}

/** A tensor with value `primal` carrying `tangent` under perturbation `tag` (shares primal.data). */
export function dual(primal: Tensor, tangent: Tensor, tag: number): Tensor {
  const d = new Tensor(primal.data, primal.shape);
  d.tag = tag;
  d.primal = primal;
  d.tangent = tangent;
  return d;
}
