const SPLIT = 134217729; // 2²⁷ + 1, Veltkamp's splitting constant for binary64

/**
 * a·b + c with (almost always) a single rounding, like C's fma(): the product is made exact with
 * Dekker's TwoProduct (p + e = a·b), the sum with Knuth's TwoSum (s + t = p + c), and the result is
 * s + (t + e). This is faithful and equals the correctly rounded fma except in rare near-tie cases.
 *
 * Why: PyTorch's CPU kernels compute `x.add_(y, alpha=a)` as a fused multiply-add, so ports that
 * must reproduce PyTorch's iterates to the last bit need the same rounding.
 * Assumes |a·b| ≲ 1e300 (the split overflows beyond); falls back to a·b + c there. With an infinite
 * or NaN input, or an overflowing sum, the result is a·b + c (IEEE: fma(1, 1, ∞) = ∞), as for C's fma.
 */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  if (!Number.isFinite(p) || !Number.isFinite(c) || Math.abs(a) > 1e150 || Math.abs(b) > 1e150) return p + c;
  const ca = SPLIT * a;
  const ahi = ca - (ca - a);
  const alo = a - ahi;
  const cb = SPLIT * b;
  const bhi = cb - (cb - b);
  const blo = b - bhi;
  const e = ahi * bhi - p + ahi * blo + alo * bhi + alo * blo;
  const s = p + c;
  if (!Number.isFinite(s)) return s;
  const bb = s - p;
  const t = p - (s - bb) + (c - bb);
  return s + (t + e);
}
