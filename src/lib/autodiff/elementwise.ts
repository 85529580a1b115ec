/**
 * The elementwise table: every elementwise primitive's scalar math, written once, next to its formula,
 * special cases included. Both executors are generated from it: the eager kernels (kernels.ts runs
 * `scalarOf(op, attrs)` in a loop of its own per primitive) and the compiled tape's fused loops
 * (fuse.ts calls the same function for each instruction), so fused, unfused and eager results agree
 * bit for bit by construction.
 */
import type { Attrs, CompareKind, Op } from './op.ts';

/** f(x) for unary primitives (y is unused), f(x, y) for binary ones. */
export type Scalar = (x: number, y: number) => number;

/**
 * The WebAssembly form of a scalar function, where one instruction (or x·x) computes the same IEEE operation:
 * `f64.<name>` on one double and `f64x2.<name>` on two (the arena's SIMD kernels, eagerArena.ts; its module is
 * generated from these names by `npm run wasm`).
 */
export type WasmForm = 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'sqrt' | 'abs' | 'square';

/** Each WebAssembly form's arity. */
export const WASM_FORMS: { readonly [F in WasmForm]: 1 | 2 } = { add: 2, sub: 2, mul: 2, div: 2, neg: 1, sqrt: 1, abs: 1, square: 1 };

/** One primitive's entry: its arity and its scalar function for given attributes. */
export interface Elementwise<P extends Op> {
  readonly arity: 1 | 2;
  /** The scalar function; attribute-free primitives return the same function every time. */
  scalar(attrs: Attrs<P>): Scalar;
  /** The same function as a WebAssembly instruction, if it is one (null for these attributes). */
  wasm?(attrs: Attrs<P>): WasmForm | null;
}

const fixed = <P extends Op>(arity: 1 | 2, f: Scalar, wasm?: WasmForm): Elementwise<P> =>
  (wasm === undefined ? { arity, scalar: () => f } : { arity, scalar: () => f, wasm: () => wasm });

// Specialised exponents of pow: Math.pow is several times slower than a multiply.
const square: Scalar = (x) => x * x;
const cube: Scalar = (x) => x * x * x;
const reciprocal: Scalar = (x) => 1 / x;
const root: Scalar = (x) => Math.sqrt(x);
const copy: Scalar = (x) => x;
const one: Scalar = () => 1;

/**
 * xᵖ for a constant p: x·x for p = 2, x·x·x for 3, 1/x for −1, √x for ½, x for 1, 1 for 0 (so
 * 0⁰ = NaN⁰ = 1), Math.pow otherwise.
 */
function powOf(p: number): Scalar {
  if (p === 2) return square;
  if (p === 1) return copy;
  if (p === 0) return one;
  if (p === 3) return cube;
  if (p === -1) return reciprocal;
  if (p === 0.5) return root;
  return (x) => Math.pow(x, p);
}

/**
 * xᵖ with C's (and torch's) special cases where JavaScript's Math.pow differs: 1ᵖ = 1 and
 * (−1)^±∞ = 1 for every p, NaN included (Math.pow gives NaN there).
 */
export const powScalar: Scalar = (x, p) => (x === 1 || (x === -1 && (p === Infinity || p === -Infinity)) ? 1 : Math.pow(x, p));

/** [x ⋈ y] ∈ {0, 1} (IEEE: every comparison with NaN is false except ≠). */
const comparisons: Record<CompareKind, Scalar> = {
  eq: (x, y) => (x === y ? 1 : 0), ne: (x, y) => (x !== y ? 1 : 0), gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0), lt: (x, y) => (x < y ? 1 : 0), le: (x, y) => (x <= y ? 1 : 0),
};

/** The elementwise primitives (where, with three operands, is a selection kernel, not a table entry). */
export type ElementwiseOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'pow' | 'powTensor' | 'exp' | 'log' | 'log1p' | 'sqrt' | 'tanh'
  | 'sigmoid' | 'softplus' | 'relu' | 'sin' | 'cos' | 'abs' | 'sign' | 'identity'
  | 'compare' | 'maximum' | 'minimum' | 'clamp';

