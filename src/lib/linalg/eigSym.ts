/** Eigen-decomposition A = V diag(λ) Vᵀ of a symmetric matrix. */
export interface EigSymResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** Row-major n×n; column j is the unit eigenvector of values[j]. */
  vectors: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
  /** False if maxSweeps ran out before the off-diagonal mass fell below tolerance. */
  converged: boolean;
}

/**
 * Symmetric eigendecomposition by the cyclic Jacobi method (Golub & Van Loan Alg. 8.5.3): rotate away
 * each off-diagonal a_pq with the rotation whose angle satisfies cot 2θ = (a_qq − a_pp)/(2a_pq) until
 * off(A) ≤ tol·‖A‖_F. Quadratically convergent; fine for the small n of the course (n ≲ 50).
 * Only the lower triangle of A is trusted (A is symmetrised from it).
 */
export function eigSym(A: Float64Array, n: number, options: { maxSweeps?: number; tol?: number } = {}): EigSymResult {
  if (A.length !== n * n) throw new RangeError(`eigSym: A has ${A.length} entries, expected ${n}×${n}`);
  const maxSweeps = options.maxSweeps ?? 100;
  const tol = options.tol ?? 1e-15;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = A[i * n + j];
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let fro = 0;
  for (let i = 0; i < n * n; i++) fro += a[i] * a[i];
  fro = Math.sqrt(fro);
  let sweeps = 0;
  let converged = false;
  while (sweeps <= maxSweeps) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p * n + q] * a[p * n + q];
    if (Math.sqrt(off) <= tol * fro || off === 0) {
      converged = true;
      break;
    }
    if (sweeps === maxSweeps || !Number.isFinite(off)) break;
    sweeps++;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        // t = tan θ, the smaller root, for stability.
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors, sweeps, converged };
}
