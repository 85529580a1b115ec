/**
 * xᵀy = Σᵢ xᵢyᵢ, summed left to right (the order PyTorch's float64 `dot` uses for short vectors),
 * over the first `n` entries (default: the length of `x`).
 */
export function dot(x: Float64Array, y: Float64Array, n: number = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}
