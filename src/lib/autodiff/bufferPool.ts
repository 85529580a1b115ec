/**
 * Recycled Float64Arrays: free lists by length, shared by every eager operation. A fresh typed array
 * costs an allocation outside the JS heap, zeroing and first-touch page faults (about ten passes over its
 * data at 10⁴ elements and more), and the garbage collector's time later; a recycled one costs a pop.
 * Buffers enter the free lists only where their last reader is known to have run: cotangents and
 * temporaries of a backward pass (`BufferPool`, one per pass), and the recorded first backward of a
 * reverse-over-reverse HVP as the second passes their last readers (`Scratch`, lastReaders.ts), and what f
 * computed inside `grad`, `valueAndGrad` or `hvp` once the call returns (transformScratch.ts, detached first).
 * Other forward results are never recycled (user code may keep them), but they may be served from the free lists.
 */

import { arenaRecycle, arenaTake, setArena, storageKey } from './eagerArena.ts';

/** At most this many bytes wait in the free lists between passes (trimPool; the rest is left to the GC). */
export const POOL_LIMIT_BYTES = 64 * 2 ** 20;

const free = new Map<number, Float64Array[]>();
let pooledBytes = 0;
let enabled = true;
let limitBytes = POOL_LIMIT_BYTES;

const poolStats = { poison: false, reused: 0, allocated: 0 };

/** A buffer of n elements: a recycled one when available (its contents are garbage: the caller overwrites all of it). */
export function takeBuffer(n: number): Float64Array {
  const a = arenaTake(n);
  if (a !== null) { poolStats.reused++; return a; }
  const list = free.get(n);
  if (list === undefined || list.length === 0) {
    poolStats.allocated++;
    return new Float64Array(n);
  }
  poolStats.reused++;
  pooledBytes -= 8 * n;
  return list.pop()!;
}

/** Put b in the free lists: nothing may read or write it afterwards (trimPool bounds what stays there). */
export function recycle(b: Float64Array): void {
  if (!enabled || b.length === 0) return;
  if (poolStats.poison) b.fill(NaN);
  if (arenaRecycle(b)) return;
  const list = free.get(b.length);
  if (list === undefined) free.set(b.length, [b]);
  else list.push(b);
  pooledBytes += b.byteLength;
}

/**
 * Leave at most the limit (POOL_LIMIT_BYTES unless set) in the free lists, dropping buffers from the
 * lengths holding the most bytes first: called when a pass ends (during a pass, recycled buffers are its
 * working memory).
 */
export function trimPool(): void {
  while (pooledBytes > limitBytes) {
    let worst: Float64Array[] | null = null;
    let worstBytes = 0;
    for (const [len, list] of free) if (8 * len * list.length > worstBytes) { worst = list; worstBytes = 8 * len * list.length; }
    const b = worst!.pop()!;
    pooledBytes -= b.byteLength;
  }
}

/** Drop every pooled buffer (the GC reclaims them). */
export function emptyPool(): void {
  free.clear();
  pooledBytes = 0;
}

/** Set the most bytes kept between passes (tests); returns the previous limit. */
export function setPoolLimit(bytes: number): number {
  const prev = limitBytes;
  limitBytes = bytes;
  return prev;
}

/** Bytes waiting in the free lists now. */
export const pooledByteCount = (): number => pooledBytes;

/** Switch recycling on or off (off: nothing enters the free lists, and they are emptied); returns the previous setting. */
export function setPooling(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  setArena(on);
  if (!on) emptyPool();
  return prev;
}

/**
 * The buffers of one backward pass: cotangents and temporaries whose last reader has run go back to the
 * free lists. Buffers are counted by the gradient map's references (autograd.ts); a buffer is recycled
 * only when no entry refers to it (through any view) and no dual tensor was involved in making or reading it.
 */
export class BufferPool {
  /** Every buffer this pass handed out and still owns, by its storage key (views share their buffer's: eagerArena.ts). */
  private readonly owned = new Map<object, Float64Array>();
  /** Buffers that must never be recycled (touched by forward-mode tangents). */
  private readonly pinned = new Set<object>();
  /** Buffers handed out since the last `step()`. */
  private fresh: Float64Array[] = [];
  /** Test switch: fill recycled buffers with NaN, so a read after recycling shows in the results. */
  static get poison(): boolean { return poolStats.poison; }
  static set poison(on: boolean) { poolStats.poison = on; }
  /** Buffers served from the free lists so far (any caller): how often an allocation was saved. */
  static get reused(): number { return poolStats.reused; }
  /** Buffers takeBuffer had to allocate because none of that length was free (any caller). */
  static get allocated(): number { return poolStats.allocated; }

  /** A buffer of n elements, owned by this pass until given back. */
  take(n: number): Float64Array {
    const b = takeBuffer(n);
    this.owned.set(storageKey(b), b);
    this.fresh.push(b);
    return b;
  }
  /** The buffers handed out since the previous call (the temporaries of one node's pullback). */
  step(): Float64Array[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
  /** Whether this pass handed out the buffer behind `data` and may still recycle it. */
  owns(data: Float64Array): boolean {
    const key = storageKey(data);
    return this.owned.has(key) && !this.pinned.has(key);
  }
  /** Never recycle the buffer behind `data`. */
  pin(data: Float64Array): void {
    this.pinned.add(storageKey(data));
  }
  /** Recycle the buffer behind `data` if this pass handed it out (no-op for others, or pinned ones). */
  give(data: Float64Array): void {
    const key = storageKey(data);
    const b = this.owned.get(key);
    if (b === undefined || this.pinned.has(key)) return;
    this.owned.delete(key);
    recycle(b);
  }
}

/**
 * The buffers allocated while `collect` is on: what a recorded backward pass makes. The caller recycles
 * them once nothing can read them; `dual` says a forward-mode tangent was involved (then it must not).
 */
export interface Scratch {
  /** The buffers by their storage key (whole buffers: views are never collected). */
  readonly buffers: Map<object, Float64Array>;
  dual: boolean;
  /** Whether this call owns the eager arena (eagerArena.ts) until it ends. */
  arena?: boolean;
}
