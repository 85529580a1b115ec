import { fma } from '../linalg/fma.ts';
import { cubicInterpolateTracked, type TrackedStep } from './cubicInterpolate.ts';

/**
 * φ(t) = f(x + t·d): evaluate at the trial step t, write ∇f(x + t·d) into gOut, return f.
 * Implementations must compute the trial point as xᵢ + t·dᵢ (that is what PyTorch does).
 */
export type LineFunction = (t: number, gOut: Float64Array) => number;

export interface StrongWolfeOptions {
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Curvature constant (default 0.9). */
  c2?: number;
  /** Stop zooming when |bracket width|·max|d| < toleranceChange (default 1e-9). */
  toleranceChange?: number;
  /**
   * Iteration budget after the first trial (default 25, PyTorch's max_ls): at most maxLs + 1
   * evaluations, because PyTorch evaluates the last extrapolated step before checking the budget.
   */
  maxLs?: number;
  /**
   * Whether PyTorch holds the first trial step as a 0-d tensor (true for L-BFGS's very first
   * step min(1, 1/‖g‖₁)·lr when 1/‖g‖₁ < 1). Only affects one rounding inside the cubic
   * interpolation; see cubicInterpolateTracked.
   */
  stepIsTensor?: boolean;
  /**
   * Reproduce PyTorch's rounding (default false): dot products with fused multiply-adds as OpenBLAS's
   * `ddot`, and the `float / tensor` rounding of the cubic interpolation (see `stepIsTensor`).
   */
  exactRounding?: boolean;
}

export interface StrongWolfeResult {
  /** Accepted step (0 if nothing better than the start was found). */
  t: number;
  /** f at the accepted step; its gradient is in the `gOut` passed in. */
  f: number;
  /** gᵀd at the accepted step. */
  gtd: number;
  /** Evaluations made. */
  evals: number;
  /** Which of those evaluations is the accepted point, 1-based; 0 means the starting point. */
  accepted: number;
  /** True when the strong Wolfe conditions hold at the accepted step. */
  ok: boolean;
  /** True when an evaluation returned a non-finite value (the search stopped there). */
  nonFinite: boolean;
  /** Why the search ended. */
  exit: 'wolfe' | 'max-ls' | 'tiny-bracket' | 'non-finite';
}

/** Scratch buffers for strongWolfe; allocate once per run and reuse. */
export class StrongWolfeWorkspace {
  readonly gNew: Float64Array;
  readonly gPrev: Float64Array;
  readonly bg: [Float64Array, Float64Array];
  constructor(readonly n: number) {
    this.gNew = new Float64Array(n);
    this.gPrev = new Float64Array(n);
    this.bg = [new Float64Array(n), new Float64Array(n)];
  }
}

/**
 * Line search for a step t satisfying the strong Wolfe conditions (Nocedal & Wright Alg. 3.5 with
 * the zoom of Alg. 3.6):
 *
 *   f(x + t d) ≤ f(x) + c1·t·∇fᵀd   and   |∇f(x + t d)ᵀd| ≤ c2·|∇fᵀd|,
 *
 * in PyTorch 1.13's variant (`torch.optim.lbfgs._strong_wolfe`, from Torch7's lswolfe.lua): bracket
 * by cubic extrapolation into [t + 0.01(t − t_prev), 10t], then zoom by clamped cubic interpolation
 * with the 10%-from-the-ends safeguard. The sequence of trial steps is PyTorch's, bit for bit.
 *
 * Deviations, both only where PyTorch would produce NaN: a non-finite f or gradient ends the search at
 * once (`nonFinite`, the best earlier point is returned), and so does a non-finite trial step.
 *
 * @param phi evaluates f and ∇f at x + t·d
 * @param d search direction
 * @param f f(x)
 * @param g ∇f(x) (not modified)
 * @param gtd ∇f(x)ᵀd (< 0)
 * @param t first trial step
 * @param gOut receives ∇f at the accepted step
 */
