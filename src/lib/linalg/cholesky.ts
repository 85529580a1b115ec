/** Result of a Cholesky factorisation attempt. */
export type CholeskyResult =
  | { ok: true; L: Float64Array }
  | {
      ok: false;
      /** Row/column k at which the pivot aₖₖ − Σⱼ lₖⱼ² was not positive (or not finite). */
      pivot: number;
      /** That pivot's value: ≤ 0 means A is not positive definite, NaN means A had non-finite entries. */
      value: number;
      L: Float64Array;
    };

/**
 * A = L·Lᵀ for a symmetric positive definite row-major n×n A (Golub & Van Loan Alg. 4.2.1, the
 * "gaxpy" Cholesky). Only the lower triangle of A is read. The strict upper triangle of L is zeroed.
 *
 * A failed pivot is reported instead of thrown: Newton's method uses that report to decide how to
 * modify the Hessian (Nocedal & Wright Alg. 3.3), so failure is an expected outcome, not an error.
 */
export function choleskyFactor(A: Float64Array, n: number, L: Float64Array = new Float64Array(n * n)): CholeskyResult {
  if (A.length !== n * n) throw new RangeError(`choleskyFactor: A has ${A.length} entries, expected ${n}×${n}`);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    // `!(d > 0)` also catches NaN, which a `d <= 0` test would let through.
    if (!(d > 0) || !Number.isFinite(d)) return { ok: false, pivot: j, value: d, L };
    const ljj = Math.sqrt(d);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) L[j * n + k] = 0;
  }
  return { ok: true, L };
}

/**
 * Solve A x = b given A = L Lᵀ: forward substitution L y = b, then back substitution Lᵀ x = y.
 * `out` may alias `b`.
 */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * out[k];
    out[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * out[k];
    out[i] = s / L[i * n + i];
  }
  return out;
}
