import { axpyAt, axpyAtFma } from '../linalg/axpy.ts';
import { dotAt, dotAtFma } from '../linalg/dot.ts';
import { fma } from '../linalg/fma.ts';
import { norm1 } from '../linalg/norms.ts';
import { checkBoolean, checkNumber, inRange, MAX_BUDGET, readOptions, showValue, type NumberRange, type TorchSpellings } from '../autodiff/options.ts';
import type { Evaluator } from './evaluator.ts';
import type { StopReason } from './objective.ts';
import { EVAL_ACCEPTED, EVAL_INITIAL, EVAL_TRIAL } from './trace.ts';
import { StrongWolfeWorkspace, strongWolfe } from './strongWolfe.ts';

/** L-BFGS options, camelCase (the documented form). */
export interface LbfgsOptionsCamel {
  /** Learning rate: the first trial step of each iteration (default 1). */
  lr?: number;
  /** Iterations per step() call (default 20). */
  maxIter?: number;
  /** Evaluations per step() call (default ⌊maxIter·5/4⌋). */
  maxEval?: number;
  /** Stop when max|∇f| ≤ toleranceGrad (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the step or the change in f falls below this (default 1e-9). */
  toleranceChange?: number;
  /** Number of curvature pairs (s, y) kept (default 100). */
  historySize?: number;
  /** null/undefined: fixed step t = lr; 'strong_wolfe': the strong-Wolfe search. */
  lineSearchFn?: 'strong_wolfe' | null;
  /** Strong-Wolfe constants (PyTorch hard-codes 1e-4 and 0.9). */
  c1?: number;
  c2?: number;
  /** Line-search iteration budget max_ls (PyTorch 1.13: 25; up to maxLs + 1 evaluations). */
  maxLs?: number;
  /**
   * Newer PyTorch (≥ 2.x) passes max_ls = max_eval − evaluations so far to the line search, so one
   * step() never exceeds max_eval by much. PyTorch 1.13 does not; off by default.
   */
  capLineSearchByBudget?: boolean;
  /**
   * Round every operation as PyTorch 1.13 does on OpenBLAS's SkylakeX kernel, to the last bit
   * (default false): updates u + a·v as fused multiply-adds and dot products as OpenBLAS's `ddot`
   * accumulates them (both emulated in software, which makes the two-loop recursion about ten times
   * slower), PyTorch's order for ‖g‖₁, and the extra rounding of `float / tensor` in the line search.
   * Off, the same algorithm runs in plain IEEE arithmetic and agrees with PyTorch within 1e-10
   * relative on the fixture paths, with the same evaluation counts.
   */
  exactRounding?: boolean;
}

/** Every L-BFGS option and its PyTorch spelling (null: PyTorch has no such option or the same name). */
export const LBFGS_OPTION_NAMES = {
  lr: null, maxIter: 'max_iter', maxEval: 'max_eval', toleranceGrad: 'tolerance_grad', toleranceChange: 'tolerance_change',
  historySize: 'history_size', lineSearchFn: 'line_search_fn', c1: null, c2: null, maxLs: 'max_ls',
  capLineSearchByBudget: null, exactRounding: null,
} as const;

/** L-BFGS options: camelCase, or PyTorch's spelling (`max_iter`, `line_search_fn`, …); not both for one option. */
export type LbfgsOptions = LbfgsOptionsCamel &
  TorchSpellings<LbfgsOptionsCamel, { maxIter: 'max_iter'; maxEval: 'max_eval'; toleranceGrad: 'tolerance_grad'; toleranceChange: 'tolerance_change'; historySize: 'history_size'; lineSearchFn: 'line_search_fn'; maxLs: 'max_ls' }>;

export type ResolvedLbfgsOptions = Required<Omit<LbfgsOptionsCamel, 'lineSearchFn'>> & { lineSearchFn: 'strong_wolfe' | null };

/**
 * Fill in PyTorch's defaults and reject unknown options and invalid values, naming the valid range
 * (PyTorch itself validates none of them). Budgets are capped at MAX_BUDGET (10⁶).
 */
