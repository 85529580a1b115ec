/**
 * The operation methods of Tensor (`x.add(y)` is `add(x, y)`, `x.backward()` is `backward(x)`), each
 * delegating to the free function of the same name. They are installed on Tensor.prototype when this
 * module loads (the package index imports it first) and typed by merging `TensorMethods` into Tensor,
 * so tensor.ts imports no operation and the operations can build tensors without a cycle.
 */
import { backward as runBackward, type BackwardOptions } from './autograd.ts';
import { formatTensor } from './format.ts';
import * as ops from './ops.ts';
import { Tensor, type TensorLike } from './tensor.ts';

/** The methods, written once; `this` is the tensor they are called on. */
class TensorMethods {
  /** A copy with its own storage (torch's clone(): recorded, so gradients flow through it). */
  clone(this: Tensor): Tensor { return ops.identity(this); }
  /** NumPy-style text, e.g. `[ 2.  -2.4]`. */
  toString(this: Tensor): string { return formatTensor(this); }

  /** Accumulate d(this)/d(leaf) · gradient into every leaf's .grad (torch semantics). */
  backward(this: Tensor, gradient?: TensorLike, options: BackwardOptions = {}): void {
    runBackward(this, gradient === undefined ? undefined : ops.asTensor(gradient), options);
  }

