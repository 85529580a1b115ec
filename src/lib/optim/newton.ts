import { choleskyFactor, choleskySolve } from '../linalg/cholesky.ts';
import { normInf } from '../linalg/norms.ts';
import type { Evaluator } from './evaluator.ts';
import type { StopReason } from './objective.ts';
import { startRun } from './runStart.ts';
import { EVAL_ACCEPTED, EVAL_TRIAL, MOD_GRADIENT, MOD_NONE, MOD_SHIFT } from './trace.ts';
import type { RunResult } from './runResult.ts';
import { backtracking } from './backtracking.ts';
import { checkChoice, checkNumber, MAX_BUDGET, readOptions, type NumberRange } from '../autodiff/options.ts';

export interface NewtonOptions {
  /** Iteration budget (default 100). */
  maxIter?: number;
  /** Converged when max|∇f| ≤ gtol (default 1e-8). */
  gtol?: number;
  /** No progress when max|t·p| ≤ xtol (default 1e-14). */
  xtol?: number;
  /**
   * What to do when the Hessian is not positive definite:
   * 'shift' (default): Cholesky with added multiple of the identity, Nocedal & Wright Alg. 3.3;
   * 'gradient': use the steepest-descent direction −∇f for that iteration.
   */
  modification?: 'shift' | 'gradient';
  /** β of Alg. 3.3, the smallest shift tried (default 1e-3). */
  beta?: number;
  /** Armijo constant and contraction of the backtracking search (defaults 1e-4, 0.5). */
  c1?: number;
  rho?: number;
  /** Backtracking budget per iteration (default 50). */
  maxBacktracks?: number;
}

export type ResolvedNewtonOptions = Required<NewtonOptions>;

/** Newton's options (no PyTorch counterpart, so camelCase only). */
export const NEWTON_OPTION_NAMES = { maxIter: null, gtol: null, xtol: null, modification: null, beta: null, c1: null, rho: null, maxBacktracks: null } as const;

