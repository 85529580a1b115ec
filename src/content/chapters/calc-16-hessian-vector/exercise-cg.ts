// Exercise: conjugate gradients built from Hessian-vector products, solving the Newton system Hp = −g.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

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
const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, ai, i) => s + ai * b[i], 0);

/**
 * Conjugate gradients on Hp = −g from p = 0 (Nocedal & Wright Alg. 5.2), touching H only through f.hvp(w, d);
 * stops when ‖r‖ ≤ tol·‖g‖. Returns p and the number of HVPs used.
 */
function conjugateGradients(tol = 1e-12): { p: Float64Array; hvps: number } {
  const p = new Float64Array(5);
  const r = g.map((gi) => -gi); // residual −g − Hp at p = 0
  const d = Float64Array.from(r);
  let hvps = 0;
  // TODO: loop: Hd = f.hvp(w, d) (count it), α = rᵀr / dᵀHd, p += αd, r −= αHd,
  //       stop when ‖r‖ ≤ tol·‖g‖, else β = r_newᵀr_new / r_oldᵀr_old and d = r + βd.
  void [p, d, hvps, tol];
  throw new Error('TODO: write the CG loop described in the comment above');
}

const { p, hvps } = conjugateGradients();
const Hp = f.hvp(w, p);
console.log(`CG used ${hvps} Hessian-vector products for n = ${p.length}`);
console.log(`residual ‖Hp + g‖ / ‖g‖ = ${(Math.sqrt(dot(Hp.map((h, i) => h + g[i]), Hp.map((h, i) => h + g[i]))) / Math.sqrt(dot(g, g))).toExponential(1)}`);
console.log('Newton step p:', Array.from(p, (pi) => pi.toFixed(6)).join(' '));
