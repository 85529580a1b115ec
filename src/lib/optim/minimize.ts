import { objective as compileObjective, type Tensor } from '../autodiff/index.ts';
import { normInf } from '../linalg/norms.ts';
import { Evaluator } from './evaluator.ts';
import { LBFGS_OPTION_NAMES, lbfgsInit, lbfgsStep, type LbfgsOptions } from './lbfgs.ts';
import { NEWTON_OPTION_NAMES, resolveNewtonOptions, runNewton, type NewtonOptions } from './newton.ts';
import { NEWTON_CG_OPTION_NAMES, resolveNewtonCgOptions, runNewtonCg, type NewtonCgOptions } from './newtonCg.ts';
import { METHODS, type Method, type Objective, type StopReason } from './objective.ts';
import type { RunResult } from './runResult.ts';
import { resolveSgdOptions, SGD_OPTION_NAMES, sgdInit, sgdUpdate, type SgdOptions } from './sgd.ts';
import { EVAL_ACCEPTED, EVAL_FINAL, TraceRecorder, type Trace } from './trace.ts';
import { startRun } from './runStart.ts';
import { checkBoolean, checkNumber, MAX_BUDGET, readOptions, type OptionNames } from '../autodiff/options.ts';

/** Options every method takes. */
export interface CommonOptions {
  /** Record iterates and evaluations (default true). With false the trace's columns are empty. */
  record?: boolean;
}

export interface SgdRunOptions extends SgdOptions, CommonOptions {
  method: 'sgd';
  /** Number of updates (default 100). */
  maxIter?: number;
  /** Converged when max|∇f| ≤ gtol (default 0: off, SGD never stops early in PyTorch). */
  gtol?: number;
  /**
   * Divergence threshold factor K (default 1e12): stop with 'diverged' when
   * |f| > K·max(1, |f(x0)|) (f = ±∞ included) or ‖x‖₂ > K·max(1, ‖x0‖₂) (x overflowing included).
   * A NaN f, or a non-finite ∇f with f within the threshold, stops with 'non-finite' instead.
   */
  divergenceFactor?: number;
}

export interface LbfgsRunOptions extends LbfgsOptions, CommonOptions {
  method: 'lbfgs';
  /** Number of torch-style step() calls (default 1), state carried between them. */
  steps?: number;
}

export interface NewtonRunOptions extends NewtonOptions, CommonOptions {
  method: 'newton';
}

export interface NewtonCgRunOptions extends NewtonCgOptions, CommonOptions {
  method: 'newton-cg';
}

export type MinimizeOptions = SgdRunOptions | LbfgsRunOptions | NewtonRunOptions | NewtonCgRunOptions;

const COMMON_NAMES = { method: null, record: null } as const;
/** Every option `minimize` accepts for each method, with PyTorch's spellings where they exist. */
const MINIMIZE_OPTION_NAMES: Record<Method, OptionNames> = {
  sgd: { ...COMMON_NAMES, ...SGD_OPTION_NAMES, maxIter: null, gtol: null, divergenceFactor: null },
  lbfgs: { ...COMMON_NAMES, ...LBFGS_OPTION_NAMES, steps: null },
  newton: { ...COMMON_NAMES, ...NEWTON_OPTION_NAMES },
  'newton-cg': { ...COMMON_NAMES, ...NEWTON_CG_OPTION_NAMES },
};

/** SGD's run settings (beyond torch.optim.SGD's own options), validated. */
interface SgdRun { maxIter: number; gtol: number; divergenceFactor: number }

