/**
 * Result slot for `cubicInterpolateTracked`: the step and whether PyTorch would hold it as a 0-d
 * tensor rather than a Python float (see `cubicInterpolateTracked`).
 */
export interface TrackedStep {
  t: number;
  tensor: boolean;
}

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
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lo?: number, hi?: number): number {
  const out: TrackedStep = { t: 0, tensor: false };
  if (lo !== undefined && hi !== undefined) cubicInterpolateTracked(x1, false, f1, g1, x2, false, f2, g2, lo, false, hi, false, out);
  else cubicInterpolateTracked(x1, false, f1, g1, x2, false, f2, g2, undefined, false, undefined, false, out);
  return out.t;
}

/**
 * cubicInterpolate, also tracking which step values PyTorch holds as 0-d tensors. That matters for
 * one rounding: in `3 * (f1 - f2) / (x1 - x2)` the numerator is a Python float, and when the
 * denominator is a tensor Python calls `Tensor.__rtruediv__`, which computes
 * `reciprocal(x1 − x2) * numerator` — two roundings instead of one. The result is a tensor unless a
 * (float) bound was chosen by the clamp.
 */
export function cubicInterpolateTracked(
  x1: number,
  x1T: boolean,
  f1: number,
  g1: number,
  x2: number,
  x2T: boolean,
  f2: number,
  g2: number,
  lo: number | undefined,
  loT: boolean,
  hi: number | undefined,
  hiT: boolean,
  out: TrackedStep,
): TrackedStep {
  let xmin: number;
  let xmax: number;
  let xminT: boolean;
  let xmaxT: boolean;
  if (lo !== undefined && hi !== undefined) {
    xmin = lo;
    xmax = hi;
    xminT = loT;
    xmaxT = hiT;
  } else if (x1 <= x2) {
    xmin = x1;
    xmax = x2;
    xminT = x1T;
    xmaxT = x2T;
  } else {
    xmin = x2;
    xmax = x1;
    xminT = x2T;
    xmaxT = x1T;
  }
  const num = 3 * (f1 - f2);
  const den = x1 - x2;
  const q = x1T || x2T ? num * (1 / den) : num / den;
  const d1 = g1 + g2 - q;
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // Python: min(max(minPos, xmin), xmax); max(a, b) returns b only if b > a, min(a, b) only if b < a.
    let m = minPos;
    let mT = true; // minPos is built from the gradient slopes, which are tensors
    if (xmin > m) {
      m = xmin;
      mT = xminT;
    }
    if (xmax < m) {
      m = xmax;
      mT = xmaxT;
    }
    out.t = m;
    out.tensor = mT;
    return out;
  }
  out.t = (xmin + xmax) / 2;
  out.tensor = xminT || xmaxT;
  return out;
}
