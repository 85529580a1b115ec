// Differentiating one gradient step x1 = x0 - eta * grad f(x0) with respect to eta and to x0.
import { grad, hvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([1, -1]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
const x0 = tensor([1, 1]);
const g = grad(f)(x0);

// phi(eta) = f(x0 - eta g): the loss after one step, as a function of the learning rate.
const step = (x: Tensor, eta: Tensor | number) => x.sub(grad(f)(x).mul(eta));
const phi = (eta: Tensor) => f(step(x0, eta));
const eta = 0.1;
console.log(`dphi/deta at eta = ${eta}: ${grad(phi)(eta).item()}`);
console.log(`closed form -g.g + eta g.Hg: ${-g.dot(g).item() + eta * g.dot(A.matmul(g)).item()}`);
console.log(`Baydin's form -grad f(x1) . grad f(x0): ${-grad(f)(step(x0, eta)).dot(g).item()}`);

// With respect to x0 the step's Jacobian is I - eta H, so its VJP with u = grad f(x1) is u - eta Hu: one HVP.
const u = grad(f)(step(x0, eta));
console.log(`d f(x1)/d x0 by autodiff: ${grad((x: Tensor) => f(step(x, eta)))(x0).toString()}`);
console.log(`u - eta Hu with one HVP: ${u.sub(hvp(f, x0, u).mul(eta)).toString()}`);

// Hypergradient descent on eta alone: eta <- eta - beta dphi/deta. It converges to the exact line search step.
let e = 0.05;
for (let k = 0; k < 20; k++) e -= 0.002 * grad(phi)(e).item();
console.log(`eta after 20 hypergradient steps: ${e.toFixed(10)}`);
console.log(`exact one-step optimum g.g / g.Hg: ${(g.dot(g).item() / g.dot(A.matmul(g)).item()).toFixed(10)}`);

// Online (Baydin et al. 2018): adapt eta during training with eta += beta grad f(x_t) . grad f(x_t-1).
let x = x0;
let gPrev = tensor([0, 0]);
let lr = 0.01;
for (let t = 0; t < 30; t++) {
  const gt = grad(f)(x);
  lr += 0.001 * gt.dot(gPrev).item();
  x = x.sub(gt.mul(lr));
  gPrev = gt;
}
console.log(`online: eta = ${lr.toFixed(6)} after 30 steps, f = ${f(x).item().toFixed(10)}`);
