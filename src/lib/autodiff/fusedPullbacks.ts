/**
 * x̄ᵢ = gᵢ · f′(xᵢ, yᵢ) in one pass, for the unary rules whose derivative rules.ts composes from two or
 * three kernels (tanh: g·(1 − y²) is pow, sub and mul). Each loop calls the elementwise table's scalar
 * functions in the composition's order on one element at a time, so the bits are those of the
 * kernel-by-kernel rule, without its intermediate arrays. Only for a backward pass that records nothing (no createGraph, no tape being
 * traced, no forward-mode tangents): otherwise the composition must be recorded and runs as written.
 */
import { elementwise } from './elementwise.ts';
import { PULLBACK_EXPRS, type ArenaPullback } from './arenaKernelTable.ts';
import { simdPullback } from './eagerArena.ts';
import type { Attrs } from './op.ts';
import { state } from './state.ts';
import { type GradNode, Tensor } from './tensor.ts';

type A = Float64Array;
/** o[i] = g[i] · f′ at element i, from x (the input) and y (the output). */
type Pullback = (g: A, x: A, y: A, o: A) => void;

// The table's scalar functions, composed below exactly as rules.ts composes the operations.
const mul = elementwise.mul.scalar({});
const sub = elementwise.sub.scalar({});
const div = elementwise.div.scalar({});
const neg = elementwise.neg.scalar({});
const square = elementwise.pow.scalar({ p: 2 });
const sin = elementwise.sin.scalar({});
const cos = elementwise.cos.scalar({});
const sign = elementwise.sign.scalar({});

/** Each derivative as rules.ts writes it, then its loop of the same scalar operations. */
const pullbacks = {
  // d tanh x = (1 − tanh² x) dx: mul(g, sub(1, pow(y, 2)))
  tanh: (g: A, _x: A, y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], sub(1, square(y[i], 0))); },
  // d σ(x) = σ(x)(1 − σ(x)) dx: mul(g, mul(y, sub(1, y)))
  sigmoid: (g: A, _x: A, y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], mul(y[i], sub(1, y[i]))); },
  // d x² = 2x dx: mul(g, mul(x, 2))
  square: (g: A, x: A, _y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], mul(x[i], 2)); },
  // d sin x = cos x dx: mul(g, cos(x))
  sin: (g: A, x: A, _y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], cos(x[i], 0)); },
  // d cos x = −sin x dx: mul(g, neg(sin(x)))
  cos: (g: A, x: A, _y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], neg(sin(x[i], 0), 0)); },
  // d √x = dx / (2√x): div(g, mul(y, 2))
  sqrt: (g: A, _x: A, y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = div(g[i], mul(y[i], 2)); },
  // d relu(x) = sign(relu(x)) dx: mul(g, sign(y))
  relu: (g: A, _x: A, y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], sign(y[i], 0)); },
  // d |x| = sign(x) dx: mul(g, sign(x))
  abs: (g: A, x: A, _y: A, o: A): void => { for (let i = 0; i < o.length; i++) o[i] = mul(g[i], sign(x[i], 0)); },
} satisfies Record<string, Pullback>;

/** The one-pass pullback of a node, if it has one (pow only for p = 2: other exponents are a kernel or two already). */
function pullbackOf(node: GradNode): Pullback | null {
  const { op } = node;
  if (op === 'pow') return (node.attrs as Attrs<'pow'>).p === 2 ? pullbacks.square : null;
  return Object.hasOwn(pullbacks, op) ? pullbacks[op as keyof typeof pullbacks] : null;
}

/** The node's one-pass pullback as an arena kernel (arenaKernelTable.ts), if it has one. */
function simdFormOf(node: GradNode): ArenaPullback | null {
  if (node.op === 'pow') return (node.attrs as Attrs<'pow'>).p === 2 ? 'square' : null;
  return node.op === 'tanh' || node.op === 'sigmoid' ? node.op : null;
}

/**
 * [x̄] for a unary node whose rule has a one-pass form, the result in a buffer of the running pass's
 * pool; null when the rule must run as written: no pooled pass (state.pool null: createGraph or
 * tracing), a tangent on g, x or y, or no one-pass form.
 */
export function fusedPullback(node: GradNode, g: Tensor, need: readonly boolean[]): (Tensor | null)[] | null {
  const pool = state.pool;
  if (pool === null || state.gradEnabled || state.tracer !== null) return null;
  const f = pullbackOf(node);
  if (f === null) return null;
  const x = node.inputs[0];
  const y = node.out!;
  if (g.tangent !== null || x.tangent !== null || y.tangent !== null || g.size !== x.size) return null;
  if (!need[0]) return [null];
  const o = pool.take(x.size);
  const w = simdFormOf(node);
  if (w === null || !simdPullback(w, g.data, PULLBACK_EXPRS[w].reads === 'x' ? x.data : y.data, o)) f(g.data, x.data, y.data, o);
  return [new Tensor(o, x.shape)];
}
