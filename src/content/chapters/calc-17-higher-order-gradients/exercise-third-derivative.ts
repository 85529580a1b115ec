// Exercise: a third directional derivative by nested jvp, checked against finite differences.
import { jvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

// f(x) = sum exp(sin x_i) log(1 + x_i^2) + x0 x1 / (1 + x2^2)
const f = (x: Tensor) =>
  x.sin().exp().mul(x.pow(2).log1p()).sum().add(x.at(0).mul(x.at(1)).div(x.at(2).pow(2).add(1)));
const x = [0.7, -0.4, 1.1, 0.3, -1.3];
const v = [1, -0.5, 0.8, 0.2, -1];
const g = (t: number) => f(tensor(x.map((xi, i) => xi + t * v[i]))).item(); // g(t) = f(x + tv)

// TODO 1: D3 f[v, v, v] = g'''(0) by three nested jvps along v.
const exact = NaN;
console.log(`D3 f[v,v,v] by nested jvp: ${exact}`);

for (const h of [1e-1, 1e-2, 1e-3, 1e-4]) {
  // TODO 2: the central stencil (g(2h) - 2 g(h) + 2 g(-h) - g(-2h)) / (2 h^3), and its relative error.
  const fd = NaN;
  console.log(`h = ${h}: finite difference ${fd}, relative error ${Math.abs(fd - exact) / Math.abs(exact)}`);
}
