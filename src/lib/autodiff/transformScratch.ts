/**
 * The forward buffers of a transform's call: every output buffer an operation allocates while f runs inside `grad`,
 * `valueAndGrad` or `hvp` (apply.ts records them in `state.scratch`). When the call returns and nothing recorded
 * can still read them, those the caller does not get back are recycled, detached first (released.ts), so the next
 * call reuses warm memory, as PyTorch's allocator does for tensors whose reference count drops to zero.
 */
import { recycle, type Scratch, trimPool } from './bufferPool.ts';
import { canDetach, detachedCopyOf } from './released.ts';
import { state } from './state.ts';
import type { Tensor } from './tensor.ts';

/**
 * f() with the buffers its operations allocate collected, for releaseScratch once nothing can read them. The
 * scratch is null (nothing collected) inside another transform's call (its owner collects them), while a tape is
 * traced (the tape keeps them), or where buffers cannot be detached.
 */
export function collecting<T>(f: () => T): { value: T; scratch: Scratch | null } {
  if (state.scratch !== null || state.tracer !== null || !canDetach) return { value: f(), scratch: null };
  const scratch: Scratch = { buffers: new Map(), dual: false };
  state.scratch = scratch;
  try {
    return { value: f(), scratch };
  } finally {
    state.scratch = null;
  }
}

/**
 * Recycle s's buffers except those behind `keep` (what the call returns); nothing if a forward-mode tangent was
 * involved (a dual links buffers the collector does not see). Call only when no graph can read them any more.
 */
export function releaseScratch(s: Scratch | null, keep: readonly Tensor[]): void {
  if (s === null || s.dual) return;
  for (const t of keep) s.buffers.delete(t.data.buffer);
  for (const b of s.buffers.values()) recycle(detachedCopyOf(b));
  s.buffers.clear();
  trimPool();
}