export function resolveLbfgsOptions(options: LbfgsOptions = {}, who = 'LBFGS'): ResolvedLbfgsOptions {
  const o = readOptions(who, options, LBFGS_OPTION_NAMES);
  const budget: NumberRange = { min: 1, max: MAX_BUDGET, integer: true };
  const lr = o.lr ?? 1;
  if (!inRange(lr, { min: 0, minOpen: true })) throw new RangeError(`Invalid learning rate: ${showValue(lr)} (lr must be a finite number > 0)`);
  const maxIter = checkNumber(who, 'maxIter', o.maxIter ?? 20, budget);
  const maxEval = checkNumber(who, 'maxEval', o.maxEval ?? Math.floor((maxIter * 5) / 4), { ...budget, max: Math.floor((MAX_BUDGET * 5) / 4) });
  const toleranceGrad = checkNumber(who, 'toleranceGrad', o.toleranceGrad ?? 1e-7, { min: 0 });
  const toleranceChange = checkNumber(who, 'toleranceChange', o.toleranceChange ?? 1e-9, { min: 0 });
  const historySize = checkNumber(who, 'historySize', o.historySize ?? 100, { min: 1, max: 10_000, integer: true });
  const ls = o.lineSearchFn ?? null;
  if (ls !== null && ls !== 'strong_wolfe') throw new RangeError(`${who}: only 'strong_wolfe' is supported (got line search ${JSON.stringify(ls)}); lineSearchFn must be 'strong_wolfe' or null`);
  const c1 = o.c1 ?? 1e-4;
  const c2 = o.c2 ?? 0.9;
  if (!(inRange(c1, {}) && inRange(c2, {}) && c1 > 0 && c1 < c2 && c2 < 1)) throw new RangeError(`Invalid Wolfe constants: need 0 < c1 < c2 < 1, got c1=${showValue(c1)}, c2=${showValue(c2)}`);
  const maxLs = checkNumber(who, 'maxLs', o.maxLs ?? 25, budget);
  const capLineSearchByBudget = checkBoolean(who, 'capLineSearchByBudget', o.capLineSearchByBudget ?? false);
  const exactRounding = checkBoolean(who, 'exactRounding', o.exactRounding ?? false);
  return { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn: ls, c1, c2, maxLs, capLineSearchByBudget, exactRounding };
}

/**
 * Everything torch.optim.LBFGS keeps in `state` between step() calls, plus scratch buffers.
 * The (s, y) history is a ring buffer: pair j (0 = oldest) lives in row (head + j) mod m.
 */
export interface LbfgsState {
  readonly n: number;
  readonly opts: ResolvedLbfgsOptions;
  funcEvals: number;
  /** PyTorch's n_iter: iterations started, including one that stops before moving. */
  nIter: number;
  /** Iterations that moved x (the trace's iteration count). */
  moves: number;
  d: Float64Array;
  t: number;
  S: Float64Array;
  Y: Float64Array;
  rho: Float64Array;
  al: Float64Array;
  head: number;
  len: number;
  hDiag: number;
  prevGrad: Float64Array;
  prevLoss: number;
  g: Float64Array;
  xt: Float64Array;
  ws: StrongWolfeWorkspace;
  /** Outcome of the latest step() call. */
  lastReason: StopReason | null;
  lastLineSearchOk: boolean;
  /** Line searches that ended without the strong Wolfe conditions. */
  lineSearchFailures: number;
}

