/**
 * readers(B) = #{nodes of a backward pass that read a tensor stored in buffer B (as input or output)}.
 * For buffers whose only readers are the pass's nodes (an HVP's recorded first backward, read by the
 * second): once the pass has visited every node reading B, B is recycled, so the rest of the pass
 * reuses it instead of allocating (torch frees a node's saved tensors after its backward the same way).
 */
import { recycle } from './bufferPool.ts';
import { storageKey } from './eagerArena.ts';
import type { Tensor } from './tensor.ts';

export class LastReaders {
  private readonly count = new Map<object, number>();

  /** `owned`: the recyclable buffers (entries are removed as they are recycled); `order`: the pass's tensors. */
  constructor(order: readonly Tensor[], private readonly owned: Map<object, Float64Array>) {
    for (const t of order) {
      const node = t.gradFn;
      if (node === null) continue;
      this.count1(t, 1);
      for (const x of node.inputs) this.count1(x, 1);
    }
  }

  /** The pass has visited t's node (its pullback ran or was skipped): its reads are done. */
  visited(t: Tensor): void {
    this.count1(t, -1);
    for (const x of t.gradFn!.inputs) this.count1(x, -1);
  }

  private count1(t: Tensor, d: 1 | -1): void {
    const b = storageKey(t.data);
    if (!this.owned.has(b)) return;
    const c = (this.count.get(b) ?? 0) + d;
    if (c > 0 || d > 0) { this.count.set(b, c); return; }
    this.count.delete(b);
    recycle(this.owned.get(b)!);
    this.owned.delete(b);
  }
}
