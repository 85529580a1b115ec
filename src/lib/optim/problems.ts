import { fma } from '../linalg/fma.ts';
import type { Objective } from './objective.ts';

/** An Objective with a dense Hessian and HVP, plus facts about its minimiser. */
export interface Problem extends Objective {
  readonly n: number;
  readonly name: string;
  hvp(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  hessian(x: Float64Array): Float64Array;
  /** A customary starting point. */
  readonly x0: Float64Array;
  /** The minimiser and the minimum, when known in closed form. */
  readonly xStar?: Float64Array;
  readonly fStar?: number;
}

/**
 * f(x) = ½xᵀAx + bᵀx with symmetric A (row-major n×n): ∇f = Ax + b, ∇²f = A, HVP Av.
 * When A ≻ 0 the minimiser solves Ax = −b.
 *
 * Rounded like PyTorch's float64 CPU evaluation of `0.5 * x @ A @ x + b @ x` and its autograd
 * gradient (checked bit for bit for n = 2): u = xᵀA and the dot products accumulate with fused
 * multiply-adds (as OpenBLAS does), and the gradient is assembled as (½u + b) + ½u, the order in
 * which autograd adds the three contributions.
 */
export function quadratic(A: ArrayLike<number>, b: ArrayLike<number>, options: { name?: string; x0?: ArrayLike<number>; xStar?: ArrayLike<number>; fStar?: number } = {}): Problem {
  const n = b.length;
  if (A.length !== n * n) throw new RangeError(`quadratic: A has ${A.length} entries, expected ${n}×${n}`);
  const Am = Float64Array.from(A);
  const bv = Float64Array.from(b);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++)
      if (Am[i * n + j] !== Am[j * n + i]) throw new RangeError('quadratic: A must be symmetric');
  /** out = vᵀA (= Av for symmetric A), accumulated with fused multiply-adds. */
  const vA = (v: Float64Array, out: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) {
      let s = v[0] * Am[i];
      for (let j = 1; j < n; j++) s = fma(v[j], Am[j * n + i], s);
      out[i] = s;
    }
    return out;
  };
  const dotFma = (u: Float64Array, v: Float64Array): number => {
    let s = u[0] * v[0];
    for (let i = 1; i < n; i++) s = fma(u[i], v[i], s);
    return s;
  };
  const u = new Float64Array(n);
  const evaluate = (x: Float64Array, gOut: Float64Array | null): number => {
    vA(x, u);
    const f = 0.5 * dotFma(u, x) + dotFma(bv, x);
    if (gOut)
      for (let i = 0; i < n; i++) {
        const h = 0.5 * u[i];
        gOut[i] = h + bv[i] + h;
      }
    return f;
  };
  return {
    n,
    name: options.name ?? `quadratic-${n}`,
    value: (x) => evaluate(x, null),
    grad: (x, out = new Float64Array(n)) => (evaluate(x, out), out),
    valueAndGrad: (x, gOut) => evaluate(x, gOut),
    hvp: (_x, v, out = new Float64Array(n)) => vA(v, out),
    hessian: () => Float64Array.from(Am),
    x0: options.x0 ? Float64Array.from(options.x0) : new Float64Array(n),
    xStar: options.xStar ? Float64Array.from(options.xStar) : undefined,
    fStar: options.fStar,
  };
}

/**
 * Rosenbrock's function in n ≥ 2 dimensions, f(x) = Σᵢ₌₀ⁿ⁻² 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)²,
 * minimiser (1, …, 1), f* = 0. ∇²f is tridiagonal:
 * Hᵢᵢ = 1200xᵢ² − 400xᵢ₊₁ + 2 [i < n−1] + 200 [i > 0], Hᵢ,ᵢ₊₁ = −400xᵢ.
 * Starts at (−1.2, 1, −1.2, 1, …), the classical x0.
 */
function term(x: Float64Array, i: number): number {
  const a = x[i + 1] - x[i] * x[i];
  const b = 1 - x[i];
  return 100 * (a * a) + b * b;
}

