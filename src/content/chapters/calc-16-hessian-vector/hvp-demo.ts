// Hv without forming H: double backward through the course's autodiff library (port of hvp_demo.py).
import { autograd, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));

const x = tensor([1.5, -1.2], { requiresGrad: true });
const v = tensor([0.6, -1.0]);
const [g] = autograd.grad(f(x), x, { createGraph: true });
const [Hv] = autograd.grad(g.dot(v), x);

console.log('Hessian-vector product Hv:', Hv.toString());
console.log('Direct H @ v:', A.matmul(v).toString());
