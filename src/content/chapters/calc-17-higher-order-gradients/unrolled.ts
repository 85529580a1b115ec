// Hypergradients through T unrolled SGD steps: V(x_T(eta)) differentiated with respect to eta.
import { grad, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([1, -1]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x)); // training loss
const B = tensor([[2, 0.5], [0.5, 1]]);
const c = tensor([-0.5, 0.5]);
const V = (x: Tensor) => x.sub(c).matmul(B).dot(x.sub(c)).mul(0.5); // validation loss

/** V after T steps x <- x - eta grad f(x) from (1, 1); only the last K steps stay on the tape. */
function valAfter(T: number, K = T) {
  return (eta: Tensor) => {
    let x = tensor([1, 1]);
    for (let t = 0; t < T; t++) {
      if (t === T - K) x = x.detach(); // truncated backpropagation: forget how x got here
      x = x.sub(grad(f)(x).mul(eta));
    }
    return V(x);
  };
}

for (const eta of [0.1, 0.4]) {
  for (const T of [1, 5, 50]) {
    const val = valAfter(T);
    console.log(`eta = ${eta}, T = ${T}: V = ${val(tensor(eta)).item().toExponential(6)}, dV/deta = ${grad(val)(eta).item().toExponential(6)}`);
  }
}
console.log(`2 / lambda_max = ${(2 / (4 + Math.SQRT2)).toFixed(6)}`);

// Truncation: keep K of T = 20 steps at eta = 0.05.
for (const K of [1, 2, 5, 10, 20]) {
  console.log(`T = 20, K = ${K}: dV/deta = ${grad(valAfter(20, K))(0.05).item().toExponential(6)}`);
}
