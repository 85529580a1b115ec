// Higher derivatives by nesting transforms: grad∘grad∘grad of a scalar function, and D³f[v, v, v] by three jvps.
import { grad, hvp, jvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

// f(x) = x³ sin x and its first three derivatives at x = 1, each one grad applied to the last.
const f = (x: Tensor) => x.pow(3).mul(x.sin());
const derivatives = [f, grad(f), grad(grad(f)), grad(grad(grad(f)))];
derivatives.forEach((d, k) => console.log(`f^(${k})(1) = ${d(tensor(1)).item().toFixed(12)}`));

// Rosenbrock's function at chapter 16's point x, along its direction v.
const rosenbrock = (x: Tensor) => {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
};
const x = [-0.5, 0.8];
const v = [0.6, -1.0];

// D^k f[v, …, v] = d^k/dt^k f(x + tv) at t = 0: each jvp differentiates the previous one along v.
const along = (g: (z: Tensor) => Tensor) => (z: Tensor) => jvp(g, z, v)[1];
const d1 = along(rosenbrock);
const d2 = along(d1);
const d3 = along(d2);
console.log(`D1 f[v] = ${d1(tensor(x)).item()}, D2 f[v,v] = ${d2(tensor(x)).item()}, D3 f[v,v,v] = ${d3(tensor(x)).item()}`);

// Reverse mode gives the vector D3 f[v, v, .] = grad of (Hv . v): one grad per order, no jvp.
const d3Vector = grad((z: Tensor) => grad((w: Tensor) => grad(rosenbrock)(w).dot(tensor(v)))(z).dot(tensor(v)))(x);
console.log(`D3 f[v,v,.] = ${d3Vector.toString()}, and its dot with v = ${d3Vector.dot(tensor(v)).item()}`);

// Chapter 16's central difference of the gradient errs by (r^2/6) D4 f[v,v,v,.]: two jvps over an hvp.
const d4Vector = jvp((z: Tensor) => jvp((w: Tensor) => hvp(rosenbrock, w, v), z, v)[1], x, v)[1];
const Hv = hvp(rosenbrock, x, v);
const ratio = Math.hypot(...d4Vector.data) / Math.hypot(...Hv.data);
console.log(`D4 f[v,v,v,.] = ${d4Vector.toString()}`);
console.log(`predicted relative error of the central difference at r = 1e-2: ${((1e-4 / 6) * ratio).toExponential(3)}`);