export function strongWolfe(
  phi: LineFunction,
  d: Float64Array,
  f: number,
  g: Float64Array,
  gtd: number,
  t: number,
  options: StrongWolfeOptions,
  ws: StrongWolfeWorkspace,
  gOut: Float64Array,
): StrongWolfeResult {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const tolChange = options.toleranceChange ?? 1e-9;
  const maxLs = options.maxLs ?? 25;
  const exact = options.exactRounding ?? false;
  const n = d.length;
  let dNorm = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(d[i]);
    if (a > dNorm) dNorm = a;
  }
  const { gNew, gPrev, bg } = ws;

  let evals = 0;
  let nonFinite = false;
  const evalAt = (step: number): number => {
    evals++;
    const v = phi(step, gNew);
    if (!Number.isFinite(v)) nonFinite = true;
    for (let i = 0; i < n && !nonFinite; i++) if (!Number.isFinite(gNew[i])) nonFinite = true;
    return v;
  };
  const dotD = (v: Float64Array): number => {
    let s = 0;
    // Exact mode: fused multiply-add accumulation, as the BLAS ddot behind torch's `dot` rounds.
    if (exact) for (let i = 0; i < n; i++) s = fma(v[i], d[i], s);
    else for (let i = 0; i < n; i++) s += v[i] * d[i];
    return s;
  };

  // Bracket state: positions 0 and 1 with step, value, slope, gradient buffer and evaluation number.
  const bt = [0, 0];
  const bT = [false, false]; // PyTorch tensor-ness of each bracket step (see cubicInterpolateTracked)
  const cub: TrackedStep = { t: 0, tensor: false };
  let tT = exact && (options.stepIsTensor ?? false);
  let tPrevT = false;
  const bf = [0, 0];
  const bgtd = [0, 0];
  const bev = [0, 0];
  let single = false; // bracket collapsed to one point satisfying the conditions
  let done = false;

  let fNew = evalAt(t);
  let gtdNew = dotD(gNew);
  let evNew = evals;
  let tPrev = 0;
  let fPrev = f;
  let gtdPrev = gtd;
  let evPrev = 0;
  gPrev.set(g);
  let lsIter = 0;
  let bracketed = false;

  const finishNonFinite = (): StrongWolfeResult => {
    // Return the best finite point seen so far: the low end of the bracket if there is one, else
    // the last finite trial of the bracketing phase (gPrev holds its gradient), else the start.
    if (bracketed) {
      const lo = bf[0] <= bf[1] ? 0 : 1;
      gOut.set(bg[lo]);
      return result(bt[lo], bf[lo], bgtd[lo], bev[lo], false, 'non-finite');
    }
    gOut.set(gPrev);
    return result(tPrev, fPrev, gtdPrev, evPrev, false, 'non-finite');
  };
  const result = (tt: number, ff: number, gg: number, acc: number, ok: boolean, exit: StrongWolfeResult['exit']): StrongWolfeResult => ({
    t: tt,
    f: ff,
    gtd: gg,
    evals,
    accepted: acc,
    ok,
    nonFinite,
    exit,
  });

  if (nonFinite) return finishNonFinite();

  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bt[0] = tPrev; bT[0] = tPrevT; bf[0] = fPrev; bgtd[0] = gtdPrev; bev[0] = evPrev; bg[0].set(gPrev);
      bt[1] = t; bT[1] = tT; bf[1] = fNew; bgtd[1] = gtdNew; bev[1] = evNew; bg[1].set(gNew);
      bracketed = true;
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bt[0] = t; bT[0] = tT; bf[0] = fNew; bgtd[0] = gtdNew; bev[0] = evNew; bg[0].set(gNew);
      single = true;
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bt[0] = tPrev; bT[0] = tPrevT; bf[0] = fPrev; bgtd[0] = gtdPrev; bev[0] = evPrev; bg[0].set(gPrev);
      bt[1] = t; bT[1] = tT; bf[1] = fNew; bgtd[1] = gtdNew; bev[1] = evNew; bg[1].set(gNew);
      bracketed = true;
      break;
    }
    // Extrapolate: cubic step clamped to [t + 0.01(t − t_prev), 10t].
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    const tmpT = tT;
    cubicInterpolateTracked(tPrev, tPrevT, fPrev, gtdPrev, t, tT, fNew, gtdNew, minStep, tT || tPrevT, maxStep, tT, cub);
    t = cub.t;
    tT = exact && cub.tensor;
    tPrev = tmp;
    tPrevT = tmpT;
    fPrev = fNew;
    gPrev.set(gNew);
    gtdPrev = gtdNew;
    evPrev = evNew;
    if (!Number.isFinite(t)) {
      gOut.set(gPrev);
      return result(tPrev, fPrev, gtdPrev, evPrev, false, 'non-finite');
    }
    fNew = evalAt(t);
    evNew = evals;
    if (nonFinite) return finishNonFinite();
    gtdNew = dotD(gNew);
    lsIter++;
  }

  if (lsIter === maxLs) {
    // Budget spent while still extrapolating: PyTorch brackets [0, t] and skips the zoom.
    bt[0] = 0; bT[0] = false; bf[0] = f; bgtd[0] = gtd; bev[0] = 0; bg[0].set(g);
    bt[1] = t; bT[1] = tT; bf[1] = fNew; bgtd[1] = gtdNew; bev[1] = evNew; bg[1].set(gNew);
    single = false;
    done = false;
  }

  let insufProgress = false;
  let low = single || bf[0] <= bf[1] ? 0 : 1;
  let high = 1 - low;
  let exit: StrongWolfeResult['exit'] = done ? 'wolfe' : 'max-ls';
  while (!done && lsIter < maxLs) {
    if (Math.abs(bt[1] - bt[0]) * dNorm < tolChange) {
      exit = 'tiny-bracket';
      break;
    }
    cubicInterpolateTracked(bt[0], bT[0], bf[0], bgtd[0], bt[1], bT[1], bf[1], bgtd[1], undefined, false, undefined, false, cub);
    t = cub.t;
    tT = exact && cub.tensor;
    const bmax = bt[0] > bt[1] ? bt[0] : bt[1];
    const bmin = bt[0] < bt[1] ? bt[0] : bt[1];
    const eps = 0.1 * (bmax - bmin);
    const anyT = bT[0] || bT[1];
    if (Math.min(bmax - t, t - bmin) < eps) {
      // Too close to an end: if that happened last time too, or t is on/outside the bracket,
      // move it 10% of the width inside so the bracket is guaranteed to shrink.
      if (insufProgress || t >= bmax || t <= bmin) {
        t = Math.abs(t - bmax) < Math.abs(t - bmin) ? bmax - eps : bmin + eps;
        tT = exact && anyT;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    if (!Number.isFinite(t)) {
      exit = 'non-finite';
      break;
    }
    fNew = evalAt(t);
    evNew = evals;
    if (nonFinite) return finishNonFinite();
    gtdNew = dotD(gNew);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bf[low]) {
      bt[high] = t; bT[high] = tT; bf[high] = fNew; bgtd[high] = gtdNew; bev[high] = evNew; bg[high].set(gNew);
      low = bf[0] <= bf[1] ? 0 : 1;
      high = 1 - low;
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
        exit = 'wolfe';
      } else if (gtdNew * (bt[high] - bt[low]) >= 0) {
        bt[high] = bt[low]; bT[high] = bT[low]; bf[high] = bf[low]; bgtd[high] = bgtd[low]; bev[high] = bev[low]; bg[high].set(bg[low]);
      }
      bt[low] = t; bT[low] = tT; bf[low] = fNew; bgtd[low] = gtdNew; bev[low] = evNew; bg[low].set(gNew);
    }
  }
  gOut.set(bg[low]);
  return result(bt[low], bf[low], bgtd[low], bev[low], done, exit);
}