function runSgd(ev: Evaluator, x0: Float64Array, opts: SgdOptions, run: SgdRun): RunResult {
  const o = resolveSgdOptions(opts, 'minimize');
  const { maxIter, gtol } = run;
  const K = run.divergenceFactor;
  const n = ev.n;
  const rec = ev.rec;
  const x = Float64Array.from(x0);
  const xLast = Float64Array.from(x0);
  const g = new Float64Array(n);
  const state = sgdInit();
  const start = startRun(ev, x, g);
  if (start.failed) return start.failed;
  let f = start.f;
  let gNorm = start.gradNorm;
  let x0n = 0;
  for (let i = 0; i < n; i++) x0n += x0[i] * x0[i];
  const fLimit = K * Math.max(1, Math.abs(f));
  const xLimit = K * Math.max(1, Math.sqrt(x0n));
  let fLast = f;
  let gLast = gNorm;
  const diverged = (k: number, why: string): RunResult => ({ reason: 'diverged', message: why, x: xLast, f: fLast, gradNorm: gLast, iterations: k });
  for (let k = 0; ; k++) {
    if (gtol > 0) {
      const gmax = normInf(g);
      if (gmax <= gtol) return { reason: 'converged', message: `max|∇f| = ${gmax} ≤ gtol`, x, f, gradNorm: gNorm, iterations: k };
    }
    if (k >= maxIter) return { reason: 'max-iterations', message: `maxIter = ${maxIter} reached`, x, f, gradNorm: gNorm, iterations: k };
    ev.iteration = k + 1;
    xLast.set(x);
    fLast = f;
    gLast = gNorm;
    sgdUpdate(state, x, g, o);
    let xn = 0;
    for (let i = 0; i < n; i++) xn += x[i] * x[i];
    if (!(Math.sqrt(xn) <= xLimit)) return diverged(k, `‖x‖ = ${Math.sqrt(xn)} exceeded ${xLimit} (or is not finite)`);
    f = ev.fg(x, g, EVAL_ACCEPTED);
    gNorm = ev.lastGradNorm;
    // Blow-up (f beyond the threshold, ±∞ included) is divergence; a NaN f, or a non-finite gradient
    // at a moderate point, is a non-finite objective there, not the iterates running away.
    if (Math.abs(f) > fLimit) return diverged(k, `|f| = ${Math.abs(f)} exceeded ${fLimit}`);
    if (ev.nonFinite) {
      return { reason: 'non-finite', message: `f or ∇f is not finite after update ${k + 1} (f = ${f}, ‖x‖ = ${Math.sqrt(xn)})`, x: xLast, f: fLast, gradNorm: gLast, iterations: k };
    }
    if (rec) rec.iterate({ x, f, gradNorm: gNorm, step: o.lr, evaluation: ev.lastIndex });
  }
}

function runLbfgs(ev: Evaluator, x0: Float64Array, opts: LbfgsOptions, steps: number): RunResult {
  const st = lbfgsInit(ev.n, opts, 'minimize');
  const x = Float64Array.from(x0);
  let reason: StopReason = 'max-iterations';
  let f = NaN;
  let stale = false;
  const startMoves = st.moves;
  for (let s = 0; s < steps; s++) {
    const r = lbfgsStep(st, ev, x);
    reason = r.reason;
    f = r.f;
    stale = r.stale;
    if (reason === 'non-finite') break;
  }
  let gNorm = ev.lastGradNorm;
  if (reason === 'non-finite') {
    // lbfgsStep leaves x at its last accepted value; report the last finite iterate recorded.
    const rec = ev.rec;
    if (rec && rec.iterCount > 0) {
      const k = rec.iterCount - 1;
      f = rec.iterF[k];
      gNorm = rec.iterGradNorm[k];
    } else {
      f = NaN;
      gNorm = NaN;
    }
  } else if (stale) {
    // Fixed-step mode's last move is never evaluated by PyTorch; evaluate it once for the report.
    const g = new Float64Array(ev.n);
    f = ev.fg(x, g, EVAL_FINAL);
    gNorm = ev.lastGradNorm;
    if (ev.rec) ev.rec.patchLastIterate(f, gNorm, ev.lastIndex);
    if (ev.nonFinite) reason = 'non-finite';
  } else if (ev.rec && ev.rec.iterCount > 0) {
    gNorm = ev.rec.iterGradNorm[ev.rec.iterCount - 1];
  }
  const messages: Record<StopReason, string> = {
    converged: `max|∇f| ≤ toleranceGrad = ${st.opts.toleranceGrad}`,
    'max-iterations': `maxIter = ${st.opts.maxIter} iterations in the last step() call`,
    'max-evaluations': `maxEval = ${st.opts.maxEval} evaluations in the last step() call`,
    'no-progress': 'step, change in f or directional derivative below toleranceChange',
    'line-search-failed': 'the strong-Wolfe search ended without meeting its conditions and no progress followed',
    diverged: 'diverged',
    'non-finite': 'f or ∇f was not finite',
  };
  return { reason, message: messages[reason], x, f, gradNorm: gNorm, iterations: st.moves - startMoves, lineSearchFailures: st.lineSearchFailures };
}

function checkX0(x0: ArrayLike<number>): Float64Array {
  if (x0 === null || x0 === undefined || typeof (x0 as ArrayLike<number>).length !== 'number') throw new TypeError('minimize: x0 must be an array of numbers');
  const x = Float64Array.from(x0);
  if (x.length === 0) throw new RangeError('minimize: x0 is empty');
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new RangeError(`minimize: x0[${i}] = ${x[i]} is not finite`);
  return x;
}

