/** 2×2 helpers on row-major [a, b, c, d] = [[a, b], [c, d]], for the course's two-variable figures. */

/** det [[a, b], [c, d]] = ad − bc. */
export function det2(m: ArrayLike<number>): number {
  return m[0] * m[3] - m[1] * m[2];
}

/** Inverse (1/det)·[[d, −b], [−c, a]]; throws on a singular matrix rather than returning Infinity. */
export function inv2(m: ArrayLike<number>, out: Float64Array = new Float64Array(4)): Float64Array {
  const det = det2(m);
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('inv2: matrix is singular');
  const a = m[0], b = m[1], c = m[2], d = m[3];
  out[0] = d / det;
  out[1] = -b / det;
  out[2] = -c / det;
  out[3] = a / det;
  return out;
}

/** Solve M x = r by Cramer's rule. */
export function solve2(m: ArrayLike<number>, r: ArrayLike<number>, out: Float64Array = new Float64Array(2)): Float64Array {
  const det = det2(m);
  if (det === 0 || !Number.isFinite(det)) throw new RangeError('solve2: matrix is singular');
  const x0 = (r[0] * m[3] - m[1] * r[1]) / det;
  const x1 = (m[0] * r[1] - r[0] * m[2]) / det;
  out[0] = x0;
  out[1] = x1;
  return out;
}

/**
 * Eigenvalues of the symmetric [[a, b], [b, c]]: λ = (a+c)/2 ∓ √(((a−c)/2)² + b²), ascending, with
 * unit eigenvectors (columns of the row-major `vectors`). Closed form, no iteration.
 */
export function eigSym2(a: number, b: number, c: number): { values: Float64Array; vectors: Float64Array } {
  const mean = (a + c) / 2;
  const r = Math.hypot((a - c) / 2, b);
  const values = new Float64Array([mean - r, mean + r]);
  // The angle of the larger eigenvector: tan 2φ = 2b/(a − c).
  const phi = 0.5 * Math.atan2(2 * b, a - c);
  const cph = Math.cos(phi);
  const sph = Math.sin(phi);
  // Column 1 (λ_max) = (cos φ, sin φ); column 0 (λ_min) = (−sin φ, cos φ).
  const vectors = new Float64Array([-sph, cph, cph, sph]);
  return { values, vectors };
}
