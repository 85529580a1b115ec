// Tuning a ridge penalty: the hypergradient dV/dlambda by implicit differentiation, by unrolling, in closed form.
import { grad, hvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

// Deterministic data: 12 training rows X, y and 12 validation rows Z, u, from w = (1, -2, 0.5, 0.3) plus noise.
const w = [1, -2, 0.5, 0.3];
const rows = (f: (i: number, j: number) => number) => Array.from({ length: 12 }, (_, i) => [0, 1, 2, 3].map((j) => f(i, j)));
const Xa = rows((i, j) => Math.sin(1 + 1.3 * i * (j + 1) + j));
const Za = rows((i, j) => Math.cos(2 + 1.7 * i * (j + 1) + 2 * j));
const X = tensor(Xa);
const y = tensor(Xa.map((r, i) => r.reduce((s, x, j) => s + x * w[j], 0) + 0.8 * Math.sin(5 * i + 2)));
const Z = tensor(Za);
const u = tensor(Za.map((r, i) => r.reduce((s, x, j) => s + x * w[j], 0) + 0.8 * Math.cos(3 * i + 1)));

// Inner problem L(x, lambda) = 1/2 |Xx - y|^2 + lambda/2 |x|^2; outer loss V(x) = 1/2 |Zx - u|^2.
const L = (x: Tensor, lam: Tensor | number) => X.matmul(x).sub(y).pow(2).sum().mul(0.5).add(x.dot(x).mul(lam).mul(0.5));
const V = (x: Tensor) => Z.matmul(x).sub(u).pow(2).sum().mul(0.5);

const lam = 1;
// Closed form: x* = (X'X + lambda I)^-1 X'y and dx*/dlambda = -(X'X + lambda I)^-1 x*, here by a dense solve.
const M = X.transpose().matmul(X).add(tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]).mul(lam));
const solve = (rhs: Tensor) => {
  // Gaussian elimination on a 4 x 4 system (no pivoting needed: M is positive definite).
  const a = Array.from({ length: 4 }, (_, i) => [...Array.from(M.data.slice(4 * i, 4 * i + 4)), rhs.data[i]]);
  for (let c = 0; c < 4; c++) for (let r = c + 1; r < 4; r++) { const f = a[r][c] / a[c][c]; for (let k = c; k < 5; k++) a[r][k] -= f * a[c][k]; }
  const x = [0, 0, 0, 0];
  for (let r = 3; r >= 0; r--) x[r] = (a[r][4] - a[r].slice(r + 1, 4).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / a[r][r];
  return tensor(x);
};
const xStar = solve(X.transpose().matmul(y));
const closed = grad(V)(xStar).dot(solve(xStar).neg()).item();
console.log(`x* = ${xStar.toString()}`);
console.log(`closed form dV/dlambda: ${closed.toFixed(12)}`);

// Implicit: CG on H s = grad V(x*) with Hessian-vector products, then one mixed derivative d/dlambda <grad_x L, s>.
// (src/lib/meta's implicitGrad packages these lines, with a trace and input checks.)
const Lx = (x: Tensor) => L(x, lam);
const b = grad(V)(xStar);
let s = tensor([0, 0, 0, 0]);
let res = b; // residual b - Hs
let p = b;
let iterations = 0;
while (Math.sqrt(res.dot(res).item()) > 1e-14 * Math.sqrt(b.dot(b).item())) {
  const Hp = hvp(Lx, xStar, p);
  const a = res.dot(res).item() / p.dot(Hp).item();
  s = s.add(p.mul(a));
  const next = res.sub(Hp.mul(a));
  p = next.add(p.mul(next.dot(next).item() / res.dot(res).item()));
  res = next;
  iterations++;
}
const implicit = grad((l: Tensor) => grad((x: Tensor) => L(x, l))(xStar).dot(s))(lam).neg().item();
console.log(`implicit dV/dlambda: ${implicit.toFixed(12)} (${iterations} CG iterations)`);

// Unrolled: T gradient steps on L from x = 0, differentiated end to end.
const eta = 0.08;
for (const T of [10, 30, 100, 300]) {
  const unrolled = grad((l: Tensor) => {
    let x = tensor([0, 0, 0, 0]);
    for (let t = 0; t < T; t++) x = x.sub(grad((z: Tensor) => L(z, l))(x).mul(eta));
    return V(x);
  })(lam);
  console.log(`unrolled, T = ${T}: ${unrolled.item().toFixed(12)}`);
}
