/**
 * Figure 10's numbers: on the chapter's ridge problem, dV/dλ in closed form (`ridgeClosedForm`), by implicit
 * differentiation with k CG iterations on HVPs (`ridgeImplicit`), and by differentiating T unrolled gradient steps on
 * L(·, λ) from x = 0, for every T at once. The last is the forward-mode recursion written over numbers
 * ({@link unrolledRecursion}): the library's forward pass through 200 steps (`unrolledHypergradients`, a jvp through
 * `unroll`) takes a few hundred milliseconds, too slow to follow a slider, and the unit tests check that both, and
 * reverse mode through T steps (`ridgeUnrolled`), give the same numbers.
 */
import { jvp, stack, type Tensor, zeros } from '../autodiff/index.ts';
import { eigSym } from '../linalg/index.ts';
import { sgdStep, unroll } from '../meta/index.ts';
import { ridgeClosedForm, ridgeData, ridgeImplicit, ridgeLoss, ridgeVal } from './ridgeProblem.ts';

const data = ridgeData();
/** The number of weights: CG solves the n × n system exactly in at most n iterations. */
export const RIDGE_N = data.n;
/** The longest unroll the figure shows. */
export const RIDGE_T_MAX = 200;

/** The eigenvalues of XᵀX + λI, ascending. */
export function ridgeSpectrum(lam: number): number[] {
  const n = RIDGE_N;
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) G[i * n + j] = data.X.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? lam : 0);
  return Array.from(eigSym(G, n).values).sort((a, b) => a - b);
}

/** dV(x_t)/dλ for t = 0 … steps, x_{t+1} = x_t − η∇ₓL(x_t, λ) from x₀ = 0: one jvp through the unrolled loop. */
export function unrolledHypergradients(lam: number, eta: number, steps: number): number[] {
  const path = (l: Tensor) => stack(unroll({ optimizer: sgdStep({ lr: eta }), loss: (x) => ridgeLoss(x, l), x0: zeros([RIDGE_N]), steps, keepTrajectory: true }).trajectory.map(ridgeVal));
  return Array.from(jvp(path, lam, 1)[1].data);
}

const gramXX = Array.from({ length: RIDGE_N }, (_, i) => Array.from({ length: RIDGE_N }, (_, j) => data.X.reduce((s, r) => s + r[i] * r[j], 0)));
const gramZZ = Array.from({ length: RIDGE_N }, (_, i) => Array.from({ length: RIDGE_N }, (_, j) => data.Z.reduce((s, r) => s + r[i] * r[j], 0)));
const Xty = Array.from({ length: RIDGE_N }, (_, j) => data.X.reduce((s, r, i) => s + r[j] * data.y[i], 0));
const Ztu = Array.from({ length: RIDGE_N }, (_, j) => data.Z.reduce((s, r, i) => s + r[j] * data.u[i], 0));

/**
 * dV(x_t)/dλ for t = 0 … steps by forward mode over numbers: with G = XᵀX, x_{t+1} = x_t − η((G + λI)x_t − Xᵀy) and
 * its tangent d_{t+1} = d_t − η((G + λI)d_t + x_t), d_0 = 0, so dV(x_t)/dλ = (ZᵀZ x_t − Zᵀu)ᵀ d_t.
 */
export function unrolledRecursion(lam: number, eta: number, steps: number): number[] {
  const n = RIDGE_N;
  let x = new Array<number>(n).fill(0);
  let d = new Array<number>(n).fill(0);
  const out: number[] = [];
  const mv = (M: number[][], v: number[], i: number) => M[i].reduce((s, m, j) => s + m * v[j], 0);
  for (let t = 0; ; t++) {
    out.push(Array.from({ length: n }, (_, i) => mv(gramZZ, x, i) - Ztu[i]).reduce((s, g, i) => s + g * d[i], 0));
    if (t === steps) return out;
    const nx = x.map((xi, i) => xi - eta * (mv(gramXX, x, i) + lam * xi - Xty[i]));
    d = d.map((di, i) => di - eta * (mv(gramXX, d, i) + lam * di + x[i]));
    x = nx;
  }
}

export interface ImplicitModel {
  lam: number;
  eta: number;
  /** dV/dλ in closed form (Cholesky). */
  exact: number;
  /** dV/dλ after T = 0 … RIDGE_T_MAX unrolled steps. */
  unrolled: number[];
  /** dV/dλ by implicitGrad with k = 1 … RIDGE_N CG iterations, and how CG stopped. */
  implicit: { k: number; value: number; iterations: number; reason: string }[];
  /** Eigenvalues of XᵀX + λI (ascending), 2/λmax, and ρ = max |1 − ηλᵢ|. */
  spectrum: number[];
  limit: number;
  rate: number;
}

const cache = new Map<string, ImplicitModel>();

export function implicitModel(lam: number, eta: number): ImplicitModel {
  const key = `${lam}|${eta}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const spectrum = ridgeSpectrum(lam);
  const m: ImplicitModel = {
    lam,
    eta,
    exact: ridgeClosedForm(lam).dVdLam,
    unrolled: unrolledRecursion(lam, eta, RIDGE_T_MAX),
    implicit: Array.from({ length: RIDGE_N }, (_, i) => {
      const r = ridgeImplicit(lam, i + 1);
      return { k: i + 1, value: r.dVdLam, iterations: r.iterations, reason: r.reason };
    }),
    spectrum,
    limit: 2 / spectrum[spectrum.length - 1],
    rate: Math.max(...spectrum.map((l) => Math.abs(1 - eta * l))),
  };
  if (cache.size >= 8) cache.delete(cache.keys().next().value!);
  cache.set(key, m);
  return m;
}

/** |h − dV/dλ| for the chart's log axis: non-finite stays non-finite (a diverged unroll). */
export const absError = (h: number, exact: number) => Math.abs(h - exact);
