/**
 * BFGS with exact line searches on f(x) = ½xᵀAx + bᵀx: d = −Bg, t = −gᵀd / dᵀAd (the exact minimiser along d),
 * then the inverse update B ← (I − ρsyᵀ)B(I − ρysᵀ) + ρssᵀ with ρ = 1/yᵀs (Nocedal & Wright eq. 6.17), from B₀ = I.
 * On a quadratic its directions are conjugate, so it ends in at most n steps.
 */
export function bfgsExactLineSearch(options: {
  A: readonly (readonly number[])[];
  b: readonly number[];
  x0: readonly number[];
  /** Stop when max|∇f| ≤ gtol (default 1e-12). */
  gtol?: number;
}) {
  const { A, b, x0, gtol = 1e-12 } = options;
  const n = x0.length;
  if (A.length !== n || A.some((row) => row.length !== n) || b.length !== n)
    throw new RangeError(`bfgsExactLineSearch: A must be ${n}×${n} and b of length ${n} to match x0, got ${A.length} rows and b of length ${b.length}`);
  const mv = (M: number[][], u: number[]) => M.map((row) => row.reduce((s, m, j) => s + m * u[j], 0));
  const dot = (u: number[], w: number[]) => u.reduce((s, ui, i) => s + ui * w[i], 0);
  const grad = (x: number[]) => mv(A as number[][], x).map((ax, i) => ax + b[i]);
  let B: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  let x = [...x0];
  let g = grad(x);
  let iterations = 0;
  while (Math.max(...g.map(Math.abs)) > gtol && iterations < 10 * n) {
    const d = mv(B, g).map((z) => -z);
    const t = -dot(g, d) / dot(d, mv(A as number[][], d));
    const s = d.map((di) => t * di);
    x = x.map((xi, i) => xi + s[i]);
    const gNew = grad(x);
    const y = gNew.map((gi, i) => gi - g[i]);
    const rho = 1 / dot(y, s);
    // B ← (I − ρsyᵀ) B (I − ρysᵀ) + ρssᵀ
    const L = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) - rho * s[i] * y[j]));
    const LB = L.map((row) => B[0].map((_, j) => row.reduce((acc, l, k) => acc + l * B[k][j], 0)));
    B = LB.map((row, i) => L.map((lrow, j) => row.reduce((acc, m, k) => acc + m * lrow[k], 0) + rho * s[i] * s[j]));
    g = gNew;
    iterations++;
  }
  return { x, iterations, gradMax: Math.max(...g.map(Math.abs)) };
}
