// Hv by central differences against the exact product: truncation error for large r, round-off for small r.
import { objective, type Tensor } from '../../../lib/autodiff/index.ts';

const rosenbrock = (x: Tensor) => {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
};
const f = objective(rosenbrock, 2);
const x = new Float64Array([-0.5, 0.8]);
const v = new Float64Array([0.6, -1.0]);
const exact = f.hvp(x, v);
console.log('exact Hv:', Array.from(exact));

for (let k = 0; k <= 12; k += 2) {
  const r = 10 ** -k;
  const gPlus = f.grad(x.map((xi, i) => xi + r * v[i]));
  const gMinus = f.grad(x.map((xi, i) => xi - r * v[i]));
  const fd = gPlus.map((g, i) => (g - gMinus[i]) / (2 * r));
  const error = Math.hypot(fd[0] - exact[0], fd[1] - exact[1]) / Math.hypot(exact[0], exact[1]);
  console.log(`r = 1e-${k}: relative error ${error.toExponential(1)}`);
}