export function resolveNewtonOptions(options: NewtonOptions = {}, who = 'Newton'): ResolvedNewtonOptions {
  const o = readOptions(who, options, NEWTON_OPTION_NAMES);
  const budget: NumberRange = { min: 0, max: MAX_BUDGET, integer: true };
  return {
    maxIter: checkNumber(who, 'maxIter', o.maxIter ?? 100, budget),
    gtol: checkNumber(who, 'gtol', o.gtol ?? 1e-8, { min: 0 }),
    xtol: checkNumber(who, 'xtol', o.xtol ?? 1e-14, { min: 0 }),
    modification: checkChoice(who, 'modification (the Hessian modification)', o.modification ?? 'shift', ['shift', 'gradient'] as const),
    beta: checkNumber(who, 'beta', o.beta ?? 1e-3, { min: 0, minOpen: true }),
    c1: checkNumber(who, 'c1', o.c1 ?? 1e-4, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    rho: checkNumber(who, 'rho', o.rho ?? 0.5, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    maxBacktracks: checkNumber(who, 'maxBacktracks', o.maxBacktracks ?? 50, { ...budget, min: 1 }),
  };
}

/**
 * Armijo's rounding allowance, δ = 8ε|f(x_k)|. Near a minimiser the predicted decrease c1·t·∇fᵀp can
 * fall below the rounding error of f itself; the bare test then rejects even the exact Newton step
 * of a quadratic and backtracks on noise. 8ε|f| (4 to 8 ulps of f) accepts such steps and no step that
 * raises f by more (found by a property test: diag(1, 1 + 1e-8, 1, 1) from a start whose max|∇f|
 * was 1.03e-7 took 2 backtracked iterations instead of 1).
 */
const ARMIJO_ROUNDING = 8 * Number.EPSILON;

/** Doublings of τ tried by Alg. 3.3 before giving up (β·2⁶⁰ ≈ 1e15·β). */
const MAX_SHIFTS = 60;

/**
 * Newton's method with a backtracking line search: solve ∇²f(x_k) p = −∇f(x_k) by Cholesky, then
 * x_{k+1} = x_k + t p with t from Armijo backtracking (Nocedal & Wright Alg. 3.1) starting at t = 1,
 * with f's rounding allowed for (`ARMIJO_ROUNDING`), so on a strictly convex quadratic the first
 * step lands on the minimiser.
 *
 * When ∇²f is not positive definite (Cholesky meets a pivot ≤ 0) the iteration is recorded as such
 * and, by `modification`, either factors ∇²f + τI with τ = max(0, β − min aᵢᵢ) doubled until
 * Cholesky succeeds (Alg. 3.3; τ recorded in the trace), or steps along −∇f.
 * Dense and O(n³) per iteration: meant for small n.
 */
export function runNewton(ev: Evaluator, x0: Float64Array, o: ResolvedNewtonOptions): RunResult {
  const n = ev.n;
  const rec = ev.rec;
  let x = Float64Array.from(x0);
  let xt = new Float64Array(n);
  let g = new Float64Array(n);
  let gt = new Float64Array(n);
  const H = new Float64Array(n * n);
  const Hs = new Float64Array(n * n);
  const L = new Float64Array(n * n);
  const p = new Float64Array(n);
  const ei = new Float64Array(n);
  const col = new Float64Array(n);
  let notPD = 0;

  const start = startRun(ev, x, g);
  if (start.failed) return start.failed;
  let f = start.f;
  let gNorm = start.gradNorm;
  const done = (reason: StopReason, message: string, k: number): RunResult => ({ reason, message, x, f, gradNorm: gNorm, iterations: k, notPositiveDefinite: notPD });

  for (let k = 0; ; k++) {
    const gmax = normInf(g);
    if (gmax <= o.gtol) return done('converged', `max|∇f| = ${gmax} ≤ gtol`, k);
    if (k >= o.maxIter) return done('max-iterations', `maxIter = ${o.maxIter} reached`, k);
    ev.iteration = k + 1;

    ev.hessian(x, H, ei, col);
    if (ev.nonFinite) return done('non-finite', 'the Hessian has non-finite entries', k);
    let mod = MOD_NONE;
    let tau = 0;
    let chol = choleskyFactor(H, n, L);
    if (!chol.ok) {
      notPD++;
      if (o.modification === 'shift') {
        mod = MOD_SHIFT;
        let minDiag = Infinity;
        for (let i = 0; i < n; i++) minDiag = Math.min(minDiag, H[i * n + i]);
        // Alg. 3.3 starts at τ₀ = 0 when min aᵢᵢ > 0; that attempt is the one that just failed.
        tau = minDiag > 0 ? o.beta : -minDiag + o.beta;
        for (let s = 0; s < MAX_SHIFTS; s++) {
          Hs.set(H);
          for (let i = 0; i < n; i++) Hs[i * n + i] += tau;
          chol = choleskyFactor(Hs, n, L);
          if (chol.ok) break;
          tau = Math.max(2 * tau, o.beta);
        }
        if (!chol.ok) mod = MOD_GRADIENT; // cannot happen for a finite symmetric H; fall back anyway
      } else mod = MOD_GRADIENT;
    }
    if (mod === MOD_GRADIENT) {
      tau = 0;
      for (let i = 0; i < n; i++) p[i] = -g[i];
    } else {
      for (let i = 0; i < n; i++) p[i] = -g[i];
      choleskySolve(L, n, p, p);
    }
    let gtd = 0;
    for (let i = 0; i < n; i++) gtd += g[i] * p[i];
    if (!(gtd < 0)) return done('no-progress', `the Newton direction is not a descent direction (∇fᵀp = ${gtd})`, k);

    // Backtracking Armijo search from t = 1 (Alg. 3.1); the last trial is the accepted point.
    const ls = backtracking(
      (t) => {
        for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
        const v = ev.fg(xt, gt, EVAL_TRIAL);
        return ev.nonFinite ? NaN : v;
      },
      f,
      gtd,
      { c1: o.c1, rho: o.rho, maxBacktracks: o.maxBacktracks, slack: ARMIJO_ROUNDING * Math.abs(f) },
    );
    if (ls.nonFinite) return done('non-finite', `f or ∇f is not finite at a trial point`, k);
    if (!(ls.t > 0)) return done('line-search-failed', `no sufficient decrease after ${o.maxBacktracks} backtracks`, k);
    const t = ls.t;
    const trials = ls.trials;
    const fNew = ls.f;
    if (rec) rec.setKind(ev.lastIndex, EVAL_ACCEPTED);
    [x, xt] = [xt, x];
    [g, gt] = [gt, g];
    f = fNew;
    gNorm = ev.lastGradNorm;
    if (rec) rec.iterate({ x, f, gradNorm: gNorm, step: t, evaluation: ev.lastIndex, modification: mod, tau, inner: trials });
    const smax = Math.abs(t) * normInf(p); // = max|t·pᵢ| exactly: scaling by |t| commutes with max and abs
    if (smax <= o.xtol) return done('no-progress', `step max|t·p| = ${smax} ≤ xtol`, k + 1);
  }
}
