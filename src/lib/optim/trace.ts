import type { Method, StopReason } from './objective.ts';

/** Kinds of evaluation, stored as small integers in `Trace.evaluations.kind`. */
export const EVAL_INITIAL = 0; // the evaluation that opens a run (or a torch LBFGS step() call)
export const EVAL_TRIAL = 1; // a line-search trial that was not taken
export const EVAL_ACCEPTED = 2; // the point became the next iterate
export const EVAL_FINAL = 3; // a reporting-only evaluation of the last iterate (see docs/optim.md)
export type EvalKind = 'initial' | 'trial' | 'accepted' | 'final';
const KIND_NAMES: readonly EvalKind[] = ['initial', 'trial', 'accepted', 'final'];

/** Per-iteration note on how the search direction was obtained (`Trace.iterates.modification`). */
export const MOD_NONE = 0;
/** Newton: H was not positive definite, H + τI was used (Nocedal & Wright Alg. 3.3); τ in `tau`. */
export const MOD_SHIFT = 1;
/** Newton: H was not positive definite, the steepest-descent direction −g was used. */
export const MOD_GRADIENT = 2;
/** Newton-CG: CG met negative curvature and stopped early. */
export const MOD_NEGATIVE_CURVATURE = 3;

/**
 * The record of one run. Point-valued columns are flat row-major Float64Arrays (row k holds n
 * numbers) so that recording costs no allocation per step; use `iterateX`/`evaluationX` for views.
 */
export interface Trace {
  method: Method;
  n: number;
  reason: StopReason;
  message: string;
  /** Final iterate, f there and ‖∇f‖₂ there. Always the last finite, evaluated iterate. */
  x: Float64Array;
  f: number;
  gradNorm: number;
  /** Iterations taken (= iterates.count − 1). */
  iterations: number;
  counts: {
    /** Objective value evaluations, gradient evaluations, Hessian-vector products, dense Hessians. */
    f: number;
    grad: number;
    hvp: number;
    hessian: number;
    /** Line searches that ended without satisfying their conditions. */
    lineSearchFailures: number;
    /** Newton iterations whose Hessian was not positive definite. */
    notPositiveDefinite: number;
  };
  iterates: {
    count: number;
    /** count × n. Row 0 is x₀. */
    x: Float64Array;
    f: Float64Array;
    gradNorm: Float64Array;
    /** Step size t that produced x_k from x_{k−1} (NaN for k = 0). */
    step: Float64Array;
    /** Index into `evaluations` of the evaluation at x_k, −1 if it was never evaluated. */
    evaluation: Int32Array;
    /** MOD_* code for the direction used to reach x_k. */
    modification: Uint8Array;
    /** τ added to the Hessian's diagonal (MOD_SHIFT), else 0. */
    tau: Float64Array;
    /** Inner iterations: CG iterations (Newton-CG), backtracks (Newton), line-search evaluations (L-BFGS). */
    inner: Int32Array;
    /** 1 if the line search that produced x_k met its conditions (or none was run), 0 if not. */
    lineSearchOk: Uint8Array;
  };
  evaluations: {
    count: number;
    /** count × n, in the order f was evaluated. */
    x: Float64Array;
    f: Float64Array;
    gradNorm: Float64Array;
    /** EVAL_* code. */
    kind: Uint8Array;
    /** Iteration during which the evaluation happened (0 = before the first step). */
    iteration: Int32Array;
  };
}

export function evalKind(trace: Trace, i: number): EvalKind {
  return KIND_NAMES[trace.evaluations.kind[i]];
}

/** View (no copy) of iterate k's coordinates. */
export function iterateX(trace: Trace, k: number): Float64Array {
  return trace.iterates.x.subarray(k * trace.n, (k + 1) * trace.n);
}

