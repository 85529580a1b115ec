// Solution: the largest eigenvalue of a Hessian from Hessian-vector products alone, by power iteration.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, ai, i) => s + ai * b[i], 0);

/**
 * Power iteration v ← Hv / ‖Hv‖ from v0, touching H only through applyH(v); λ is the Rayleigh quotient vᵀHv
 * (‖v‖ = 1), and the loop stops when λ changes by less than tol·|λ| (or after 1000 products).
 * Returns λ, the eigenvalue of largest magnitude, and its unit eigenvector v.
 */
export function powerIteration(applyH: (v: Float64Array) => Float64Array, v0: Float64Array, tol = 1e-12): { lambda: number; v: Float64Array } {
  let v = v0.map((vi) => vi / Math.sqrt(dot(v0, v0)));
  let lambda = 0;
  for (let k = 0; k < 1000; k++) {
    const Hv = applyH(v);
    const next = dot(v, Hv);
    const norm = Math.sqrt(dot(Hv, Hv));
    v = Hv.map((h) => h / norm);
    if (Math.abs(next - lambda) <= tol * Math.abs(next)) return { lambda: next, v };
    lambda = next;
  }
  return { lambda, v };
}

// The running example: f(x) = ½xᵀAx + bᵀx, whose Hessian is A everywhere.
const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = objective((x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x)), 2);
const x = new Float64Array([2.5, -2]);

let products = 0;
const { lambda, v } = powerIteration((u) => (products++, f.hvp(x, u)), new Float64Array([1, 0]));
console.log(`λmax ≈ ${lambda} after ${products} Hessian-vector products`);
console.log('eigenvector ≈', Array.from(v));
