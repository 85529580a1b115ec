// Exercise: the Hessian-vector product of a tiny MLP, checked against central differences of its gradient.
import { autograd, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

// A 2-3-1 network with tanh, its 13 parameters flattened into θ = [W₁ | b₁ | w₂ | b₂], squared error on 4 points.
const X = tensor([[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8], [0.2, 0.1]]);
const y = tensor([1.0, -0.5, 0.3, 0.8]);
const loss = (theta: Tensor) => {
  const W1 = theta.slice(0, 6).reshape([3, 2]);
  const b1 = theta.slice(6, 9);
  const w2 = theta.slice(9, 12);
  const b2 = theta.at(12);
  return X.matmul(W1.T).add(b1).tanh().matmul(w2).add(b2).sub(y).pow(2).mean();
};
const theta = Array.from({ length: 13 }, (_, i) => Math.sin(i + 1));
const v = tensor(Array.from({ length: 13 }, (_, i) => Math.cos(2 * i)));

/** ∇f(θ), with a graph when createGraph is true (so it can be differentiated again). */
function gradient(at: number[], createGraph = false): [Tensor, Tensor] {
  const t = tensor(at, { requiresGrad: true });
  const [g] = autograd.grad(loss(t), t, { createGraph });
  return [t, g];
}

/** H(θ)v, exactly, by double backward. */
export function hvpExact(): Tensor {
  throw new Error('TODO: differentiate gradient(theta, true)[1].dot(v) with respect to θ once more');
}

/** (∇f(θ + rv) − ∇f(θ − rv)) / 2r. */
export function hvpCentral(r: number): Tensor {
  throw new Error(`TODO: two calls of gradient() and a subtraction (r = ${r})`);
}

const exact = hvpExact();
for (const r of [1e-2, 1e-4, 1e-6, 1e-8]) {
  const err = hvpCentral(r).sub(exact).pow(2).sum().sqrt().item() / exact.pow(2).sum().sqrt().item();
  console.log(`r = ${r.toExponential(0)}: relative error ${err.toExponential(1)}`);
}