/** View (no copy) of evaluation i's coordinates. */
export function evaluationX(trace: Trace, i: number): Float64Array {
  return trace.evaluations.x.subarray(i * trace.n, (i + 1) * trace.n);
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T {
  if (size <= a.length) return a;
  const b = new (a.constructor as new (len: number) => T)(Math.max(size, 2 * a.length));
  b.set(a);
  return b;
}

/** One iterate for TraceRecorder.iterate: x_k, f and ‖∇f‖₂ there, and how it was reached. */
export interface IterateRecord {
  x: Float64Array;
  /** f(x_k) (NaN when x_k was never evaluated). */
  f: number;
  /** ‖∇f(x_k)‖₂ (NaN when never evaluated). */
  gradNorm: number;
  /** Step t that produced x_k (default NaN: x₀). */
  step?: number;
  /** Index of the evaluation at x_k (default −1: none). */
  evaluation?: number;
  /** MOD_* code for the direction (default MOD_NONE). */
  modification?: number;
  /** τ added to the Hessian's diagonal (default 0). */
  tau?: number;
  /** Inner iterations (CG steps, backtracks, line-search evaluations; default 0). */
  inner?: number;
  /** Whether the line search met its conditions (default true). */
  lineSearchOk?: boolean;
}

/**
 * Growable column buffers for a Trace. Capacity doubles, so recording is amortised O(n) per point
 * with O(log k) allocations per run.
 */
export class TraceRecorder {
  readonly n: number;
  /** Evaluations recorded so far, and their columns (see Trace.evaluations). */
  evalCount = 0;
  evalX: Float64Array;
  evalF: Float64Array;
  evalGradNorm: Float64Array;
  evalKind: Uint8Array;
  evalIteration: Int32Array;
  /** Iterates recorded so far, and their columns (see Trace.iterates). */
  iterCount = 0;
  iterX: Float64Array;
  iterF: Float64Array;
  iterGradNorm: Float64Array;
  iterStep: Float64Array;
  iterEvaluation: Int32Array;
  iterModification: Uint8Array;
  iterTau: Float64Array;
  iterInner: Int32Array;
  iterLineSearchOk: Uint8Array;

  constructor(n: number, capacity = 32) {
    this.n = n;
    this.evalX = new Float64Array(capacity * n);
    this.evalF = new Float64Array(capacity);
    this.evalGradNorm = new Float64Array(capacity);
    this.evalKind = new Uint8Array(capacity);
    this.evalIteration = new Int32Array(capacity);
    this.iterX = new Float64Array(capacity * n);
    this.iterF = new Float64Array(capacity);
    this.iterGradNorm = new Float64Array(capacity);
    this.iterStep = new Float64Array(capacity);
    this.iterEvaluation = new Int32Array(capacity);
    this.iterModification = new Uint8Array(capacity);
    this.iterTau = new Float64Array(capacity);
    this.iterInner = new Int32Array(capacity);
    this.iterLineSearchOk = new Uint8Array(capacity);
  }

  /** Record an evaluation; returns its index. */
  evaluation(x: Float64Array, f: number, gradNorm: number, kind: number, iteration: number): number {
    const i = this.evalCount++;
    if (i >= this.evalF.length) {
      const cap = 2 * this.evalF.length;
      this.evalX = grow(this.evalX, cap * this.n);
      this.evalF = grow(this.evalF, cap);
      this.evalGradNorm = grow(this.evalGradNorm, cap);
      this.evalKind = grow(this.evalKind, cap);
      this.evalIteration = grow(this.evalIteration, cap);
    }
    this.evalX.set(x, i * this.n);
    this.evalF[i] = f;
    this.evalGradNorm[i] = gradNorm;
    this.evalKind[i] = kind;
    this.evalIteration[i] = iteration;
    return i;
  }

  setKind(i: number, kind: number): void {
    if (i >= 0 && i < this.evalCount) this.evalKind[i] = kind;
  }

  /** Record iterate x_k. */
  iterate(r: IterateRecord): void {
    const k = this.iterCount++;
    if (k >= this.iterF.length) {
      const cap = 2 * this.iterF.length;
      this.iterX = grow(this.iterX, cap * this.n);
      this.iterF = grow(this.iterF, cap);
      this.iterGradNorm = grow(this.iterGradNorm, cap);
      this.iterStep = grow(this.iterStep, cap);
      this.iterEvaluation = grow(this.iterEvaluation, cap);
      this.iterModification = grow(this.iterModification, cap);
      this.iterTau = grow(this.iterTau, cap);
      this.iterInner = grow(this.iterInner, cap);
      this.iterLineSearchOk = grow(this.iterLineSearchOk, cap);
    }
    this.iterX.set(r.x, k * this.n);
    this.iterF[k] = r.f;
    this.iterGradNorm[k] = r.gradNorm;
    this.iterStep[k] = r.step ?? NaN;
    this.iterEvaluation[k] = r.evaluation ?? -1;
    this.iterModification[k] = r.modification ?? MOD_NONE;
    this.iterTau[k] = r.tau ?? 0;
    this.iterInner[k] = r.inner ?? 0;
    this.iterLineSearchOk[k] = r.lineSearchOk === false ? 0 : 1;
  }

  /** Overwrite the value columns of the last iterate (used when a stale iterate gets evaluated). */
  patchLastIterate(f: number, gradNorm: number, evaluation: number): void {
    const k = this.iterCount - 1;
    if (k < 0) return;
    this.iterF[k] = f;
    this.iterGradNorm[k] = gradNorm;
    this.iterEvaluation[k] = evaluation;
  }

  /** Trimmed copies of the columns (copies, so the recorder's large buffers can be dropped). */
  columns(): { iterates: Trace['iterates']; evaluations: Trace['evaluations'] } {
    const n = this.n;
    const k = this.iterCount;
    const e = this.evalCount;
    return {
      iterates: {
        count: k,
        x: this.iterX.slice(0, k * n),
        f: this.iterF.slice(0, k),
        gradNorm: this.iterGradNorm.slice(0, k),
        step: this.iterStep.slice(0, k),
        evaluation: this.iterEvaluation.slice(0, k),
        modification: this.iterModification.slice(0, k),
        tau: this.iterTau.slice(0, k),
        inner: this.iterInner.slice(0, k),
        lineSearchOk: this.iterLineSearchOk.slice(0, k),
      },
      evaluations: {
        count: e,
        x: this.evalX.slice(0, e * n),
        f: this.evalF.slice(0, e),
        gradNorm: this.evalGradNorm.slice(0, e),
        kind: this.evalKind.slice(0, e),
        iteration: this.evalIteration.slice(0, e),
      },
    };
  }
}
