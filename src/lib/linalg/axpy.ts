import { fma } from './fma.ts';

/**
 * y ← a·x + y, in place (BLAS daxpy). Returns `y` so calls can be chained.
 */
export function axpy(a: number, x: Float64Array, y: Float64Array, n: number = y.length): Float64Array {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
  return y;
}

/** yᵢ ← yᵢ + α·x[off + i] for i < n (a row of a row-major matrix), plain IEEE arithmetic. */
export function axpyAt(alpha: number, x: Float64Array, off: number, y: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) y[i] += alpha * x[off + i];
  return y;
}

/** yᵢ ← fma(x[off + i], α, yᵢ) for i < n: PyTorch's CPU `y.add_(x, alpha=α)`, rounded once per entry. */
export function axpyAtFma(alpha: number, x: Float64Array, off: number, y: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++) y[i] = fma(x[off + i], alpha, y[i]);
  return y;
}

/** out ← x + a·y; `out` may alias `x` or `y`. */
export function addScaled(x: Float64Array, a: number, y: Float64Array, out: Float64Array): Float64Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = x[i] + a * y[i];
  return out;
}

/** x ← a·x, in place. */
export function scale(a: number, x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] *= a;
  return x;
}
