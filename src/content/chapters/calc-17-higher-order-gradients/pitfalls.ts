// Two ways to lose the second-order term without an error: no createGraph, and a stray detach.
import { autograd, grad, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[4, 0], [0, 1]]);
const c = tensor([1, 0]);
const L = (x: Tensor) => x.sub(c).matmul(A).dot(x.sub(c)).mul(0.5);
const alpha = 0.1;

// MAML's meta-gradient written the PyTorch way: the inner gradient must itself be on the graph.
function metaGradient(createGraph: boolean) {
  const theta = tensor([0.3, -0.2], { requiresGrad: true });
  const [g] = autograd.grad(L(theta), theta, { createGraph });
  const adapted = theta.sub(g.mul(alpha)); // still depends on theta through the subtraction, so no error
  return autograd.grad(L(adapted), theta)[0];
}
console.log(`inner gradient with a graph: ${metaGradient(true).toString()}`);
console.log(`inner gradient without a graph: ${metaGradient(false).toString()} (first-order MAML, silently)`);

// Differentiating a gradient that was computed without a graph does fail, with a message.
const x = tensor([0.3, -0.2], { requiresGrad: true });
const [g] = autograd.grad(L(x), x);
try {
  autograd.grad(g.sum(), x);
} catch (e) {
  console.log(`error: ${(e as Error).message}`);
}

// The functional API has no flag to forget: grad inside grad is always differentiable, and detach is explicit.
const meta = (th: Tensor) => L(th.sub(grad(L)(th).mul(alpha)));
const metaFirstOrder = (th: Tensor) => L(th.sub(grad(L)(th.detach()).mul(alpha)));
console.log(`grad(meta) = ${grad(meta)([0.3, -0.2]).toString()}, with detach: ${grad(metaFirstOrder)([0.3, -0.2]).toString()}`);
