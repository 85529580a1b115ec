/**
 * out = A·x for a row-major m×n matrix A (m = out.length, n = x.length); `out` must not alias `x`.
 */
export function matvec(A: Float64Array, x: Float64Array, out: Float64Array = new Float64Array(A.length / x.length)): Float64Array {
  const n = x.length;
  const m = out.length;
  if (A.length !== m * n) throw new RangeError(`matvec: A has ${A.length} entries, expected ${m}×${n}`);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += A[row + j] * x[j];
    out[i] = s;
  }
  return out;
}
