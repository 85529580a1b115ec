/** The identity primitive: clone and .grad copies own their storage, transform inputs alias theirs. */
import { describe, expect, it } from 'vitest';
import { autograd, grad, hvp, objective, rules, tensor } from '../../../src/lib/autodiff';

describe('identity', () => {
  it('clone is a recorded copy with its own storage; gradients pass straight through', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const c = x.clone();
    expect(c.gradFn?.op).toBe('identity');
    expect(c.data).not.toBe(x.data);
    c.data[0] = 9;
    expect(x.data[0]).toBe(1);
    const [g] = autograd.grad(c.mul(c).sum(), x);
    expect(Array.from(g.data)).toEqual([18, 4, 6]);
  });
  it('backward with createGraph stores .grad as an identity node with its own storage', () => {
    const x = tensor([2], { requiresGrad: true });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    expect(x.grad!.gradFn?.op).toBe('identity');
    const [g2] = autograd.grad(x.grad!.sum(), x);
    expect(g2.item()).toBe(12);
  });
  it('has its own rule (d x = dx) and compiles to no copy when aliasing', () => {
    expect(Object.keys(rules)).toContain('identity');
    const f = (z: ReturnType<typeof tensor>) => z.mul(z).sum();
    expect(Array.from(grad(f)(tensor([1, -2])).data)).toEqual([2, -4]);
    expect(Array.from(hvp(f, tensor([1, -2]), tensor([1, 0])).data)).toEqual([2, 0]);
    const obj = objective(f, 2);
    expect(Array.from(obj.grad(new Float64Array([1, -2])))).toEqual([2, -4]);
  });
});
