import type { Evaluator } from './evaluator.ts';
import type { StopReason } from './objective.ts';
import type { RunResult } from './runResult.ts';
import { StrongWolfeWorkspace, strongWolfe } from './strongWolfe.ts';
import { checkNumber, MAX_BUDGET, readOptions, type NumberRange } from '../autodiff/options.ts';
import { startRun } from './runStart.ts';
import { EVAL_ACCEPTED, EVAL_TRIAL, MOD_NEGATIVE_CURVATURE, MOD_NONE } from './trace.ts';

export interface NewtonCgOptions {
  /** Outer iterations (default 200·n, SciPy's). */
  maxIter?: number;
  /** Converged when Σ|x_{k+1} − x_k| ≤ n·xtol (default 1e-5, SciPy's `xtol`). */
  xtol?: number;
  /**
   * Also converged when max|∇f| ≤ gtol (default 1e-8; SciPy has no such test — set 0 for SciPy's
   * behaviour, which then spends one more outer iteration at the optimum).
   */
  gtol?: number;
  /**
   * Fixed forcing term η: CG stops when ‖r‖₁ ≤ η‖∇f‖₁. Default: SciPy's η = min(0.5, √‖∇f‖₁).
   * A tiny value (1e-12) makes CG solve the Newton system exactly (≤ n HVPs on a quadratic).
   */
  cgTol?: number;
  /** CG iterations per outer step (default 20·n, SciPy's). */
  maxCg?: number;
  /** Strong-Wolfe constants and budget (defaults 1e-4, 0.9, 25). */
  c1?: number;
  c2?: number;
  maxLs?: number;
}

export type ResolvedNewtonCgOptions = Required<Omit<NewtonCgOptions, 'cgTol'>> & { cgTol: number | null };

/** Newton-CG's options (SciPy's names where SciPy has them: `xtol`; camelCase otherwise). */
export const NEWTON_CG_OPTION_NAMES = { maxIter: null, xtol: null, gtol: null, cgTol: null, maxCg: null, c1: null, c2: null, maxLs: null } as const;

export function resolveNewtonCgOptions(n: number, options: NewtonCgOptions = {}, who = 'Newton-CG'): ResolvedNewtonCgOptions {
  const o = readOptions(who, options, NEWTON_CG_OPTION_NAMES);
  const budget: NumberRange = { min: 0, max: MAX_BUDGET, integer: true };
  // The defaults (SciPy's 200n and 20n) may exceed MAX_BUDGET for very large n; only given values are capped.
  const r: ResolvedNewtonCgOptions = {
    maxIter: o.maxIter === undefined ? 200 * n : checkNumber(who, 'maxIter', o.maxIter, budget),
    xtol: checkNumber(who, 'xtol', o.xtol ?? 1e-5, { min: 0 }),
    gtol: checkNumber(who, 'gtol', o.gtol ?? 1e-8, { min: 0 }),
    cgTol: o.cgTol === undefined || o.cgTol === null ? null : checkNumber(who, 'cgTol', o.cgTol, { min: 0, max: 1, minOpen: true, maxOpen: true }),
    maxCg: o.maxCg === undefined ? 20 * n : checkNumber(who, 'maxCg', o.maxCg, { ...budget, min: 1 }),
    c1: checkNumber(who, 'c1', o.c1 ?? 1e-4, {}),
    c2: checkNumber(who, 'c2', o.c2 ?? 0.9, {}),
    maxLs: checkNumber(who, 'maxLs', o.maxLs ?? 25, { ...budget, min: 1 }),
  };
  if (!(r.c1 > 0 && r.c1 < r.c2 && r.c2 < 1)) throw new RangeError(`Invalid Wolfe constants: need 0 < c1 < c2 < 1, got c1=${r.c1}, c2=${r.c2}`);
  return r;
}

const EPS = 2.220446049250313e-16;

