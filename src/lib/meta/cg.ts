import { asTensor, Tensor, type TensorLike } from '../autodiff/index.ts';
import { allFinite, axpy, dot } from '../linalg/index.ts';
import { checkBoolean, checkCount, checkKeys, checkNumber } from './options.ts';

/** A linear map v ↦ Av on tensors shaped like b, e.g. an HVP closure `(v) => hvp(f, x, v)`. */
export type LinearOperator = (v: Tensor) => TensorLike;

export interface CgOptions {
  /** Relative tolerance: stop when ‖rₖ‖ ≤ max(tol·‖b‖, atol) (default 1e-10). */
  tol?: number;
  /** Absolute tolerance on ‖rₖ‖ (default 0). */
  atol?: number;
  /** At most this many iterations, i.e. operator applications (default 10·n, at least 1). */
  maxIter?: number;
  /** Starting point x₀ (default zeros). */
  x0?: TensorLike;
  /** Record every iterate x₀ … xₖ in the trace (default false). */
  keepIterates?: boolean;
}

/**
 * Why CG stopped: `converged` (‖r‖ at or below the tolerance), `maxIter`, `nonPositiveCurvature` (pᵀAp ≤ 0:
 * the operator is not positive definite, or lost definiteness to rounding), `nonFinite` (NaN or ±∞ from the operator).
 */
export type CgStopReason = 'converged' | 'maxIter' | 'nonPositiveCurvature' | 'nonFinite';

export interface CgTrace {
  /** ‖rₖ‖₂ = ‖b − Axₖ‖₂ (the recurrence's residual) for k = 0 … iterations. */
  residualNorms: number[];
  /** pₖᵀApₖ for each operator application. */
  curvatures: number[];
  /** Operator applications. */
  iterations: number;
  reason: CgStopReason;
  /** The reason in words, with the numbers behind it. */
  message: string;
  /** x₀ … x_k when `keepIterates` is set, else empty. */
  iterates: Float64Array[];
}

export interface CgResult {
  /** The last iterate (the solution when `trace.reason` is `converged`). */
  x: Tensor;
  trace: CgTrace;
}

const keys = ['tol', 'atol', 'maxIter', 'x0', 'keepIterates'];

interface Settings { tol: number; atol: number; maxIter: number; x0: Float64Array; keep: boolean }

function settings(b: Tensor, options: CgOptions): Settings {
  checkKeys('cg', options, keys);
  const tol = checkNumber('cg', 'tol', options.tol ?? 1e-10, { min: 0, max: 1 });
  const atol = checkNumber('cg', 'atol', options.atol ?? 0, { min: 0 });
  const maxIter = checkCount('cg', 'maxIter', options.maxIter ?? Math.max(10 * b.size, 1));
  const keep = checkBoolean('cg', 'keepIterates', options.keepIterates ?? false);
  let x0 = new Float64Array(b.size);
  if (options.x0 !== undefined) {
    const t = asTensor(options.x0);
    if (!sameShape(t.shape, b.shape)) throw new RangeError(`cg: x0 has shape ${show(t.shape)} but b has shape ${show(b.shape)}`);
    if (!allFinite(t.data)) throw new RangeError('cg: x0 must be finite');
    x0 = Float64Array.from(t.data);
  }
  return { tol, atol, maxIter, x0, keep };
}

const show = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** Av as a Float64Array, checking that the operator returns b's shape. */
function applyOperator(A: LinearOperator, v: Float64Array, shape: readonly number[]): Float64Array {
  const out = asTensor(A(new Tensor(Float64Array.from(v), shape)));
  if (!sameShape(out.shape, shape)) throw new RangeError(`cg: the operator returned shape ${show(out.shape)} for an input of shape ${show(shape)} (it must map b's shape to itself)`);
  return out.data;
}

/**
 * x = A⁻¹b for a symmetric positive definite operator A, by conjugate gradients (Hestenes & Stiefel 1952;
 * Nocedal & Wright, Algorithm 5.2): rₖ = b − Axₖ, αₖ = rₖᵀrₖ / pₖᵀApₖ, xₖ₊₁ = xₖ + αₖpₖ,
 * rₖ₊₁ = rₖ − αₖApₖ, pₖ₊₁ = rₖ₊₁ + (rₖ₊₁ᵀrₖ₊₁ / rₖᵀrₖ) pₖ. In exact arithmetic it stops within n steps;
 * the error falls like ((√κ − 1)/(√κ + 1))ᵏ. A only has to be a closure (an HVP), never a matrix.
 *
 * ```ts
 * const { x, trace } = cg((v) => hvp(f, x0, v), g, { tol: 1e-12 });   // Newton direction H⁻¹g
 * trace.reason;  // 'converged'
 * ```
 */
export function cg(operator: LinearOperator, b: TensorLike, options: CgOptions = {}): CgResult {
  if (typeof operator !== 'function') throw new TypeError('cg: operator must be a function v ↦ Av');
  const bt = asTensor(b);
  if (!allFinite(bt.data)) throw new RangeError('cg: b must be finite (it holds NaN or ±∞)');
  const s = settings(bt, options);
  const n = bt.size;
  const x = s.x0;
  const r = Float64Array.from(bt.data);
  if (options.x0 !== undefined) axpy(-1, applyOperator(operator, x, bt.shape), r);
  const threshold = Math.max(s.tol * Math.sqrt(dot(bt.data, bt.data)), s.atol);
  const trace: CgTrace = { residualNorms: [], curvatures: [], iterations: 0, reason: 'maxIter', message: '', iterates: s.keep ? [Float64Array.from(x)] : [] };
  const done = (reason: CgStopReason, message: string): CgResult => {
    trace.reason = reason;
    trace.message = message;
    return { x: new Tensor(x, bt.shape), trace };
  };
  let rr = dot(r, r, n);
  trace.residualNorms.push(Math.sqrt(rr));
  if (Math.sqrt(rr) <= threshold) return done('converged', `cg: converged: ‖r‖ = ${Math.sqrt(rr)} ≤ ${threshold} before any iteration`);
  const p = Float64Array.from(r);
  for (let k = 0; k < s.maxIter; k++) {
    const Ap = applyOperator(operator, p, bt.shape);
    trace.iterations++;
    const pAp = dot(p, Ap, n);
    trace.curvatures.push(pAp);
    if (!allFinite(Ap) || !Number.isFinite(pAp)) return done('nonFinite', `cg: the operator returned NaN or ±∞ at iteration ${k + 1}; returning the previous iterate`);
    if (pAp <= 0) return done('nonPositiveCurvature', `cg: the operator is not positive definite: pᵀAp = ${pAp} ≤ 0 at iteration ${k + 1}; returning the previous iterate`);
    const alpha = rr / pAp;
    axpy(alpha, p, x, n);
    axpy(-alpha, Ap, r, n);
    const rrNext = dot(r, r, n);
    trace.residualNorms.push(Math.sqrt(rrNext));
    if (s.keep) trace.iterates.push(Float64Array.from(x));
    if (Math.sqrt(rrNext) <= threshold) return done('converged', `cg: converged in ${k + 1} iterations: ‖r‖ = ${Math.sqrt(rrNext)} ≤ ${threshold}`);
    const beta = rrNext / rr;
    rr = rrNext;
    for (let i = 0; i < n; i++) p[i] = r[i] + beta * p[i];
  }
  return done('maxIter', `cg: stopped after maxIter = ${s.maxIter} iterations with ‖r‖ = ${trace.residualNorms[trace.residualNorms.length - 1]} > ${threshold}`);
}
