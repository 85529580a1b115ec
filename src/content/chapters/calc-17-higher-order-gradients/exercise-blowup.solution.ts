// Solution: hypergradients through T steps blow up once eta > 2 / lambda_max. Check the closed form.
import { grad, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([1, -1]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
const B = tensor([[2, 0.5], [0.5, 1]]);
const c = tensor([-0.5, 0.5]);
const V = (x: Tensor) => x.sub(c).matmul(B).dot(x.sub(c)).mul(0.5);
const x0 = tensor([1, 1]);

/** x_T after T steps of gradient descent with step eta. */
const run = (eta: Tensor | number, T: number) => {
  let x = x0;
  for (let t = 0; t < T; t++) x = x.sub(grad(f)(x).mul(eta));
  return x;
};

/** dV/deta = grad V(x_T)' dx_T/deta with dx_T/deta = -T (I - eta A)^(T-1) grad f(x0), without autodiff. */
function closedForm(eta: number, T: number): number {
  // grad f(x_t) = (I - eta A)^t grad f(x0): every one of the T steps contributes the same -(I - eta A)^(T-1) g0.
  let p = A.matmul(x0).add(b); // g0
  for (let t = 0; t < T - 1; t++) p = p.sub(A.matmul(p).mul(eta));
  const xT = run(eta, T);
  const gradV = B.matmul(xT.sub(c));
  return -T * gradV.dot(p).item();
}

console.log(`2 / lambda_max = ${(2 / (4 + Math.SQRT2)).toFixed(6)}; |1 - eta lambda_max| = ${Math.abs(1 - 0.3 * (4 + Math.SQRT2)).toFixed(6)} at 0.3, ${Math.abs(1 - 0.4 * (4 + Math.SQRT2)).toFixed(6)} at 0.4`);
for (const eta of [0.3, 0.4]) {
  for (const T of [10, 20, 40]) {
    const unrolled = grad((e: Tensor) => V(run(e, T)))(eta).item();
    console.log(`eta = ${eta}, T = ${T}: unrolled ${unrolled.toExponential(6)}, closed form ${closedForm(eta, T).toExponential(6)}`);
  }
}
