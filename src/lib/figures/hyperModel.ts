/**
 * Figure 8's numbers: the validation loss V(x_T(η)) after T SGD steps on chapter 17's quadratic, sampled over a
 * range of learning rates reaching past 2/λmax, and the hypergradient dV/dη at the reader's η by reverse mode
 * through the T unrolled steps (the chapter's own `hypergradient`). The curve and the difference check evaluate V with
 * a plain loop over the same steps ({@link directValue}), tested equal to the chapter's `unrolledVal`.
 */
import { hypergradient, hyperProblem, spectrum } from './hyperProblem.ts';

/** The largest learning rate the figure shows: 2/λmax with a quarter more, rounded up to 0.01. */
export const ETA_MAX = Math.ceil(spectrum.lrLimit * 1.25 * 100) / 100;
/** The largest T the figure unrolls. */
export const T_MAX = 100;
/** Samples of η on [0, ETA_MAX] for the curve. */
export const CURVE_SAMPLES = 96;

export interface HyperCurve {
  steps: number;
  etas: number[];
  values: number[];
}

const curves = new Map<number, HyperCurve>();

/**
 * V(x_T) = ½(x_T − c)ᵀB(x_T − c) with x_{t+1} = x_t − η(Ax_t + b): the chapter's unrolled problem as a plain loop over
 * numbers, for drawing a whole curve at once (about a hundred η, each T steps) without building a tape. A unit test
 * checks it against the library's `unrolledVal` at every sample.
 */
export function directValue(eta: number, steps: number): number {
  const [[a11, a12], [a21, a22]] = hyperProblem.A;
  const [b1, b2] = hyperProblem.b;
  let [x1, x2] = hyperProblem.x0;
  for (let t = 0; t < steps; t++) {
    const g1 = a11 * x1 + a12 * x2 + b1;
    const g2 = a21 * x1 + a22 * x2 + b2;
    x1 -= eta * g1;
    x2 -= eta * g2;
  }
  const [[c11, c12], [c21, c22]] = hyperProblem.valB;
  const d1 = x1 - hyperProblem.valC[0];
  const d2 = x2 - hyperProblem.valC[1];
  return 0.5 * (d1 * (c11 * d1 + c12 * d2) + d2 * (c21 * d1 + c22 * d2));
}

/** V(x_T(η)) at CURVE_SAMPLES + 1 evenly spaced η in [0, ETA_MAX] ({@link directValue}); cached per T. */
export function hyperCurve(steps: number): HyperCurve {
  let c = curves.get(steps);
  if (c) return c;
  const etas = Array.from({ length: CURVE_SAMPLES + 1 }, (_, i) => (ETA_MAX * i) / CURVE_SAMPLES);
  const values = etas.map((e) => directValue(e, steps));
  c = { steps, etas, values };
  if (curves.size >= 8) curves.delete(curves.keys().next().value!);
  curves.set(steps, c);
  return c;
}

export interface HyperModel {
  eta: number;
  steps: number;
  curve: HyperCurve;
  /** V(x_T) at η. */
  value: number;
  /** dV/dη at η, by reverse mode through the T steps. */
  slope: number;
  /** The check: (V(η + h) − V(η − h)) / 2h, or the forward difference (V(η + h) − V(η)) / h when η < h (η ≥ 0). */
  central: { h: number; value: number; oneSided: boolean };
  /** 2/λmax, λmin, λmax of A. */
  limit: number;
  lambdaMin: number;
  lambdaMax: number;
  /** max |1 − ηλ| over A's eigenvalues: the factor each step multiplies the distance to x* by, at most. */
  rate: number;
  /** |1 − ηλmax|. */
  topRate: number;
}

/** The central-difference step for the check: small against η's range, large against round-off. */
export const CENTRAL_H = 1e-6;

export function hyperModel(eta: number, steps: number): HyperModel {
  const curve = hyperCurve(steps);
  const hg = hypergradient(eta, steps);
  const h = CENTRAL_H;
  const lo = Math.max(0, eta - h);
  // V itself from the plain loop (equal to the library's to round-off, tested), so the check costs no tape.
  const central = { h, value: (directValue(eta + h, steps) - directValue(lo, steps)) / (eta + h - lo), oneSided: lo !== eta - h };
  const { lambdaMin, lambdaMax, lrLimit } = spectrum;
  const topRate = Math.abs(1 - eta * lambdaMax);
  return { eta, steps, curve, value: hg.value, slope: hg.dEta, central, limit: lrLimit, lambdaMin, lambdaMax, rate: Math.max(Math.abs(1 - eta * lambdaMin), topRate), topRate };
}

/**
 * The tangent at (η₀, V₀) with slope s, as points for the chart: on a linear axis the line V₀ + s(η − η₀); on a log
 * axis the line that is straight there, V₀·exp((s/V₀)(η − η₀)), whose slope in ln V is s/V₀ = d ln V/dη. It spans
 * ±`half` around η₀ and keeps only points with V in [lo, hi] (so no coordinate is far outside the chart).
 */
export function tangentPoints(o: { eta: number; value: number; slope: number; half: number; log: boolean; lo: number; hi: number }): [number, number][] {
  // The tangent is straight on either axis, so a few points draw it; the filter may drop some at the ends.
  const n = 8;
  const out: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const e = o.eta - o.half + (2 * o.half * i) / n;
    const v = o.log ? o.value * Math.exp((o.slope / o.value) * (e - o.eta)) : o.value + o.slope * (e - o.eta);
    if (Number.isFinite(v) && v >= o.lo && v <= o.hi) out.push([e, v]);
  }
  return out;
}