/**
 * Line-search Newton-CG, Hessian-free (Nocedal & Wright Alg. 7.1; SciPy's `_minimize_newtoncg`):
 * truncated CG (Alg. 5.2) on ∇²f p = −∇f from p = 0 using only Hessian-vector products, stopped when
 * ‖r‖₁ ≤ η‖∇f‖₁, η = min(0.5, √‖∇f‖₁) (superlinear forcing, SciPy's L1 norms). If CG meets
 * dᵀ∇²f d < 0 it stops: on its first iteration it uses the scaled steepest-descent direction
 * (rᵀr/|dᵀHd|)·(−∇f), later it keeps the current p; 0 ≤ dᵀHd ≤ 3ε also stops CG. Then a strong-Wolfe
 * search from t = 1. Outer stop: Σ|Δx| ≤ n·xtol (SciPy), or max|∇f| ≤ gtol, or maxIter.
 *
 * Deviations from SciPy: the line search is the PyTorch-style strong-Wolfe search (SciPy uses
 * MINPACK's dcsrch with a fallback), always starting at t = 1 (SciPy starts at
 * min(1, 2.02·(f_k − f_{k−1})/∇fᵀp) after the first iteration); a search that ends without the Wolfe
 * conditions but with a decrease in f is still taken and flagged in the trace.
 */
