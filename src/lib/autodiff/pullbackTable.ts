/**
 * The one-pass pullbacks, each written once: x̄ = g·f′ as an expression over the cotangent g, the node's input x
 * and output y, in the order rules.ts composes the same operations (tanh: g·(1 − y²) is pow, sub and mul there).
 * fusedPullbacks.ts generates its JavaScript loops from these expressions, and the eager arena's SIMD kernels are
 * generated from those whose every operation has a WebAssembly form (arenaKernelTable.ts), so the two agree with
 * each other and with the kernel-by-kernel rule bit for bit.
 */

/** The elementwise table's scalar functions the expressions call ('square' is pow with p = 2). */
export type PullbackOp = 'mul' | 'sub' | 'div' | 'neg' | 'square' | 'sin' | 'cos' | 'sign';

/** An expression: an operation applied to expressions, an operand (g, x or y), or a number. */
export type PullbackExpr = number | 'g' | 'x' | 'y' | readonly [PullbackOp, ...PullbackExpr[]];

export const PULLBACK_EXPRS = {
  // d tanh x = (1 − tanh² x) dx: mul(g, sub(1, pow(y, 2)))
  tanh: ['mul', 'g', ['sub', 1, ['square', 'y']]],
  // d σ(x) = σ(x)(1 − σ(x)) dx: mul(g, mul(y, sub(1, y)))
  sigmoid: ['mul', 'g', ['mul', 'y', ['sub', 1, 'y']]],
  // d x² = 2x dx: mul(g, mul(x, 2))
  square: ['mul', 'g', ['mul', 'x', 2]],
  // d sin x = cos x dx: mul(g, cos(x))
  sin: ['mul', 'g', ['cos', 'x']],
  // d cos x = −sin x dx: mul(g, neg(sin(x)))
  cos: ['mul', 'g', ['neg', ['sin', 'x']]],
  // d √x = dx / (2√x): div(g, mul(y, 2))
  sqrt: ['div', 'g', ['mul', 'y', 2]],
  // d relu(x) = sign(relu(x)) dx: mul(g, sign(y))
  relu: ['mul', 'g', ['sign', 'y']],
  // d |x| = sign(x) dx: mul(g, sign(x))
  abs: ['mul', 'g', ['sign', 'x']],
} as const satisfies Record<string, PullbackExpr>;

export type PullbackName = keyof typeof PULLBACK_EXPRS;

/** The operands an expression reads. */
export function operandsOf(e: PullbackExpr): Set<'g' | 'x' | 'y'> {
  if (typeof e === 'number') return new Set();
  if (typeof e === 'string') return new Set([e]);
  const out = new Set<'g' | 'x' | 'y'>();
  for (const a of e.slice(1) as PullbackExpr[]) for (const v of operandsOf(a)) out.add(v);
  return out;
}
