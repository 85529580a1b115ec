/** Runs the four optimizers of src/lib/optim on the race's quadratic and summarises their traces for the figure. */
import { EVAL_TRIAL, MOD_GRADIENT, MOD_NEGATIVE_CURVATURE, MOD_SHIFT, minimize, type MinimizeOptions, type Objective, type Trace } from '../optim/index.ts';
import { fmt } from './format.ts';
import { METHOD_ORDER, METHOD_STYLE, type Method } from './palette.ts';
import { quadGrad, quadValue, type QuadraticAnalysis } from './quadratic.ts';

export interface RaceSettings {
  x0: number;
  y0: number;
  lr: number;
  m: number;
  iters: number;
  hist: number;
  ls: boolean;
}

/** f, ∇f = Hx + b, Hv and the dense H of the quadratic, analytic (the optimizers do not care how). */
export function quadraticObjective(q: QuadraticAnalysis): Objective {
  const { A, b, H } = q;
  return {
    n: 2,
    value: (x) => quadValue(A, b, x[0], x[1]),
    grad: (x, out) => quadGrad(A, b, x, out ?? new Float64Array(2)),
    valueAndGrad: (x, g) => {
      quadGrad(A, b, x, g);
      return quadValue(A, b, x[0], x[1]);
    },
    hvp: (_x, v, out = new Float64Array(2)) => {
      out[0] = H[0] * v[0] + H[1] * v[1];
      out[1] = H[2] * v[0] + H[3] * v[1];
      return out;
    },
    hessian: () => Float64Array.from(H),
  };
}

export function raceOptions(method: Method, s: RaceSettings): MinimizeOptions {
  switch (method) {
    case 'sgd':
      return { method, lr: s.lr, momentum: s.m, maxIter: s.iters };
    case 'lbfgs':
      return { method, lr: 1, maxIter: 40, historySize: s.hist, lineSearchFn: s.ls ? 'strong_wolfe' : null };
    case 'newton':
      return { method, maxIter: 50 };
    default:
      return { method, maxIter: 50, cgTol: 1e-12 };
  }
}

export interface RaceResult {
  method: Method;
  trace: Trace | null;
  /** Thrown by minimize (invalid options): shown instead of a path. */
  error: string | null;
  /** f(x_k) − f* per iterate (or f(x_k) when there is no minimum). */
  errors: Float64Array;
  /** Evaluations made up to and including iterate k. */
  evals: Int32Array;
  finalError: number;
  /** A sentence on how the run ended, read from the trace. */
  summary: string;
  /** Line-search trials (evaluations not taken), as [x, y] pairs. */
  trials: [number, number][];
}

export function runRace(q: QuadraticAnalysis, s: RaceSettings): RaceResult[] {
  const obj = quadraticObjective(q);
  const hasMin = q.curvature === 'positive-definite';
  return METHOD_ORDER.map((method) => {
    let trace: Trace | null = null;
    let error: string | null = null;
    try {
      trace = minimize(obj, [s.x0, s.y0], raceOptions(method, s));
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (!trace) return { method, trace, error, errors: new Float64Array(0), evals: new Int32Array(0), finalError: NaN, summary: `could not run: ${error}`, trials: [] };
    const k = trace.iterates.count;
    const errors = new Float64Array(k);
    const evals = new Int32Array(k);
    for (let i = 0; i < k; i++) {
      errors[i] = hasMin ? trace.iterates.f[i] - q.fStar : trace.iterates.f[i];
      const e = trace.iterates.evaluation[i];
      evals[i] = e >= 0 ? e + 1 : i > 0 ? evals[i - 1] : 0;
    }
    const trials: [number, number][] = [];
    for (let i = 0; i < trace.evaluations.count; i++) if (trace.evaluations.kind[i] === EVAL_TRIAL) trials.push([trace.evaluations.x[2 * i], trace.evaluations.x[2 * i + 1]]);
    const finalError = hasMin ? trace.f - q.fStar : trace.f;
    return { method, trace, error, errors, evals, finalError, summary: summarize(method, trace, hasMin), trials };
  });
}

const REASONS: Record<string, string> = {
  converged: 'converged',
  'max-iterations': 'hit its iteration limit',
  'max-evaluations': 'hit its evaluation limit',
  'no-progress': 'stopped making progress',
  'line-search-failed': 'its line search failed',
  diverged: 'diverged',
  'non-finite': 'produced a non-finite value',
};

/** What happened, from the trace: stop reason, and how a second-order method handled an indefinite Hessian. */
export function summarize(method: Method, t: Trace, hasMin: boolean): string {
  const parts = [REASONS[t.reason] ?? t.reason];
  let shifted = 0;
  let gradient = 0;
  let negative = 0;
  let tau = 0;
  for (let i = 0; i < t.iterates.count; i++) {
    const m = t.iterates.modification[i];
    if (m === MOD_SHIFT) {
      shifted++;
      tau = Math.max(tau, t.iterates.tau[i]);
    } else if (m === MOD_GRADIENT) gradient++;
    else if (m === MOD_NEGATIVE_CURVATURE) negative++;
  }
  if (shifted) parts.push(`H was not positive definite, so it used H + τI (τ up to ${fmt(tau)}) in ${shifted} step${shifted > 1 ? 's' : ''}`);
  if (gradient) parts.push(`H was not positive definite, so it fell back to −∇f in ${gradient} step${gradient > 1 ? 's' : ''}`);
  if (negative) parts.push(`CG met negative curvature in ${negative} step${negative > 1 ? 's' : ''} and followed it downhill`);
  if (t.reason === 'diverged' && method === 'sgd' && hasMin) parts.push('the learning rate is too large for this curvature');
  if (!hasMin && (t.reason === 'diverged' || t.f < -1e6)) parts.push('f is unbounded below, so there is no minimum to find');
  if (t.counts.lineSearchFailures) parts.push(`${t.counts.lineSearchFailures} line search${t.counts.lineSearchFailures > 1 ? 'es' : ''} ended without meeting its conditions`);
  return parts.join('; ');
}

export const methodLabel = (m: Method) => METHOD_STYLE[m].label;
