/** The primitive operations. Every other operation is composed from these. */
export type Op =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg'
  | 'pow' | 'powTensor' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'tanh' | 'sigmoid' | 'softplus' | 'relu'
  | 'sin' | 'cos' | 'abs' | 'sign'
  | 'identity' | 'sum' | 'sumTo' | 'broadcastTo' | 'reshape'
  | 'matmul' | 'transpose' | 'slice' | 'pad' | 'concat'
  | 'compare' | 'where' | 'maximum' | 'minimum' | 'clamp'
  | 'amax' | 'argmax' | 'logsumexp' | 'gather' | 'scatterAdd';

/** Elementwise comparisons (1 where true, else 0; NaN compares false, except 'ne'). */
export type CompareKind = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

type NoAttrs = Record<string, never>;

/** Static (non-tensor) arguments of each primitive. */
export interface AttrMap {
  add: NoAttrs; sub: NoAttrs; mul: NoAttrs; div: NoAttrs; neg: NoAttrs;
  /** y = x^p for a constant exponent p. */
  pow: { readonly p: number };
  /** y = x^p for a tensor exponent p (second input, broadcasting like mul). */
  powTensor: NoAttrs;
  exp: NoAttrs; log: NoAttrs; log1p: NoAttrs; sqrt: NoAttrs; tanh: NoAttrs;
  sigmoid: NoAttrs; softplus: NoAttrs; sin: NoAttrs; cos: NoAttrs; abs: NoAttrs; sign: NoAttrs;
  /** max(x, 0), with relu(−∞) = 0 and NaN propagated. */
  relu: NoAttrs;
  /**
   * y = x as a new graph node: with copy, y has its own storage (clone, a leaf's .grad); without, y
   * shares x's storage (a transform's fresh input, a dual's link back to its primal).
   */
  identity: { readonly copy: boolean };
  /** Sum of all elements, giving a 0-d tensor. */
  sum: NoAttrs;
  /** Sum over the broadcast axes so the result has `shape` (adjoint of broadcastTo). */
  sumTo: { readonly shape: readonly number[] };
  broadcastTo: { readonly shape: readonly number[] };
  reshape: { readonly shape: readonly number[] };
  /** C = op(A)·op(B) for 2-D A, B, with op = transpose when ta / tb. */
  matmul: { readonly ta: boolean; readonly tb: boolean };
  /** Yᵀ of a 2-D tensor. */
  transpose: NoAttrs;
  /** Rows start..end-1 along axis 0. */
  slice: { readonly start: number; readonly end: number };
  /** Zero rows before / after along axis 0 (adjoint of slice). */
  pad: { readonly before: number; readonly after: number };
  /** Concatenate along axis 0. */
  concat: NoAttrs;
  /** [a ⋈ b] ∈ {0, 1} elementwise (broadcasting); derivative 0. */
  compare: { readonly kind: CompareKind };
  /** where(c, a, b) = a where c ≠ 0, else b (all three broadcast). */
  where: NoAttrs;
  /** max(a, b) / min(a, b) elementwise (broadcasting; NaN if either is NaN). */
  maximum: NoAttrs;
  minimum: NoAttrs;
  /** min(max(x, min), max) with either bound absent (null); NaN stays NaN. */
  clamp: { readonly min: number | null; readonly max: number | null };
  /** Largest (kind 'max') or smallest entry over `axes`, kept as size-1 axes; NaN if any entry is NaN. */
  amax: { readonly axes: readonly number[]; readonly kind: 'max' | 'min' };
  /** Index of the first largest (smallest) entry along `axis` (first NaN if any), kept as a size-1 axis; derivative 0. */
  argmax: { readonly axis: number; readonly kind: 'max' | 'min' };
  /** log Σ exp(x) over `axes`, kept as size-1 axes (the largest entry subtracted first, ±∞ handled as torch). */
  logsumexp: { readonly axes: readonly number[] };
  /** out[…i…] = x[…index[…i…]…] along `axis` (torch.gather); out has the index's shape. */
  gather: { readonly axis: number; readonly index: Int32Array; readonly indexShape: readonly number[] };
  /** zeros(shape) with out[…index[…i…]…] += src[…i…] along `axis` (adjoint of gather). */
  scatterAdd: { readonly axis: number; readonly index: Int32Array; readonly indexShape: readonly number[]; readonly shape: readonly number[] };
}

export type Attrs<P extends Op> = AttrMap[P];