export function lbfgsInit(n: number, options: LbfgsOptions = {}, who = 'LBFGS'): LbfgsState {
  const opts = resolveLbfgsOptions(options, who);
  const m = opts.historySize;
  return {
    n,
    opts,
    funcEvals: 0,
    nIter: 0,
    moves: 0,
    d: new Float64Array(n),
    t: 0,
    S: new Float64Array(m * n),
    Y: new Float64Array(m * n),
    rho: new Float64Array(m),
    al: new Float64Array(m),
    head: 0,
    len: 0,
    hDiag: 1,
    prevGrad: new Float64Array(n),
    prevLoss: NaN,
    g: new Float64Array(n),
    xt: new Float64Array(n),
    ws: new StrongWolfeWorkspace(n),
    lastReason: null,
    lastLineSearchOk: true,
    lineSearchFailures: 0,
  };
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * Two-loop recursion (Nocedal & Wright Alg. 7.4): d = −H_k ∇f with H_k⁰ = γI, γ = sᵀy/yᵀy of the
 * newest pair (eq. 7.20). Collapsed onto one buffer as PyTorch does, so rounding matches.
 */
function twoLoop(st: LbfgsState): void {
  const { n, S, Y, rho, al, g, d } = st;
  const m = st.opts.historySize;
  const exact = st.opts.exactRounding;
  const num = st.len;
  for (let i = 0; i < n; i++) d[i] = -g[i];
  for (let j = num - 1; j >= 0; j--) {
    const r = (st.head + j) % m;
    const a = (exact ? dotAtFma(S, r * n, d, n) : dotAt(S, r * n, d, n)) * rho[r];
    al[j] = a;
    if (exact) axpyAtFma(-a, Y, r * n, d, n);
    else axpyAt(-a, Y, r * n, d, n);
  }
  for (let i = 0; i < n; i++) d[i] *= st.hDiag;
  for (let j = 0; j < num; j++) {
    const r = (st.head + j) % m;
    const be = (exact ? dotAtFma(Y, r * n, d, n) : dotAt(Y, r * n, d, n)) * rho[r];
    if (exact) axpyAtFma(al[j] - be, S, r * n, d, n);
    else axpyAt(al[j] - be, S, r * n, d, n);
  }
}

export interface LbfgsStepResult {
  /** f at the start of this step() call (what torch's step returns). */
  loss: number;
  /** Last f computed (at x, unless the last fixed step was not re-evaluated). */
  f: number;
  reason: StopReason;
  /** True when x's current value was never evaluated (fixed-step mode's last iteration). */
  stale: boolean;
}

/**
 * One torch.optim.LBFGS.step(closure) call (PyTorch 1.13 semantics), updating x in place and
 * carrying history in `st`. Each iteration: curvature pair (s, y) = (t·d, ∇f_new − ∇f_old) kept only
 * if yᵀs > 1e-10; direction by the two-loop recursion (first ever: d = −g); first-ever step
 * t = min(1, 1/‖g‖₁)·lr, later t = lr; then the strong-Wolfe search or a fixed step. Stops, in
 * PyTorch's order: no descent (gᵀd > −tolChange), maxIter, maxEval, max|g| ≤ tolGrad,
 * max|t·d| ≤ tolChange, |Δf| < tolChange.
 *
 * With `exactRounding`, updates of the form v + a·w use a fused multiply-add, as PyTorch's
 * `add_(w, alpha=a)` does on CPU; by default they are plain IEEE arithmetic.
 *
 * Deviations (only where PyTorch would go on with NaN): a non-finite f or gradient stops the call
 * with 'non-finite' and x keeps its last finite accepted value.
 *
 * The Evaluator records every evaluation; iterates are recorded on `ev.rec` when present.
 */
export function lbfgsStep(st: LbfgsState, ev: Evaluator, x: Float64Array): LbfgsStepResult {
  const o = st.opts;
  const n = st.n;
  const { g, d, xt, S, Y, rho, prevGrad } = st;
  const rec = ev.rec;
  const firstCall = st.funcEvals === 0;
  let loss = ev.fg(x, g, EVAL_INITIAL);
  let gNorm = ev.lastGradNorm;
  let evalIdx = ev.lastIndex;
  const origLoss = loss;
  let currentEvals = 1;
  st.funcEvals++;
  if (rec && firstCall) rec.iterate({ x, f: loss, gradNorm: gNorm, evaluation: evalIdx });
  const finish = (reason: StopReason, f: number, stale = false): LbfgsStepResult => {
    st.lastReason = reason;
    return { loss: origLoss, f, reason, stale };
  };
  if (ev.nonFinite) return finish('non-finite', loss);
  if (maxAbs(g) <= o.toleranceGrad) return finish('converged', loss);

  const ws = st.ws;
  const m = o.historySize;
  let nIter = 0;
  let lsOk = true;
  let stale = false;
  // Curvature pairs need ∇f_old, which prevGrad holds; y is formed in xt (free at that moment).
  const exact = o.exactRounding;
  const phi = (t: number, gOut: Float64Array): number => {
    if (exact) for (let i = 0; i < n; i++) xt[i] = fma(d[i], t, x[i]);
    else for (let i = 0; i < n; i++) xt[i] = x[i] + t * d[i];
    return ev.fg(xt, gOut, EVAL_TRIAL);
  };
  while (nIter < o.maxIter) {
    nIter++;
    st.nIter++;
    ev.iteration = st.nIter;
    if (st.nIter === 1) {
      for (let i = 0; i < n; i++) d[i] = -g[i];
      st.len = 0;
      st.head = 0;
      st.hDiag = 1;
    } else {
      const y = xt;
      let ys = 0;
      for (let i = 0; i < n; i++) {
        y[i] = g[i] - prevGrad[i];
        ys = exact ? fma(y[i], d[i] * st.t, ys) : ys + y[i] * (d[i] * st.t);
      }
      if (ys > 1e-10) {
        let slot: number;
        if (st.len === m) {
          slot = st.head;
          st.head = (st.head + 1) % m;
        } else {
          slot = (st.head + st.len) % m;
          st.len++;
        }
        let yy = 0;
        for (let i = 0; i < n; i++) {
          Y[slot * n + i] = y[i];
          S[slot * n + i] = d[i] * st.t;
          yy = exact ? fma(y[i], y[i], yy) : yy + y[i] * y[i];
        }
        rho[slot] = 1 / ys;
        st.hDiag = ys / yy;
      }
      twoLoop(st);
    }
    prevGrad.set(g);
    st.prevLoss = loss;

    let t: number;
    // PyTorch computes min(1., 1. / tensor) * lr: the step is a 0-d tensor when 1/‖g‖₁ < 1.
    let tIsTensor = false;
    if (st.nIter === 1) {
      const inv = 1 / (exact ? sumAbsTorchOrder(g) : norm1(g));
      tIsTensor = inv < 1;
      t = (tIsTensor ? inv : 1) * o.lr;
    } else t = o.lr;
    st.t = t;

    let gtd = 0;
    if (exact) for (let i = 0; i < n; i++) gtd = fma(g[i], d[i], gtd);
    else for (let i = 0; i < n; i++) gtd += g[i] * d[i];
    if (gtd > -o.toleranceChange) return finish(lsOk ? 'no-progress' : 'line-search-failed', loss);

    let lsEvals = 0;
    let optCond = false;
    let inner = 0;
    if (o.lineSearchFn === 'strong_wolfe') {
      const maxLs = o.capLineSearchByBudget ? o.maxEval - currentEvals : o.maxLs;
      const firstEval = rec ? rec.evalCount : 0;
      const r = strongWolfe(phi, d, loss, g, gtd, t, { c1: o.c1, c2: o.c2, toleranceChange: o.toleranceChange, maxLs, stepIsTensor: tIsTensor, exactRounding: exact }, ws, g);
      lsEvals = r.evals;
      inner = r.evals;
      st.funcEvals += lsEvals;
      if (r.nonFinite) return finish('non-finite', loss);
      lsOk = r.ok;
      st.lastLineSearchOk = r.ok;
      if (!r.ok) st.lineSearchFailures++;
      loss = r.f;
      t = r.t;
      st.t = t;
      moveAlong(x, d, t, exact);
      optCond = maxAbs(g) <= o.toleranceGrad;
      evalIdx = r.accepted > 0 && rec ? firstEval + r.accepted - 1 : -1;
      if (rec && evalIdx >= 0) rec.setKind(evalIdx, EVAL_ACCEPTED);
      gNorm = r.accepted > 0 ? (rec ? rec.evalGradNorm[evalIdx] : normOf(g)) : gNorm;
      stale = false;
    } else {
      xt.set(x);
      moveAlong(x, d, t, exact);
      if (nIter !== o.maxIter) {
        loss = ev.fg(x, g, EVAL_ACCEPTED);
        gNorm = ev.lastGradNorm;
        evalIdx = ev.lastIndex;
        lsEvals = 1;
        st.funcEvals++;
        if (ev.nonFinite) {
          // Keep x at the last point whose f and ∇f were finite.
          x.set(xt);
          return finish('non-finite', loss);
        }
        optCond = maxAbs(g) <= o.toleranceGrad;
        stale = false;
      } else {
        // PyTorch leaves f and ∇f stale here (no point re-evaluating in a stochastic setting).
        stale = true;
        evalIdx = -1;
      }
    }
    currentEvals += lsEvals;
    st.moves++;
    if (rec) {
      if (stale) rec.iterate({ x, f: NaN, gradNorm: NaN, step: t, evaluation: -1, inner, lineSearchOk: lsOk });
      else rec.iterate({ x, f: loss, gradNorm: gNorm, step: t, evaluation: evalIdx, inner, lineSearchOk: lsOk });
    }

    if (nIter === o.maxIter) return finish('max-iterations', loss, stale);
    if (currentEvals >= o.maxEval) return finish('max-evaluations', loss);
    if (optCond) return finish('converged', loss);
    let stepMax = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(d[i] * t);
      if (a > stepMax) stepMax = a;
    }
    if (stepMax <= o.toleranceChange) return finish(lsOk ? 'no-progress' : 'line-search-failed', loss);
    if (Math.abs(loss - st.prevLoss) < o.toleranceChange) return finish(lsOk ? 'no-progress' : 'line-search-failed', loss);
  }
  return finish('max-iterations', loss, stale);
}

