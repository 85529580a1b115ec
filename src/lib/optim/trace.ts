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

/**
 * Growable column buffers for a Trace. Capacity doubles, so recording is amortised O(n) per point
 * with O(log k) allocations per run.
 */
export class TraceRecorder {
  readonly n: number;
  ne = 0;
  ex: Float64Array;
  ef: Float64Array;
  eg: Float64Array;
  ek: Uint8Array;
  ei: Int32Array;
  ni = 0;
  ix: Float64Array;
  iF: Float64Array;
  ig: Float64Array;
  is: Float64Array;
  ie: Int32Array;
  im: Uint8Array;
  it: Float64Array;
  iin: Int32Array;
  ils: Uint8Array;

  constructor(n: number, capacity = 32) {
    this.n = n;
    this.ex = new Float64Array(capacity * n);
    this.ef = new Float64Array(capacity);
    this.eg = new Float64Array(capacity);
    this.ek = new Uint8Array(capacity);
    this.ei = new Int32Array(capacity);
    this.ix = new Float64Array(capacity * n);
    this.iF = new Float64Array(capacity);
    this.ig = new Float64Array(capacity);
    this.is = new Float64Array(capacity);
    this.ie = new Int32Array(capacity);
    this.im = new Uint8Array(capacity);
    this.it = new Float64Array(capacity);
    this.iin = new Int32Array(capacity);
    this.ils = new Uint8Array(capacity);
  }

  /** Record an evaluation; returns its index. */
  evaluation(x: Float64Array, f: number, gradNorm: number, kind: number, iteration: number): number {
    const i = this.ne++;
    if (i >= this.ef.length) {
      const cap = 2 * this.ef.length;
      this.ex = grow(this.ex, cap * this.n);
      this.ef = grow(this.ef, cap);
      this.eg = grow(this.eg, cap);
      this.ek = grow(this.ek, cap);
      this.ei = grow(this.ei, cap);
    }
    this.ex.set(x, i * this.n);
    this.ef[i] = f;
    this.eg[i] = gradNorm;
    this.ek[i] = kind;
    this.ei[i] = iteration;
    return i;
  }

  setKind(i: number, kind: number): void {
    if (i >= 0 && i < this.ne) this.ek[i] = kind;
  }

  /** Record iterate x_k. */
  iterate(x: Float64Array, f: number, gradNorm: number, step: number, evaluation: number, modification = 0, tau = 0, inner = 0, lineSearchOk = true): void {
    const k = this.ni++;
    if (k >= this.iF.length) {
      const cap = 2 * this.iF.length;
      this.ix = grow(this.ix, cap * this.n);
      this.iF = grow(this.iF, cap);
      this.ig = grow(this.ig, cap);
      this.is = grow(this.is, cap);
      this.ie = grow(this.ie, cap);
      this.im = grow(this.im, cap);
      this.it = grow(this.it, cap);
      this.iin = grow(this.iin, cap);
      this.ils = grow(this.ils, cap);
    }
    this.ix.set(x, k * this.n);
    this.iF[k] = f;
    this.ig[k] = gradNorm;
    this.is[k] = step;
    this.ie[k] = evaluation;
    this.im[k] = modification;
    this.it[k] = tau;
    this.iin[k] = inner;
    this.ils[k] = lineSearchOk ? 1 : 0;
  }

  /** Overwrite the value columns of the last iterate (used when a stale iterate gets evaluated). */
  patchLastIterate(f: number, gradNorm: number, evaluation: number): void {
    const k = this.ni - 1;
    if (k < 0) return;
    this.iF[k] = f;
    this.ig[k] = gradNorm;
    this.ie[k] = evaluation;
  }

  /** Trimmed copies of the columns (copies, so the recorder's large buffers can be dropped). */
  columns(): { iterates: Trace['iterates']; evaluations: Trace['evaluations'] } {
    const n = this.n;
    const k = this.ni;
    const e = this.ne;
    return {
      iterates: {
        count: k,
        x: this.ix.slice(0, k * n),
        f: this.iF.slice(0, k),
        gradNorm: this.ig.slice(0, k),
        step: this.is.slice(0, k),
        evaluation: this.ie.slice(0, k),
        modification: this.im.slice(0, k),
        tau: this.it.slice(0, k),
        inner: this.iin.slice(0, k),
        lineSearchOk: this.ils.slice(0, k),
      },
      evaluations: {
        count: e,
        x: this.ex.slice(0, e * n),
        f: this.ef.slice(0, e),
        gradNorm: this.eg.slice(0, e),
        kind: this.ek.slice(0, e),
        iteration: this.ei.slice(0, e),
      },
    };
  }
}