export const elementwise: { readonly [P in ElementwiseOp]: Elementwise<P> } = {
  // a + b
  add: fixed(2, (x, y) => x + y, 'add'),
  // a − b
  sub: fixed(2, (x, y) => x - y, 'sub'),
  // a · b
  mul: fixed(2, (x, y) => x * y, 'mul'),
  // a / b
  div: fixed(2, (x, y) => x / y, 'div'),
  // −x
  neg: fixed(1, (x) => -x, 'neg'),
  // xᵖ, p a number (powOf)
  pow: { arity: 1, scalar: ({ p }) => powOf(p), wasm: ({ p }) => (p === 2 ? 'square' : null) },
  // xᵖ, p a tensor (powScalar)
  powTensor: fixed(2, powScalar),
  // eˣ
  exp: fixed(1, (x) => Math.exp(x)),
  // ln x
  log: fixed(1, (x) => Math.log(x)),
  // ln(1 + x)
  log1p: fixed(1, (x) => Math.log1p(x)),
  // √x
  sqrt: fixed(1, (x) => Math.sqrt(x), 'sqrt'),
  // tanh x
  tanh: fixed(1, (x) => Math.tanh(x)),
  // σ(x) = 1/(1 + e⁻ˣ), as eˣ/(1 + eˣ) for x < 0 so that e^{−x} never overflows
  sigmoid: fixed(1, (x) => {
    if (x >= 0) return 1 / (1 + Math.exp(-x));
    const e = Math.exp(x);
    return e / (1 + e);
  }),
  // softplus(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^{−|x|}), stable for large |x|
  softplus: fixed(1, (x) => (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)))),
  // relu(x) = max(x, 0): 0 for x ≤ 0 and −∞, NaN stays NaN (torch.relu)
  relu: fixed(1, (x) => (x < 0 ? 0 : x)),
  // sin x
  sin: fixed(1, (x) => Math.sin(x)),
  // cos x
  cos: fixed(1, (x) => Math.cos(x)),
  // |x|
  abs: fixed(1, (x) => Math.abs(x), 'abs'),
  // sign x ∈ {−1, 0, 1}, sign(±0) = 0, sign(NaN) = NaN (torch.sign, so d|x| at 0 is 0)
  sign: fixed(1, (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN)),
  // y = x
  identity: fixed(1, copy),
  // [a ⋈ b] (comparisons)
  compare: { arity: 2, scalar: ({ kind }) => comparisons[kind] },
  // max(a, b), NaN when either is NaN (torch.maximum)
  maximum: fixed(2, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y)),
  // min(a, b), NaN when either is NaN (torch.minimum)
  minimum: fixed(2, (x, y) => (x !== x || y !== y ? NaN : x < y ? x : y)),
  // min(max(x, lo), hi) with an absent bound skipped; NaN stays NaN
  clamp: {
    arity: 1,
    scalar: ({ min, max }) => (x) => {
      let v = x;
      if (min !== null && v < min) v = min;
      if (max !== null && v > max) v = max;
      return v;
    },
  },
};

/** Is `op` in the elementwise table? */
export function isElementwise(op: string): op is ElementwiseOp {
  return Object.hasOwn(elementwise, op);
}

/** The WebAssembly form of an elementwise instruction, or null. */
export function wasmOf<P extends ElementwiseOp>(op: P, attrs: Attrs<P>): WasmForm | null {
  const w = elementwise[op].wasm;
  return w === undefined ? null : w(attrs);
}

/** The scalar function of an elementwise instruction. */
export function scalarOf<P extends ElementwiseOp>(op: P, attrs: Attrs<P>): Scalar {
  return elementwise[op].scalar(attrs);
}
