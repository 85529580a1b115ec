/**
 * x̄ᵢ = gᵢ · f′(xᵢ, yᵢ) in one pass, for the unary rules whose derivative rules.ts composes from two or
 * three kernels (tanh: g·(1 − y²) is pow, sub and mul). Each loop is generated from the pullback's expression
 * (pullbackTable.ts) and calls the elementwise table's scalar functions in the composition's order on one element
 * at a time, so the bits are those of the kernel-by-kernel rule, without its intermediate arrays. In the eager
 * arena the pullbacks with a WebAssembly form run as its SIMD kernels instead, the same operations two lanes at a
 * time. Only for a backward pass that records nothing (no createGraph, no tape being traced, no forward-mode
 * tangents): otherwise the composition must be recorded and runs as written.
 */
import { elementwise, type Scalar } from './elementwise.ts';
import { ARENA_PULLBACKS } from './arenaKernelTable.ts';
import { simdPullback } from './eagerArena.ts';
import type { Attrs } from './op.ts';
import { PULLBACK_EXPRS, type PullbackExpr, type PullbackName, type PullbackOp } from './pullbackTable.ts';
import { state } from './state.ts';
import { type GradNode, Tensor } from './tensor.ts';

type A = Float64Array;
/** o[i] = g[i] · f′ at element i, from x (the input) and y (the output). */
type Pullback = (g: A, x: A, y: A, o: A) => void;

/** The table's scalar functions the expressions name. */
const scalars: Record<PullbackOp, Scalar> = {
  mul: elementwise.mul.scalar({}), sub: elementwise.sub.scalar({}), div: elementwise.div.scalar({}), neg: elementwise.neg.scalar({}),
  square: elementwise.pow.scalar({ p: 2 }), sin: elementwise.sin.scalar({}), cos: elementwise.cos.scalar({}), sign: elementwise.sign.scalar({}),
};
const OPS = Object.keys(scalars) as PullbackOp[];

/** e as JavaScript over element i: `mul(g[i], sub(1, square(y[i], 0)))` (unary scalars get 0 as their second argument). */
function source(e: PullbackExpr): string {
  if (typeof e === 'number') return String(e);
  if (typeof e === 'string') return `${e}[i]`;
  const [op, ...args] = e;
  const parts = (args as PullbackExpr[]).map(source);
  return `${op}(${parts.join(', ')}${parts.length === 1 ? ', 0' : ''})`;
}

/** e evaluated at element i (the loop where code cannot be generated: the same calls in the same order). */
function evaluate(e: PullbackExpr, g: A, x: A, y: A, i: number): number {
  if (typeof e === 'number') return e;
  if (typeof e === 'string') return (e === 'g' ? g : e === 'x' ? x : y)[i];
  const [op, a, b] = e as readonly [PullbackOp, PullbackExpr, PullbackExpr?];
  return scalars[op](evaluate(a, g, x, y, i), b === undefined ? 0 : evaluate(b, g, x, y, i));
}

/**
 * The loop of pullback `name`: generated code of its own, so the scalar calls are inlined (the source names the
 * pullback: V8 shares compiled code between identical sources); an interpreting loop where code generation is
 * unavailable (a Content-Security-Policy without 'unsafe-eval'), or with `generate` false (tests).
 */
export function loopOf(name: PullbackName, generate = true): Pullback {
  const e = PULLBACK_EXPRS[name] as PullbackExpr;
  try {
    if (!generate) throw new Error('interpret');
    const body = `// pullback of ${name}\nreturn function (g, x, y, o) { for (let i = 0; i < o.length; i++) o[i] = ${source(e)}; };`;
    return new Function(...OPS, body)(...OPS.map((op) => scalars[op])) as Pullback;
  } catch {
    return (g, x, y, o) => { for (let i = 0; i < o.length; i++) o[i] = evaluate(e, g, x, y, i); };
  }
}

const loops = new Map<PullbackName, Pullback>();

/** The one-pass pullback a node has, by name (pow only for p = 2: other exponents are a kernel or two already). */
function pullbackOf(node: GradNode): PullbackName | null {
  const { op } = node;
  if (op === 'pow') return (node.attrs as Attrs<'pow'>).p === 2 ? 'square' : null;
  return Object.hasOwn(PULLBACK_EXPRS, op) ? (op as PullbackName) : null;
}

/**
 * [x̄] for a unary node whose rule has a one-pass form, the result in a buffer of the running pass's
 * pool; null when the rule must run as written: no pooled pass (state.pool null: createGraph or
 * tracing), a tangent on g, x or y, or no one-pass form.
 */
export function fusedPullback(node: GradNode, g: Tensor, need: readonly boolean[]): (Tensor | null)[] | null {
  const pool = state.pool;
  if (pool === null || state.gradEnabled || state.tracer !== null) return null;
  const name = pullbackOf(node);
  if (name === null) return null;
  const x = node.inputs[0];
  const y = node.out!;
  if (g.tangent !== null || x.tangent !== null || y.tangent !== null || g.size !== x.size) return null;
  if (!need[0]) return [null];
  const o = pool.take(x.size);
  const simd = ARENA_PULLBACKS[name];
  if (simd === undefined || !simdPullback(name, g.data, simd.reads === 'x' ? x.data : y.data, o)) {
    let loop = loops.get(name);
    if (loop === undefined) loops.set(name, (loop = loopOf(name)));
    loop(g.data, x.data, y.data, o);
  }
  return [new Tensor(o, x.shape)];
}
