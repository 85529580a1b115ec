// Curvature products beyond the Hessian: the Gauss-Newton product G v = J'(J v)/k from one jvp and one vjp.
import { hvp, jacrev, jvp, tensor, vjp, type Tensor } from '../../../lib/autodiff/index.ts';

// A 1-4-1 tanh network fitted to eight points of 1.5 sin(x + 0.3), at fixed weights theta.
const H = 4;
const xs = Array.from({ length: 8 }, (_, i) => -5 + (10 * i) / 7);
const X = tensor(xs.map((x) => [x]));
const y = tensor(xs.map((x) => 1.5 * Math.sin(x + 0.3)));
const theta = tensor(Array.from({ length: 3 * H + 1 }, (_, j) => 0.8 * Math.sin(3 * j + 1)));
const v = tensor(Array.from({ length: 3 * H + 1 }, (_, j) => Math.cos(2 * j)));
const predict = (t: Tensor) =>
  X.matmul(t.slice(0, H).reshape([1, H])).add(t.slice(H, 2 * H)).tanh().matmul(t.slice(2 * H, 3 * H)).add(t.slice(3 * H).reshape([]));
const residual = (t: Tensor) => predict(t).sub(y);
const loss = (t: Tensor) => residual(t).pow(2).mean().mul(0.5); // 1/2 mean r^2

// G v: push v forward through the residuals (J v), pull the result back (J'), divide by k.
const [, Jv] = jvp(residual, theta, v);
const [, pullback] = vjp(residual, theta);
const Gv = pullback(Jv).div(8);
// The same with the 8 x 13 Jacobian formed, to check.
const J = jacrev(residual)(theta);
const dense = J.transpose().matmul(J.matmul(v)).div(8);
console.log(`max |Gv - J'Jv/k| = ${Math.max(...Array.from(Gv.data, (g, i) => Math.abs(g - dense.data[i]))).toExponential(1)}`);

// H = G + (1/k) sum r_i (Hessian of r_i): the second term can be negative, G never is.
const Hv = hvp(loss, theta, v);
console.log(`v'Gv = ${Gv.dot(v).item().toFixed(10)}, v'Hv = ${Hv.dot(v).item().toFixed(10)}`);
console.log(`|Jv|^2 / k = ${(Jv.dot(Jv).item() / 8).toFixed(10)}`);
