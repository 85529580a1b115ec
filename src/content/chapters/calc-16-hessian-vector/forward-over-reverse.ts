// Hv as the derivative of the gradient along v: forward mode through the gradient program (JAX-style API).
import { grad, hvp, jvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
const x = [1.5, -1.2];
const v = [0.6, -1.0];

const [g, Hv] = jvp(grad(f), x, v); // the gradient at x, and its derivative along v
console.log('gradient:', g.toString());
console.log('Hv by jvp(grad(f)):', Hv.toString());
console.log('Hv, forward-over-reverse:', hvp(f, x, v, { mode: 'forward-over-reverse' }).toString());
console.log('Hv, reverse-over-reverse:', hvp(f, x, v, { mode: 'reverse-over-reverse' }).toString());
