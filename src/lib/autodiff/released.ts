/**
 * Released tensors. released(t) ⇔ t.data is empty (its ArrayBuffer was detached) while t.shape has elements.
 *
 * The JAX-shaped transforms (`grad`, `valueAndGrad`, `hvp`) own the intermediates of the function they
 * differentiate: once the call returns, what f computed and did not return is recycled for the next call
 * (transformScratch.ts). Recycling first moves the memory to a new ArrayBuffer (`ArrayBuffer.prototype.transfer`,
 * no copy), which detaches every view of the old one: a tensor or Float64Array that f leaked reads as empty,
 * never as numbers written later by someone else, and using such a tensor raises `releasedError`.
 */
import { showShape, sizeOf } from './shape.ts';

/** Whether buffers can be detached here (ES2024; without it the transforms recycle nothing of f's). */
export const canDetach: boolean = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';

/** Whether a tensor with this storage and shape was released (an empty, detached buffer where elements should be). */
export const isReleased = (data: Float64Array, shape: readonly number[]): boolean => data.length === 0 && sizeOf(shape) !== 0;

/** The error for reading a released tensor in `where`. */
export function releasedError(where: string, shape: readonly number[]): Error {
  return new Error(
    `${where}: this tensor (shape ${showShape(shape)}) was released. It was computed inside a function passed to grad, ` +
      'valueAndGrad or hvp, which free what the function computed but did not return when the call ends (as JAX transforms ' +
      'do). Return it from the function (valueAndGrad gives its value too), or compute it outside the function.',
  );
}

/** Recycle b's memory under a new ArrayBuffer, detaching b and every other view of its old buffer. */
export function detachedCopyOf(b: Float64Array): Float64Array {
  return new Float64Array((b.buffer as ArrayBuffer).transfer());
}
