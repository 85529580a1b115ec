/** ‖x‖₁ = Σᵢ |xᵢ|. */
export function norm1(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i]);
  return s;
}

/**
 * ‖x‖₂ = √(Σᵢ xᵢ²), scaled by max|xᵢ| first so that entries near 1e±200 neither overflow nor underflow
 * (the LAPACK dnrm2 idea; plain Σxᵢ² overflows for |xᵢ| ≳ 1e154).
 */
export function norm2(x: Float64Array): number {
  const m = normInf(x);
  if (m === 0 || !Number.isFinite(m)) return m;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] / m;
    s += v * v;
  }
  return m * Math.sqrt(s);
}

/** ‖x‖∞ = maxᵢ |xᵢ|; NaN if any entry is NaN (so a NaN can never pass a tolerance test). */
export function normInf(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    if (a > m) m = a;
    else if (a !== a) return NaN;
  }
  return m;
}

/** True when every entry is finite. */
export function allFinite(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}
