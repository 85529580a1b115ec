// The largest eigenvalue of H from Hessian-vector products alone: power iteration, v ← Hv / ‖Hv‖.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = objective((x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x)), 2);
const x = new Float64Array([2.5, -2]); // any point: the Hessian of a quadratic is the same everywhere

let v = new Float64Array([1, 0]);
let lambda = 0;
for (let k = 1; k <= 100; k++) {
  const Hv = f.hvp(x, v);
  const next = Hv[0] * v[0] + Hv[1] * v[1]; // Rayleigh quotient vᵀHv with ‖v‖ = 1
  const norm = Math.hypot(Hv[0], Hv[1]);
  v = Hv.map((h) => h / norm);
  if (Math.abs(next - lambda) < 1e-12 * Math.abs(next)) {
    console.log(`λmax ≈ ${next} after ${k} Hessian-vector products`);
    break;
  }
  lambda = next;
}
console.log('eigenvector ≈', Array.from(v));
