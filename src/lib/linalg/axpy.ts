/**
 * y ← a·x + y, in place (BLAS daxpy). Returns `y` so calls can be chained.
 */
export function axpy(a: number, x: Float64Array, y: Float64Array, n: number = y.length): Float64Array {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
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
