/**
 * Global autodiff state: whether operations are recorded for reverse mode,
 * the perturbation-tag counter for forward mode, and the optional tracer used
 * by `objective` to capture a tape of kernels.
 */
import type { Tensor } from './tensor.ts';
import type { Attrs, Op } from './op.ts';
import type { BufferPool, Scratch } from './bufferPool.ts';

export interface Tracer {
  record<P extends Op>(op: P, inputs: readonly Tensor[], attrs: Attrs<P>, out: Tensor): void;
}

export const state: { gradEnabled: boolean; tracer: Tracer | null; tag: number; pool: BufferPool | null; scratch: Scratch | null } = {
  gradEnabled: true,
  tracer: null,
  tag: 0,
  /** The arena of the backward pass running now, if any (kernels take their output buffers from it). */
  pool: null,
  /** Collects the buffers operations allocate outside a pass's pool (a recorded backward pass of hvp). */
  scratch: null,
};

/** Run `fn` without recording operations for reverse mode (like torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Run `fn` with recording switched on or off, restoring the previous mode afterwards. */
export function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const prev = state.gradEnabled;
  state.gradEnabled = enabled;
  try {
    return fn();
  } finally {
    state.gradEnabled = prev;
  }
}

/**
 * A fresh perturbation tag. Tags only grow, so a jvp started inside another
 * has a larger tag; each operation splits off its largest tag first.
 */
export function newTag(): number {
  return ++state.tag;
}