/**
 * Σ|gᵢ| in the order PyTorch's CPU `sum` adds float64 values for n < 16: four lanes over whole
 * groups of four, then the tail, then the lanes (sequential otherwise).
 */
function sumAbsTorchOrder(g: Float64Array): number {
  const n = g.length;
  let s = 0;
  if (n < 4 || n >= 16) {
    for (let i = 0; i < n; i++) s += Math.abs(g[i]);
    return s;
  }
  const groups = n >> 2;
  let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
  for (let k = 0; k < groups; k++) {
    l0 += Math.abs(g[4 * k]);
    l1 += Math.abs(g[4 * k + 1]);
    l2 += Math.abs(g[4 * k + 2]);
    l3 += Math.abs(g[4 * k + 3]);
  }
  for (let i = 4 * groups; i < n; i++) s += Math.abs(g[i]);
  return s + l0 + l1 + l2 + l3;
}

/** x ← x + t·d: PyTorch's `x.add_(d, alpha=t)`, a fused multiply-add when `exact`. */
function moveAlong(x: Float64Array, d: Float64Array, t: number, exact: boolean): void {
  if (exact) for (let i = 0; i < x.length; i++) x[i] = fma(d[i], t, x[i]);
  else for (let i = 0; i < x.length; i++) x[i] += t * d[i];
}

function normOf(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