export function rosenbrock(n = 2): Problem {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`rosenbrock: n must be an integer ≥ 2, got ${n}`);
  const value = (x: Float64Array): number => {
    // Terms eᵢ = 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², summed in the order of PyTorch's CPU `sum` for
    // m = n − 1 < 16 terms: four lanes over whole groups of four, then the tail, then the lanes.
    const m = n - 1;
    if (m < 4 || m >= 16) {
      let s = 0;
      for (let i = 0; i < m; i++) s += term(x, i);
      return s;
    }
    const groups = m >> 2;
    let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    for (let k = 0; k < groups; k++) {
      l0 += term(x, 4 * k);
      l1 += term(x, 4 * k + 1);
      l2 += term(x, 4 * k + 2);
      l3 += term(x, 4 * k + 3);
    }
    let s = 0;
    for (let i = 4 * groups; i < m; i++) s += term(x, i);
    return s + l0 + l1 + l2 + l3;
  };
  const grad = (x: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array => {
    // Rounded exactly as PyTorch's autograd of
    // sum(100*(x[1:] − x[:-1]**2)**2 + (1 − x[:-1])**2): per coordinate
    // (−2(1 − xᵢ) + (−200aᵢ)(2xᵢ)) + 200aᵢ₋₁, with aᵢ = xᵢ₊₁ − xᵢ².
    for (let i = 0; i < n; i++) {
      let gi = 0;
      if (i < n - 1) {
        const a = x[i + 1] - x[i] * x[i];
        gi = -2 * (1 - x[i]) + -(200 * a) * (2 * x[i]);
      }
      if (i > 0) {
        const a = x[i] - x[i - 1] * x[i - 1];
        gi = i < n - 1 ? gi + 200 * a : 200 * a;
      }
      out[i] = gi;
    }
    return out;
  };
  const hvp = (x: Float64Array, v: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array => {
    out.fill(0);
    for (let i = 0; i < n - 1; i++) {
      const hii = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      const hij = -400 * x[i];
      out[i] += hii * v[i] + hij * v[i + 1];
      out[i + 1] += hij * v[i] + 200 * v[i + 1];
    }
    return out;
  };
  const hessian = (x: Float64Array): Float64Array => {
    const H = new Float64Array(n * n);
    for (let i = 0; i < n - 1; i++) {
      H[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      H[(i + 1) * n + i + 1] += 200;
      H[i * n + i + 1] = H[(i + 1) * n + i] = -400 * x[i];
    }
    return H;
  };
  const x0 = new Float64Array(n);
  for (let i = 0; i < n; i++) x0[i] = i % 2 === 0 ? -1.2 : 1;
  return { n, name: `rosenbrock-${n}`, value, grad, hvp, hessian, x0, xStar: new Float64Array(n).fill(1), fStar: 0 };
}

/**
 * An ill-conditioned quadratic: A = R diag(1, κ) Rᵀ with R the rotation by θ (default κ = 100,
 * θ = π/6), b = −A·(1, 1) so x* = (1, 1), f* = −½·(1,1)ᵀA(1,1). Shows zig-zagging gradient descent.
 */
export function illConditioned(kappa = 100, theta = Math.PI / 6): Problem {
  if (!(kappa >= 1) || !Number.isFinite(kappa)) throw new RangeError(`illConditioned: kappa must be ≥ 1, got ${kappa}`);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const a11 = c * c + kappa * s * s;
  const a12 = c * s - kappa * c * s;
  const a22 = s * s + kappa * c * c;
  const A = [a11, a12, a12, a22];
  const b = [-(a11 + a12), -(a12 + a22)];
  const fStar = -0.5 * (a11 + 2 * a12 + a22);
  return quadratic(A, b, { name: `ill-conditioned-${kappa}`, x0: [-1, 2], xStar: [1, 1], fStar });
}

/** The course's seed quadratic: A = [[5, 1], [1, 3]], b = (−4, 2), x0 = (2.5, −2); x* = (1, −1), f* = −3. */
export function seedQuadratic(): Problem {
  return quadratic([5, 1, 1, 3], [-4, 2], { name: 'seed-quadratic', x0: [2.5, -2], xStar: [1, -1], fStar: -3 });
}

/** The test-problem suite used by the chapter's figures (fresh objects on each access). */
export const problems = {
  seedQuadratic,
  rosenbrock,
  illConditioned,
  quadratic,
} as const;
