/** Hv four ways at (x, v): double backward, forward-over-reverse, explicit H·v, and central finite differences. */
import { hessian, hvp, objective, tensor, type Objective } from '../autodiff/index.ts';
import { matvec } from '../linalg/index.ts';
import type { HvpFunction } from './hvpFunctions.ts';

export interface HvpResults {
  /** ∇f(x). */
  grad: Float64Array;
  reverseOverReverse: Float64Array;
  forwardOverReverse: Float64Array;
  H: Float64Array;
  explicit: Float64Array;
  /** (∇f(x + rv) − ∇f(x − rv)) / 2r at the chosen r. */
  finiteDifference: Float64Array;
  r: number;
  /** Relative error of the finite difference at r, against forward-over-reverse (absolute when Hv = 0). */
  fdError: number;
  /** The error sweep, r = 10^e for e = −16, −15.75, …, 0; empty when v = 0 (every method gives exactly 0). */
  sweep: { r: number; error: number }[];
  best: { r: number; error: number };
}

const compiled = new Map<string, Objective>();
function compiledObjective(fn: HvpFunction): Objective {
  let o = compiled.get(fn.id);
  if (!o) compiled.set(fn.id, (o = objective(fn.f, 2)));
  return o;
}

export function relativeError(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  const d = Math.hypot(a[0] - ref[0], a[1] - ref[1]);
  const n = Math.hypot(ref[0], ref[1]);
  return n > 0 ? d / n : d;
}

export function centralDifference(obj: Objective, x: ArrayLike<number>, v: ArrayLike<number>, r: number): Float64Array {
  const gp = obj.grad(new Float64Array([x[0] + r * v[0], x[1] + r * v[1]]));
  const gm = obj.grad(new Float64Array([x[0] - r * v[0], x[1] - r * v[1]]));
  return new Float64Array([(gp[0] - gm[0]) / (2 * r), (gp[1] - gm[1]) / (2 * r)]);
}

export function computeHvp(fn: HvpFunction, x: [number, number], v: [number, number], r: number): HvpResults {
  const xt = tensor(x);
  const vt = tensor(v);
  const reverseOverReverse = Float64Array.from(hvp(fn.f, xt, vt, { mode: 'reverse-over-reverse' }).data);
  const forwardOverReverse = Float64Array.from(hvp(fn.f, xt, vt, { mode: 'forward-over-reverse' }).data);
  const H = Float64Array.from(hessian(fn.f)(xt).data);
  const explicit = matvec(H, Float64Array.from(v));
  const obj = compiledObjective(fn);
  const grad = Float64Array.from(obj.grad(Float64Array.from(x)));
  const finiteDifference = centralDifference(obj, x, v, r);
  const sweep: { r: number; error: number }[] = [];
  if (v[0] === 0 && v[1] === 0) return { grad, reverseOverReverse, forwardOverReverse, H, explicit, finiteDifference, r, fdError: relativeError(finiteDifference, forwardOverReverse), sweep, best: { r: NaN, error: 0 } };
  for (let e = -16; e <= 0; e += 0.25) {
    const rr = 10 ** e;
    sweep.push({ r: rr, error: relativeError(centralDifference(obj, x, v, rr), forwardOverReverse) });
  }
  const best = sweep.reduce((m, s) => (s.error < m.error ? s : m), sweep[0]);
  return { grad, reverseOverReverse, forwardOverReverse, H, explicit, finiteDifference, r, fdError: relativeError(finiteDifference, forwardOverReverse), sweep, best };
}