  add(this: Tensor, o: TensorLike): Tensor { return ops.add(this, o); }
  sub(this: Tensor, o: TensorLike): Tensor { return ops.sub(this, o); }
  mul(this: Tensor, o: TensorLike): Tensor { return ops.mul(this, o); }
  div(this: Tensor, o: TensorLike): Tensor { return ops.div(this, o); }
  neg(this: Tensor): Tensor { return ops.neg(this); }
  pow(this: Tensor, p: number | Tensor): Tensor { return ops.pow(this, p); }
  square(this: Tensor): Tensor { return ops.pow(this, 2); }
  exp(this: Tensor): Tensor { return ops.exp(this); }
  log(this: Tensor): Tensor { return ops.log(this); }
  log1p(this: Tensor): Tensor { return ops.log1p(this); }
  sqrt(this: Tensor): Tensor { return ops.sqrt(this); }
  tanh(this: Tensor): Tensor { return ops.tanh(this); }
  sigmoid(this: Tensor): Tensor { return ops.sigmoid(this); }
  softplus(this: Tensor): Tensor { return ops.softplus(this); }
  relu(this: Tensor): Tensor { return ops.relu(this); }
  sin(this: Tensor): Tensor { return ops.sin(this); }
  cos(this: Tensor): Tensor { return ops.cos(this); }
  abs(this: Tensor): Tensor { return ops.abs(this); }
  sign(this: Tensor): Tensor { return ops.sign(this); }
  /** Σ over all entries, or over `dim` (an axis or a list of axes), keeping them as size 1 with keepdim. */
  sum(this: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  /** Mean over all entries, or over `dim`. */
  mean(this: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  /** Variance over `dim` (all by default), unbiased unless `{ unbiased: false }` (torch.var). */
  var(this: Tensor, dim?: number | readonly number[] | null, options?: ops.VarOptions): Tensor { return ops.variance(this, dim, options); }
  /** Standard deviation, as var. */
  std(this: Tensor, dim?: number | readonly number[] | null, options?: ops.VarOptions): Tensor { return ops.std(this, dim, options); }
  /** torch.max: the largest entry; or [values, indices] along dim; or maximum(this, other). */
  max(this: Tensor): Tensor;
  max(this: Tensor, other: Tensor): Tensor;
  max(this: Tensor, dim: number, keepdim?: boolean): ops.ValuesIndices;
  max(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ops.ValuesIndices { return ops.max(this, dim as number, keepdim); }
  /** torch.min, as max. */
  min(this: Tensor): Tensor;
  min(this: Tensor, other: Tensor): Tensor;
  min(this: Tensor, dim: number, keepdim?: boolean): ops.ValuesIndices;
  min(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ops.ValuesIndices { return ops.min(this, dim as number, keepdim); }
  amax(this: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.amax(this, dim, keepdim); }
  amin(this: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.amin(this, dim, keepdim); }
  argmax(this: Tensor, dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(this: Tensor, dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  maximum(this: Tensor, o: TensorLike): Tensor { return ops.maximum(this, o); }
  minimum(this: Tensor, o: TensorLike): Tensor { return ops.minimum(this, o); }
  clamp(this: Tensor, min: number | null = null, max: number | null = null): Tensor { return ops.clamp(this, min, max); }
  /** torch's alias of clamp. */
  clip(this: Tensor, min: number | null = null, max: number | null = null): Tensor { return ops.clamp(this, min, max); }
  logsumexp(this: Tensor, dim?: number | readonly number[] | null, keepdim = false): Tensor { return ops.logsumexp(this, dim, keepdim); }
  softmax(this: Tensor, dim: number): Tensor { return ops.sub(this, ops.logsumexp(this, dim, true)).exp(); }
  logSoftmax(this: Tensor, dim: number): Tensor { return ops.sub(this, ops.logsumexp(this, dim, true)); }
  log_softmax(this: Tensor, dim: number): Tensor { return ops.sub(this, ops.logsumexp(this, dim, true)); }
  gather(this: Tensor, dim: number, index: TensorLike): Tensor { return ops.gather(this, dim, index); }
  indexSelect(this: Tensor, dim: number, index: TensorLike): Tensor { return ops.indexSelect(this, dim, index); }
  index_select(this: Tensor, dim: number, index: TensorLike): Tensor { return ops.indexSelect(this, dim, index); }
  /** x[index] for a list or tensor of indices: the rows at those positions (index_select along axis 0). */
  index(this: Tensor, index: TensorLike): Tensor { return ops.indexSelect(this, 0, index); }
  eq(this: Tensor, o: TensorLike): Tensor { return ops.eq(this, o); }
  ne(this: Tensor, o: TensorLike): Tensor { return ops.ne(this, o); }
  gt(this: Tensor, o: TensorLike): Tensor { return ops.gt(this, o); }
  ge(this: Tensor, o: TensorLike): Tensor { return ops.ge(this, o); }
  lt(this: Tensor, o: TensorLike): Tensor { return ops.lt(this, o); }
  le(this: Tensor, o: TensorLike): Tensor { return ops.le(this, o); }
  dot(this: Tensor, o: TensorLike): Tensor { return ops.dot(this, o); }
  matmul(this: Tensor, o: TensorLike): Tensor { return ops.matmul(this, o); }
  mm(this: Tensor, o: TensorLike): Tensor { return ops.mm(this, o); }
  mv(this: Tensor, o: TensorLike): Tensor { return ops.mv(this, o); }
  transpose(this: Tensor): Tensor { return ops.transpose(this); }
  reshape(this: Tensor, shape: readonly number[]): Tensor { return ops.reshape(this, shape); }
  broadcastTo(this: Tensor, shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /** Python-style slice along axis 0: x.slice(1) is x[1:], x.slice(0, -1) is x[:-1]. */
  slice(this: Tensor, start?: number, end?: number): Tensor { return ops.slice(this, start, end); }
  /** x.at(i) is x[i] (0-d for vectors, a row for matrices); x.at(i, j) is x[i, j]. */
  at(this: Tensor, ...index: number[]): Tensor { return ops.at(this, ...index); }
}

declare module './tensor.ts' {
  // Declaration merging: every Tensor has the methods above and the `T` getter below.
  interface Tensor extends TensorMethods {
    /** Transpose of a 2-D tensor (alias of transpose()). */
    readonly T: Tensor;
  }
}

for (const name of Object.getOwnPropertyNames(TensorMethods.prototype)) {
  if (name !== 'constructor') Object.defineProperty(Tensor.prototype, name, Object.getOwnPropertyDescriptor(TensorMethods.prototype, name)!);
}
Object.defineProperty(Tensor.prototype, 'T', { configurable: true, get(this: Tensor): Tensor { return ops.transpose(this); } });
