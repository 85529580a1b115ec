/**
 * The docs/meta.md example, runnable: `npx tsx docs/examples/meta-example.ts`.
 * Hypergradients through unrolled SGD on the course's quadratic, hypergradient descent on η,
 * a ridge penalty tuned by implicit differentiation, and CG on a Hessian-vector product.
 */
import { pathToFileURL } from 'node:url';
import { grad, hvp, type Tensor, tensor } from '../../src/lib/autodiff';
import { jacfwd, jacrev } from '../../src/lib/autodiff/jacobians';
import { cg, implicitGrad, implicitJvp, sgdStep, unroll } from '../../src/lib/meta';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([1, -1]);
/** f(x) = ½ xᵀAx + bᵀx, the training loss. */
const f = (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
const x0 = tensor([1, 1]);

/** V(η) = f(x_T(η)) after T SGD steps from x0, and its hypergradient dV/dη by reverse mode through the loop. */
export function hypergradient(eta: number, T: number): { value: number; dEta: number } {
  const V = (e: Tensor): Tensor => f(unroll({ optimizer: sgdStep({ lr: e }), loss: f, x0, steps: T }).x);
  return { value: V(tensor(eta)).item(), dEta: grad(V)(eta).item() };
}

/** η ← η − β dV/dη, `iterations` times (hypergradient descent on the learning rate, T steps per evaluation). */
export function hypergradientDescent(eta0: number, beta: number, iterations: number, T: number): number[] {
  const etas = [eta0];
  for (let k = 0; k < iterations; k++) etas.push(etas[k] - beta * hypergradient(etas[k], T).dEta);
  return etas;
}

/** Ridge regression: x*(λ) = argminₓ ½‖Xx − y‖² + ½λ‖x‖², dx* / dλ by implicitJvp and dV/dλ by implicitGrad. */
export function ridge(lam: number) {
  const X = tensor([[1, 2], [3, -1], [0.5, 0.5], [-2, 1]]);
  const y = tensor([1, 0, 2, -1]);
  const Xv = tensor([[2, 1], [-1, 1]]);
  const yv = tensor([1, 1]);
  const inner = (x: Tensor, l: Tensor): Tensor => X.matmul(x).sub(y).pow(2).sum().mul(0.5).add(x.dot(x).mul(l).mul(0.5));
  const V = (x: Tensor): Tensor => Xv.matmul(x).sub(yv).pow(2).sum().mul(0.5);
  // x* by CG on the inner problem's Hessian (XᵀX + λI), itself only available as HVPs.
  const zero = tensor([0, 0]);
  const xStar = cg((v) => hvp((x) => inner(x, tensor(lam)), zero, v), X.T.matmul(y), { tol: 1e-14 }).x;
  const dx = implicitJvp({ inner, xStar, theta: lam, tangent: 1 });
  const dV = implicitGrad({ inner, xStar, theta: lam, cotangent: grad(V)(xStar) });
  return { X, xStar, dxdLambda: dx.value, dVdLambda: dV.value.item(), cgIterations: dV.trace.iterations, reason: dV.trace.reason };
}

export function runExample() {
  const g = grad(f)(x0);
  const etaStar = g.dot(g).item() / g.dot(A.matmul(g)).item(); // exact one-step optimum gᵀg / gᵀAg
  const oneStep = hypergradient(etaStar, 1);
  const five = hypergradient(0.1, 5);
  const etas = hypergradientDescent(0.05, 0.002, 5, 5);
  const r = ridge(0.3);
  const J = jacrev((x: Tensor) => x.tanh().mul(x.sum()))(tensor([0.3, -0.2]));
  const Jf = jacfwd((x: Tensor) => x.tanh().mul(x.sum()))(tensor([0.3, -0.2]));
  return { etaStar, oneStep, five, etas, ridge: r, J, Jf };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = runExample();
  console.log(`η* = gᵀg / gᵀAg = ${out.etaStar.toFixed(6)}; dV/dη there (T = 1): ${out.oneStep.dEta.toExponential(2)}`);
  console.log(`T = 5, η = 0.1: V = ${out.five.value.toFixed(6)}, dV/dη = ${out.five.dEta.toFixed(6)}`);
  console.log(`hypergradient descent on η: ${out.etas.map((e) => e.toFixed(4)).join(' → ')}`);
  console.log(`ridge, λ = 0.3: x* = ${out.ridge.xStar}, dx*/dλ = ${out.ridge.dxdLambda}, dV/dλ = ${out.ridge.dVdLambda.toFixed(6)} (${out.ridge.cgIterations} CG iterations, ${out.ridge.reason})`);
  console.log(`jacrev = jacfwd:\n${out.J}\n${out.Jf}`);
}
