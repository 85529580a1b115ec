/** The primitive operations. Every other operation is composed from these. */
export type Op =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg'
  | 'pow' | 'powTensor' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'tanh' | 'sigmoid' | 'softplus' | 'relu'
  | 'sin' | 'cos' | 'abs' | 'sign'
  | 'sum' | 'sumTo' | 'broadcastTo' | 'reshape'
  | 'matmul' | 'transpose' | 'slice' | 'pad' | 'concat';

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
}

export type Attrs<P extends Op> = AttrMap[P];
