/**
 * The forward buffers of a transform's call: every output buffer an operation allocates while f runs inside `grad`,
 * `valueAndGrad` or `hvp` (apply.ts records them in `state.scratch`). The outermost call also owns the eager
 * arena (eagerArena.ts), where its larger buffers live. When the call returns and nothing recorded can still read
 * them, those the caller does not get back are recycled, detached first (released.ts), and the arena is reset, so
 * the next call reuses warm memory, as PyTorch's allocator does for tensors whose reference count drops to zero.
 */
import { recycle, type Scratch, trimPool } from './bufferPool.ts';
import { abandonArena, inArena, openArena, resetArena, storageKey } from './eagerArena.ts';
import { canDetach, detachedCopyOf } from './released.ts';
import { state } from './state.ts';
import { Tensor } from './tensor.ts';

/**
 * f() with the buffers its operations allocate collected, for finishScratch once nothing can read them. The
 * scratch is null (nothing collected, no arena) inside another transform's call (its owner collects them), while a
 * tape is traced (the tape keeps them), or where buffers cannot be detached. `useArena`: own the arena if free
 * (not for a dual input: tangents keep buffers the collector does not see). The caller must end a non-null
 * scratch with finishScratch or keepScratch, and call endScratch in a `finally` (for an error on the way).
 */
export function collecting<T>(f: () => T, useArena: boolean): { value: T; scratch: Scratch | null } {
  if (state.scratch !== null || state.tracer !== null || !canDetach) return { value: f(), scratch: null };
  const scratch: Scratch = { buffers: new Map(), dual: false, arena: useArena && openArena() };
  state.scratch = scratch;
  try {
    return { value: f(), scratch };
  } catch (e) {
    endScratch(scratch);
    throw e;
  } finally {
    state.scratch = null;
  }
}

/**
 * t, or a copy of it outside the arena if it lives there (what a transform returns outlives the call). A new array
 * and `set`: `slice()` of a view into WebAssembly memory took 4× as long at 10⁴ elements.
 */
function escape(t: Tensor): Tensor {
  if (!inArena(t.data)) return t;
  const copy = new Float64Array(t.data.length);
  copy.set(t.data);
  return new Tensor(copy, t.shape);
}

/**
 * End s's call: `keep` (what the call returns) copied out of the arena, every other buffer recycled, and the
 * arena reset; nothing recycled if a forward-mode tangent was involved (a dual links buffers the collector does
 * not see: the arena is abandoned). Call only when no graph can read them any more. Returns `keep`, copied as needed.
 */
export function finishScratch(s: Scratch | null, keep: readonly Tensor[]): Tensor[] {
  if (s === null) return [...keep];
  if (s.dual) {
    keepScratch(s);
    return [...keep];
  }
  const out = keep.map(escape);
  for (const t of keep) s.buffers.delete(storageKey(t.data));
  for (const b of s.buffers.values()) if (!inArena(b)) recycle(detachedCopyOf(b));
  s.buffers.clear();
  endScratch(s);
  trimPool();
  return out;
}

/** End s's call keeping everything it computed readable (an enclosing reverse pass still reads it). */
export function keepScratch(s: Scratch | null): void {
  if (s === null) return;
  s.buffers.clear();
  if (s.arena) {
    s.arena = false;
    abandonArena();
  }
}

/** Reset the arena if s still owns it (idempotent: for `finally` blocks). */
export function endScratch(s: Scratch | null): void {
  if (s === null || !s.arena) return;
  s.arena = false;
  resetArena();
}