export function runNewtonCg(ev: Evaluator, x0: Float64Array, o: ResolvedNewtonCgOptions): RunResult {
  const n = ev.n;
  const rec = ev.rec;
  const x = Float64Array.from(x0);
  const xt = new Float64Array(n);
  const g = new Float64Array(n);
  const p = new Float64Array(n);
  const r = new Float64Array(n);
  const dv = new Float64Array(n);
  const Ap = new Float64Array(n);
  const gAcc = new Float64Array(n);
  const ws = new StrongWolfeWorkspace(n);
  let lsFailures = 0;

  const start = startRun(ev, x, g);
  if (start.failed) return start.failed;
  let f = start.f;
  let gNorm = start.gradNorm;
  const done = (reason: StopReason, message: string, k: number): RunResult => ({ reason, message, x, f, gradNorm: gNorm, iterations: k, lineSearchFailures: lsFailures });

  const phi = (t: number, gOut: Float64Array): number => {
    for (let i = 0; i < n; i++) xt[i] = x[i] + t * p[i];
    return ev.fg(xt, gOut, EVAL_TRIAL);
  };
  // SciPy starts from 2·xtol, which with xtol = 0 stops before the first step; Infinity means "no step yet".
  let update = Infinity;
  for (let k = 0; ; k++) {
    if (!(update > n * o.xtol)) return done('converged', `Σ|Δx| = ${update} ≤ n·xtol`, k);
    let gmax = 0;
    let maggrad = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(g[i]);
      gmax = Math.max(gmax, a);
      maggrad += a;
    }
    // gtol = 0 switches the test off entirely (SciPy's behaviour), even at an exact zero gradient.
    if (o.gtol > 0 && gmax <= o.gtol) return done('converged', `max|∇f| = ${gmax} ≤ gtol`, k);
    if (k >= o.maxIter) return done('max-iterations', `maxIter = ${o.maxIter} reached`, k);
    ev.iteration = k + 1;

    // Truncated CG on H p = −g (Alg. 5.2 with r = Hp + g, d = −r).
    const eta = o.cgTol ?? Math.min(0.5, Math.sqrt(maggrad));
    const termcond = eta * maggrad;
    p.fill(0);
    let dri0 = 0;
    for (let i = 0; i < n; i++) {
      r[i] = g[i];
      dv[i] = -g[i];
      dri0 += r[i] * r[i];
    }
    let mod = MOD_NONE;
    let cgIters = 0;
    let cgDone = false;
    /** dᵀ∇²f d along d = −∇f (the first CG direction), NaN if CG never got that far. */
    let curv0 = NaN;
    for (let it = 0; it < o.maxCg; it++) {
      let r1 = 0;
      for (let i = 0; i < n; i++) r1 += Math.abs(r[i]);
      if (r1 <= termcond) {
        cgDone = true;
        break;
      }
      ev.hvp(x, dv, Ap);
      if (ev.nonFinite) return done('non-finite', 'a Hessian-vector product is not finite', k);
      let curv = 0;
      for (let i = 0; i < n; i++) curv += dv[i] * Ap[i];
      if (it === 0) curv0 = curv;
      if (curv >= 0 && curv <= 3 * EPS) {
        cgDone = true;
        break;
      }
      if (curv < 0) {
        mod = MOD_NEGATIVE_CURVATURE;
        if (cgIters === 0) {
          const s = dri0 / -curv;
          for (let i = 0; i < n; i++) p[i] = -s * g[i];
        }
        cgDone = true;
        break;
      }
      const alpha = dri0 / curv;
      let dri1 = 0;
      for (let i = 0; i < n; i++) {
        p[i] = p[i] + alpha * dv[i];
        r[i] = r[i] + alpha * Ap[i];
        dri1 += r[i] * r[i];
      }
      const beta = dri1 / dri0;
      for (let i = 0; i < n; i++) dv[i] = -r[i] + beta * dv[i];
      cgIters++;
      dri0 = dri1;
    }
    if (!cgDone) return done('no-progress', `CG did not converge in ${o.maxCg} iterations (Hessian not positive definite?)`, k);

    let gtd = 0;
    let pZero = true;
    for (let i = 0; i < n; i++) {
      gtd += g[i] * p[i];
      if (p[i] !== 0) pZero = false;
    }
    if (pZero && gmax > o.gtol && (o.gtol > 0 || curv0 <= 3 * EPS * dri0)) {
      // CG stopped before its first step with a nonzero gradient, because dᵀ∇²f d ≤ 3ε along d = −∇f:
      // the Newton system gives no step. SciPy takes this as a zero step and reports success, but the
      // gradient test is not met, so it is not convergence. With gtol = 0 (SciPy's outer loop) SciPy's
      // zero step is kept, unless ∇²f has no curvature along d at all (dᵀ∇²f d ≤ 3ε‖d‖²).
      return done('no-progress', `CG found no curvature along −∇f (dᵀ∇²f d = ${curv0} ≤ 3ε), so Newton-CG has no step to take, but max|∇f| = ${gmax} > gtol = ${o.gtol}`, k);
    }
    if (pZero) {
      // CG stopped before its first step (‖∇f‖₁ ≤ its tolerance, or zero curvature): SciPy takes this
      // as a zero step, which ends the run through the Σ|Δx| test; do the same without evaluating.
      update = 0;
      if (rec) rec.iterate({ x, f, gradNorm: gNorm, step: 0, evaluation: rec.iterEvaluation[rec.iterCount - 1], modification: mod, inner: cgIters });
      continue;
    }
    if (!(gtd < 0)) return done('no-progress', `CG returned no descent direction (∇fᵀp = ${gtd})`, k);

    const firstEval = rec ? rec.evalCount : 0;
    const ls = strongWolfe(phi, p, f, g, gtd, 1, { c1: o.c1, c2: o.c2, toleranceChange: 0, maxLs: o.maxLs }, ws, gAcc);
    if (ls.nonFinite) return done('non-finite', 'f or ∇f is not finite at a line-search trial', k);
    if (!ls.ok) {
      lsFailures++;
      if (!(ls.t > 0 && ls.f < f)) return done('line-search-failed', `strong-Wolfe search found no decrease (${ls.exit})`, k);
    }
    g.set(gAcc);
    let upd = 0;
    for (let i = 0; i < n; i++) {
      const s = ls.t * p[i];
      x[i] = x[i] + s;
      upd += Math.abs(s);
    }
    update = upd;
    f = ls.f;
    const evalIdx = rec ? firstEval + ls.accepted - 1 : -1;
    if (rec) {
      rec.setKind(evalIdx, EVAL_ACCEPTED);
      gNorm = rec.evalGradNorm[evalIdx];
    } else {
      let s = 0;
      for (let i = 0; i < n; i++) s += g[i] * g[i];
      gNorm = Math.sqrt(s);
    }
    if (rec) rec.iterate({ x, f, gradNorm: gNorm, step: ls.t, evaluation: evalIdx, modification: mod, inner: cgIters, lineSearchOk: ls.ok });
  }
}
