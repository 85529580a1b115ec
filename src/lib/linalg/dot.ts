import { fma } from './fma.ts';

/**
 * xᵀy = Σᵢ xᵢyᵢ, summed left to right (the order PyTorch's float64 `dot` uses for short vectors),
 * over the first `n` entries (default: the length of `x`).
 */
export function dot(x: Float64Array, y: Float64Array, n: number = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/** Σᵢ a[off + i]·yᵢ for i < n (a row of a row-major matrix against y), plain IEEE arithmetic. */
export function dotAt(a: Float64Array, off: number, y: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[off + i] * y[i];
  return s;
}

/**
 * Σᵢ a[off + i]·yᵢ accumulated as s ← fma(aᵢ, yᵢ, s), one rounding per term: the order and rounding
 * of OpenBLAS's float64 `ddot` on short vectors with fused multiply-add kernels. Software fma, so
 * about ten times slower than `dotAt`.
 */
export function dotAtFma(a: Float64Array, off: number, y: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = fma(a[off + i], y[i], s);
  return s;
}
