// Solution: conjugate gradients built from Hessian-vector products, solving the Newton system Hp = −g.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, ai, i) => s + ai * b[i], 0);

/**
 * Conjugate gradients on Ax = b from x = 0 (Nocedal & Wright Alg. 5.2), touching A only through applyA(d);
 * stops when ‖r‖ ≤ tol·‖b‖ (or after 10n products).
 */
export function conjugateGradients(applyA: (d: Float64Array) => Float64Array, b: Float64Array, tol = 1e-12): Float64Array {
  const x = new Float64Array(b.length);
  const r = Float64Array.from(b); // residual b − Ax at x = 0
  const d = Float64Array.from(r);
  let rr = dot(r, r);
  const stop = tol * Math.sqrt(dot(b, b));
  for (let k = 0; Math.sqrt(rr) > stop && k < 10 * b.length; k++) {
    const Ad = applyA(d);
    const alpha = rr / dot(d, Ad);
    for (let i = 0; i < x.length; i++) {
      x[i] += alpha * d[i];
      r[i] -= alpha * Ad[i];
    }
    const rrNew = dot(r, r);
    const beta = rrNew / rr;
    for (let i = 0; i < x.length; i++) d[i] = r[i] + beta * d[i];
    rr = rrNew;
  }
  return x;
}

// Logistic regression with an L2 penalty: mean(softplus(Xw) − y·Xw) + ½λ‖w‖², whose Hessian is positive definite.
const X = tensor([[1, 0.5, -1.2, 0.3, 2], [0.2, -1, 0.7, 1.1, -0.4], [-0.8, 0.3, 0.5, -1.5, 0.9], [1.3, 1.2, -0.3, 0.4, -1],
  [-0.5, -0.7, 1.4, 0.2, 0.6], [0.9, -0.2, -0.6, -0.9, 1.2], [0.1, 1.6, 0.8, -0.3, -0.7], [-1.1, 0.4, -0.9, 1, 0.3]]);
const y = tensor([1, 0, 1, 1, 0, 1, 0, 0]);
const lambda = 0.1;
const f = objective((w: Tensor) => {
  const z = X.matmul(w);
  return z.softplus().sub(y.mul(z)).mean().add(w.dot(w).mul(0.5 * lambda));
}, 5);
const w = new Float64Array([0.3, -0.2, 0.5, 0.1, -0.4]);
const g = f.grad(w);

let hvps = 0;
const p = conjugateGradients((d) => (hvps++, f.hvp(w, d)), g.map((gi) => -gi));
const Hp = f.hvp(w, p);
console.log(`CG used ${hvps} Hessian-vector products for n = ${p.length}`);
console.log(`residual ‖Hp + g‖ / ‖g‖ = ${(Math.sqrt(dot(Hp.map((h, i) => h + g[i]), Hp.map((h, i) => h + g[i]))) / Math.sqrt(dot(g, g))).toExponential(1)}`);
console.log('Newton step p:', Array.from(p, (pi) => pi.toFixed(6)).join(' '));
