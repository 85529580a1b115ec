/**
 * An arena for one backward pass: Float64Arrays of cotangents and temporaries whose last reader has run
 * are handed out again instead of allocating fresh ones (allocation and GC were half the eager path's
 * time). Buffers are counted by the gradient map's references; a buffer is recycled only when no entry
 * refers to it (through any view) and no dual tensor was involved in making or reading it.
 */
export class BufferPool {
  /** Every buffer this pool handed out, by its ArrayBuffer (views are found through .buffer). */
  private readonly owned = new Map<ArrayBufferLike, Float64Array>();
  private readonly free = new Map<number, Float64Array[]>();
  /** Buffers that must never be recycled (touched by forward-mode tangents). */
  private readonly pinned = new Set<ArrayBufferLike>();
  /** Buffers handed out since the last `step()`. */
  private fresh: Float64Array[] = [];
  /** Test switch: fill recycled buffers with NaN, so a read after recycling shows in the results. */
  static poison = false;
  /** Buffers served from the free lists so far (all pools): how often allocation was saved. */
  static reused = 0;

  /** A buffer of n elements: a recycled one when available (its contents are garbage; kernels overwrite all of it). */
  take(n: number): Float64Array {
    const list = this.free.get(n);
    const b = list !== undefined && list.length > 0 ? list.pop()! : null;
    if (b === null) return this.track(new Float64Array(n));
    BufferPool.reused++;
    return this.track(b);
  }
  private track(b: Float64Array): Float64Array {
    this.owned.set(b.buffer, b);
    this.fresh.push(b);
    return b;
  }
  /** The buffers handed out since the previous call (the temporaries of one node's pullback). */
  step(): Float64Array[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
  /** Never recycle the buffer behind `data`. */
  pin(data: Float64Array): void {
    this.pinned.add(data.buffer);
  }
  /** Recycle the pooled buffer behind `data` (no-op for buffers the pool did not hand out, or pinned ones). */
  give(data: Float64Array): void {
    const b = this.owned.get(data.buffer);
    if (b === undefined || this.pinned.has(data.buffer)) return;
    this.owned.delete(data.buffer);
    if (BufferPool.poison) b.fill(NaN);
    const list = this.free.get(b.length);
    if (list === undefined) this.free.set(b.length, [b]);
    else list.push(b);
  }
}