/**
 * Minimise f from x0 with one of four methods and return the full trace (every iterate, every
 * evaluation in order, counts and the reason for stopping). Options are validated before anything
 * is evaluated; invalid ones throw.
 *
 * - 'sgd': torch.optim.SGD updates with the exact gradient, maxIter updates.
 * - 'lbfgs': torch.optim.LBFGS (PyTorch 1.13), `steps` step() calls of up to maxIter iterations.
 * - 'newton': Newton with Cholesky, Hessian modification and Armijo backtracking.
 * - 'newton-cg': Hessian-free Newton-CG (needs `hvp`).
 *
 * `f` is an Objective on Float64Array, or a function of a shape-[n] autodiff Tensor returning a
 * 0-d Tensor (compiled with the autodiff library's `objective`, so it gets gradients and HVPs).
 */
export function minimize(fn: Objective | ((x: Tensor) => Tensor), x0: ArrayLike<number>, options: MinimizeOptions): Trace {
  if (!options || typeof options !== 'object') throw new TypeError('minimize: options with a method are required');
  const method = options.method as Method;
  if (!METHODS.includes(method)) throw new RangeError(`Unknown method ${JSON.stringify(method)}; expected one of ${METHODS.join(', ')}`);
  // Strict: every key must be an option of this method (camelCase, or PyTorch's spelling).
  const { method: _m, record, steps, maxIter, gtol, divergenceFactor, ...rest } = readOptions('minimize', options, MINIMIZE_OPTION_NAMES[method]);
  const x = checkX0(x0);
  const n = x.length;
  // A Tensor → Tensor function is compiled once by the autodiff library into an Objective; the
  // algorithms themselves only ever see Float64Arrays.
  const f: Objective = typeof fn === 'function' ? compileObjective(fn, n) : fn;
  if (!f || typeof f.value !== 'function' || typeof f.grad !== 'function') throw new TypeError('minimize: f must be an Objective with value() and grad(), or a Tensor → Tensor function');
  if (f.n !== undefined && f.n !== n) throw new RangeError(`minimize: x0 has length ${n} but the objective has n = ${f.n}`);
  // Validate everything before the first evaluation.
  const rec = checkBoolean('minimize', 'record', record ?? true) ? new TraceRecorder(n) : null;
  const ev = new Evaluator(f, n, rec);
  const budget = { min: 0, max: MAX_BUDGET, integer: true };
  let run: () => RunResult;
  switch (method) {
    case 'sgd': {
      const o = rest as unknown as SgdOptions;
      resolveSgdOptions(o, 'minimize');
      const s: SgdRun = {
        maxIter: checkNumber('minimize', 'maxIter', maxIter ?? 100, budget),
        gtol: checkNumber('minimize', 'gtol', gtol ?? 0, { min: 0 }),
        divergenceFactor: checkNumber('minimize', 'divergenceFactor', divergenceFactor ?? 1e12, { min: 1, minOpen: true }),
      };
      run = () => runSgd(ev, x, o, s);
      break;
    }
    case 'lbfgs': {
      const o = { ...rest, maxIter } as LbfgsOptions;
      lbfgsInit(0, o, 'minimize');
      const s = checkNumber('minimize', 'steps', steps ?? 1, { ...budget, min: 1 });
      run = () => runLbfgs(ev, x, o, s);
      break;
    }
    case 'newton': {
      const o = resolveNewtonOptions({ ...rest, maxIter, gtol } as NewtonOptions, 'minimize');
      if (!f.hessian && !f.hvp) throw new TypeError("minimize: method 'newton' needs hessian() or hvp() on the objective");
      run = () => runNewton(ev, x, o);
      break;
    }
    default: {
      const o = resolveNewtonCgOptions(n, { ...rest, maxIter, gtol } as NewtonCgOptions, 'minimize');
      if (!f.hvp) throw new TypeError("minimize: method 'newton-cg' needs hvp() on the objective");
      run = () => runNewtonCg(ev, x, o);
      break;
    }
  }
  const r = run();
  const cols = rec ? rec.columns() : new TraceRecorder(n, 0).columns();
  return {
    method,
    n,
    reason: r.reason,
    message: r.message,
    x: Float64Array.from(r.x),
    f: r.f,
    gradNorm: r.gradNorm,
    iterations: r.iterations,
    counts: {
      f: ev.nf,
      grad: ev.ng,
      hvp: ev.nhvp,
      hessian: ev.nhess,
      lineSearchFailures: r.lineSearchFailures ?? 0,
      notPositiveDefinite: r.notPositiveDefinite ?? 0,
    },
    ...cols,
  };
}
