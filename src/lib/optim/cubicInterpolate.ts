/**
 * Minimiser of the cubic through (x1, f1, f1′ = g1) and (x2, f2, f2′ = g2), clamped to [lo, hi]
 * (default: the interval spanned by x1, x2) — Nocedal & Wright eq. (3.59):
 *
 *   d1 = g1 + g2 − 3(f1 − f2)/(x1 − x2),  d2 = √(d1² − g1·g2),
 *   x⁺ = x2 − (x2 − x1)(g2 + d2 − d1)/(g2 − g1 + 2d2)   (for x1 ≤ x2; mirrored otherwise).
 *
 * When d1² < g1·g2 the cubic has no local minimiser and the midpoint of the bounds is returned,
 * exactly as PyTorch's `_cubic_interpolate` (ported from Torch7's polyinterp.lua).
 * The clamp uses Python's max/min comparison order, so the results agree bit for bit.
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  lo?: number,
  hi?: number,
): number {
  let xmin: number;
  let xmax: number;
  if (lo !== undefined && hi !== undefined) {
    xmin = lo;
    xmax = hi;
  } else if (x1 <= x2) {
    xmin = x1;
    xmax = x2;
  } else {
    xmin = x2;
    xmax = x1;
  }
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // Python: min(max(minPos, xmin), xmax); max(a, b) returns b only if b > a.
    const m = xmin > minPos ? xmin : minPos;
    return xmax < m ? xmax : m;
  }
  return (xmin + xmax) / 2;
}
