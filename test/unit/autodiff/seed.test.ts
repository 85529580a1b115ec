/** Line-by-line port of the seed PyTorch script. */
import { expect, it } from 'vitest';
import { autograd, type Tensor, tensor } from '../../../src/lib/autodiff';

it('ports the seed HVP script and prints NumPy-style', () => {
  // A = torch.tensor([[5.,1.],[1.,3.]]); b = torch.tensor([-4.,2.])
  const A = tensor([[5, 1], [1, 3]]);
  const b = tensor([-4, 2]);
  // def f(x): return 0.5 * x @ A @ x + b @ x
  const f = (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
  // x = torch.tensor([1.5, -1.2], requires_grad=True); v = torch.tensor([0.6, -1.0])
  const x = tensor([1.5, -1.2], { requiresGrad: true });
  const v = tensor([0.6, -1.0]);
  // g = torch.autograd.grad(f(x), x, create_graph=True)[0]
  const g = autograd.grad(f(x), x, { createGraph: true })[0];
  // Hv = torch.autograd.grad(g @ v, x)[0]
  const Hv = autograd.grad(g.matmul(v), x)[0];
  const lines = [`Hessian-vector product Hv: ${Hv}`, `Direct H @ v: ${A.matmul(v)}`];
  expect(Array.from(Hv.data)).toEqual([2, -2.4]);
  expect(Array.from(A.matmul(v).data)).toEqual([2, -2.4]);
  expect(lines).toEqual(['Hessian-vector product Hv: [ 2.  -2.4]', 'Direct H @ v: [ 2.  -2.4]']);
});

it('formats scalars, matrices and special values', () => {
  expect(tensor(2).toString()).toBe('2.');
  expect(tensor([[5, 1], [1, 3]]).toString()).toBe('[[5. 1.]\n [1. 3.]]');
  expect(tensor([1, -0.5, 0.25]).toString()).toBe('[ 1.   -0.5   0.25]');
  expect(tensor([NaN, Infinity, -1]).toString()).toBe('[nan  inf   -1.]');
  expect(tensor([1e-9, 1]).toString()).toBe('[1.e-09 1.e+00]');
});
