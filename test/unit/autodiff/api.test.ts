import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ad from '../../../src/lib/autodiff';
import { autograd, concat, grad, hvp, jvp, objective, type Tensor, tensor, valueAndGrad, vjp, zeros } from '../../../src/lib/autodiff';
import { close, logistic, mlp, quadratic, rosenbrock } from './models';

describe('PyTorch-shaped API', () => {
  it('backward accumulates into .grad like torch, and .data is mutable in place', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const loss = (): Tensor => w.pow(2).sum();
    loss().backward();
    expect(Array.from(w.grad!.data)).toEqual([2, 4, 6]);
    loss().backward();
    expect(Array.from(w.grad!.data)).toEqual([4, 8, 12]);
    // An SGD step through .data, then zero the grad.
    for (let i = 0; i < w.size; i++) w.data[i] -= 0.25 * w.grad!.data[i];
    w.grad = null;
    loss().backward();
    expect(Array.from(w.grad!.data)).toEqual([0, 0, 0]);
    expect(w.shape).toEqual([3]);
    expect(w.requiresGrad).toBe(true);
  });
  it('.grad owns its storage: never shared with another leaf, the given gradient or a leaf', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.add(b).sum().backward();
    expect(a.grad!.data).not.toBe(b.grad!.data);
    a.grad!.data[0] = 100;
    expect(Array.from(b.grad!.data)).toEqual([1, 1]);
    // The caller's gradient tensor is copied, so zeroing .grad in place leaves it alone.
    const x = tensor([1, 2], { requiresGrad: true });
    const G = tensor([5, 6]);
    x.add(tensor([0, 0])).backward(G);
    expect(x.grad!.data).not.toBe(G.data);
    x.grad!.data.fill(0);
    expect(Array.from(G.data)).toEqual([5, 6]);
    // backward(x) on x + 0: .grad must not alias x's own values.
    const w = tensor([1, 2], { requiresGrad: true });
    w.add(tensor([0, 0])).backward(w);
    expect(w.grad!.data).not.toBe(w.data);
    w.grad!.data.fill(0);
    expect(Array.from(w.data)).toEqual([1, 2]);
    // Same with createGraph; the stored gradient stays differentiable.
    const z = tensor([1, 2], { requiresGrad: true });
    const Gz = tensor([1, 1]);
    z.add(tensor([0, 0])).backward(Gz, { createGraph: true });
    expect(z.grad!.data).not.toBe(Gz.data);
    z.grad!.data.fill(0);
    expect(Array.from(Gz.data)).toEqual([1, 1]);
    const u = tensor([1, 2], { requiresGrad: true });
    u.pow(3).sum().backward(undefined, { createGraph: true });
    const g = u.grad!;
    expect(Array.from(g.data)).toEqual([3, 12]);
    u.grad = null;
    g.sum().backward();
    expect(Array.from(u.grad!.data)).toEqual([6, 12]);
  });
  it('detach and item', () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.mul(3);
    expect(y.requiresGrad).toBe(true);
    const d = y.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(d.item()).toBe(6);
    expect(() => tensor([1, 2]).item()).toThrow(/one-element/);
  });
  it('autograd.grad with several outputs, gradOutputs and retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.pow(2);
    const [g] = autograd.grad(y, x, { gradOutputs: [tensor([1, 10])], retainGraph: true });
    expect(Array.from(g.data)).toEqual([2, 40]);
    const [g2] = autograd.grad([y.sum(), x.sum()], [x]);
    expect(Array.from(g2.data)).toEqual([3, 5]);
  });
  it('optimizing a small MLP with backward() and .data updates lowers the loss', () => {
    const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const yv = tensor([0, 1, 1, 0]);
    const theta = tensor(Array.from({ length: 2 * 3 + 2 * 3 + 1 }, (_, i) => Math.sin(3 * i + 1)), { requiresGrad: true });
    const f = mlp(X, yv, 2, 3);
    const l0 = f(theta).item();
    for (let it = 0; it < 100; it++) {
      theta.grad = null;
      f(theta).backward();
      for (let i = 0; i < theta.size; i++) theta.data[i] -= 0.2 * theta.grad!.data[i];
    }
    expect(f(theta).item()).toBeLessThan(l0);
  });
});

describe('errors', () => {
  it('shape mismatches name the operation and both shapes', () => {
    expect(() => tensor([1, 2]).add(tensor([1, 2, 3]))).toThrow('add: shapes [2] and [3] do not match');
    expect(() => ad.mul(tensor([[1, 2]]), tensor([[1], [2], [3]]).T)).toThrow('mul: shapes [1, 2] and [1, 3] do not match');
    expect(() => tensor([[1, 2], [3, 4]]).matmul(tensor([1, 2, 3]))).toThrow('matmul: shapes [2, 2] and [3] are not aligned');
    expect(() => tensor([1, 2]).dot(tensor([1, 2, 3]))).toThrow(/dot: shapes \[2\] and \[3\]/);
    expect(() => concat([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow(/concat: shapes \[1, 2\] and \[1, 3\]/);
    expect(() => tensor([1, 2, 3]).reshape([2, 2])).toThrow(/reshape: shapes \[3\] and \[2, 2\]/);
    expect(() => tensor([1, 2, 3]).at(3)).toThrow(/at: index 3 out of bounds/);
  });
  it('shapes must be non-negative integers, with at most one -1 that divides exactly', () => {
    const t6 = tensor([1, 2, 3, 4, 5, 6]);
    expect(() => t6.reshape([-1, 4])).toThrow('reshape: shapes [6] and [-1, 4] do not match');
    expect(() => tensor([1, 2, 3, 4]).reshape([-1, -1])).toThrow(/reshape: shapes \[4\] and \[-1, -1\].*only one dimension can be -1/);
    expect(() => t6.reshape([-2, -3])).toThrow(/reshape: shapes \[6\] and \[-2, -3\].*-2/);
    expect(() => t6.reshape([1.5, 4])).toThrow(/reshape: shapes \[6\] and \[1.5, 4\]/);
    expect(() => tensor([]).reshape([0, -1])).toThrow(/reshape: shapes \[0\] and \[0, -1\]/);
    expect(t6.reshape([-1, 3]).shape).toEqual([2, 3]);
    expect(t6.reshape([3, -1]).shape).toEqual([3, 2]);
    expect(tensor([]).reshape([2, 0]).shape).toEqual([2, 0]);
    expect(() => tensor([1, 2, 3, 4], { shape: [-2, -2] })).toThrow('tensor: invalid shape [-2, -2] for data of shape [4]');
    expect(() => tensor(new Float64Array(6), { shape: [2, 1.5, 2] })).toThrow(/tensor: invalid shape \[2, 1.5, 2\]/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: shape [2, 2] (4 elements) does not match data of shape [3] (3 elements)');
    expect(tensor([[1, 2], [3, 4]], { shape: [4] }).shape).toEqual([4]);
  });
  it('axes, slice bounds, pad widths and indices must be integers', () => {
    const m = tensor([[1, 2], [3, 4]]);
    expect(() => m.sum(1.5)).toThrow('sum: axis must be an integer, got 1.5');
    expect(() => m.mean(1.5)).toThrow('mean: axis must be an integer, got 1.5');
    expect(() => m.sum(2)).toThrow('sum: axis 2 out of range for a 2-d tensor');
    expect(Array.from(m.mean(-1).data)).toEqual([1.5, 3.5]);
    expect(Array.from(m.sum(-2).data)).toEqual([4, 6]);
    expect(() => tensor([1, 2, 3, 4]).slice(1.5)).toThrow('slice: start must be an integer, got 1.5');
    expect(() => tensor([1, 2, 3, 4]).slice(0, 2.5)).toThrow('slice: end must be an integer, got 2.5');
    expect(() => ad.pad(tensor([1]), 0.5, 0)).toThrow('pad: before must be a non-negative integer, got 0.5');
    expect(() => ad.pad(tensor([1]), 0, -1)).toThrow('pad: after must be a non-negative integer, got -1');
    expect(() => tensor([1, 2, 3]).at(1.5)).toThrow('at: index must be an integer, got 1.5');
  });
  it('empty slices: shape [0, …], zero gradient, also through the compiled objective', () => {
    expect(tensor([1, 2, 3]).slice(2, 1).shape).toEqual([0]);
    expect(tensor([[1, 2], [3, 4]]).slice(-10, -5).shape).toEqual([0, 2]);
    const f = (x: Tensor): Tensor => x.slice(5).sum().add(x.slice(1, 1).pow(2).sum()).add(x.pow(2).sum());
    expect(Array.from(grad(f)([1, 2]).data)).toEqual([2, 4]);
    const o = objective(f, 2);
    expect(o.value(Float64Array.from([1, 2]))).toBe(5);
    expect(Array.from(o.grad(Float64Array.from([1, 2])))).toEqual([2, 4]);
    expect(Array.from(o.hvp(Float64Array.from([1, 2]), Float64Array.from([1, -1])))).toEqual([2, -2]);
  });
  it('hvp errors name hvp, and v or f', () => {
    for (const mode of ['forward-over-reverse', 'reverse-over-reverse'] as const) {
      expect(() => hvp((x) => x.pow(2).sum(), [1, 2], [1, 2, 3], { mode })).toThrow('hvp: v has shape [3] but x has shape [2]');
      expect(() => hvp((x) => x.pow(2), [1, 2], [1, 2], { mode })).toThrow('hvp: f must return a scalar (one-element) tensor, got shape [2]');
    }
  });
  it('data is a readonly property: elements are written in place, the array is never replaced', () => {
    const s = tensor(0.5);
    const o = objective((x) => x.sum().mul(s), 2);
    expect(o.value(Float64Array.from([1, 2]))).toBe(1.5);
    s.data[0] = 2;
    expect(o.value(Float64Array.from([1, 2]))).toBe(6);
    // @ts-expect-error: replacing the array would silently detach it from compiled tapes and views
    const assign = (): void => { s.data = new Float64Array([5]); };
    expect(typeof assign).toBe('function');
  });
  it('grad of a non-scalar output without gradOutputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => autograd.grad(x.mul(2), x)).toThrow(/scalar outputs/);
    expect(() => x.mul(2).backward()).toThrow(/scalar outputs/);
    expect(() => grad((z) => z.mul(2))([1, 2])).toThrow(/scalar/);
  });
  it('grad of something that does not require grad', () => {
    const x = tensor([1, 2]);
    expect(() => autograd.grad(x.sum(), x)).toThrow(/does not require grad/);
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => autograd.grad(w.sum(), x)).toThrow(/inputs does not require grad/);
  });
  it('second backward through a freed graph, unless retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(() => autograd.grad(z, x)).toThrow(/second time/);
  });
  it('unused inputs: error by default, zeros with allowUnused', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const u = tensor([5, 6, 7], { requiresGrad: true });
    expect(() => autograd.grad(x.sum(), [x, u], { retainGraph: true })).toThrow(/not used/);
    const [gx, gu] = autograd.grad(x.sum(), [x, u], { allowUnused: true });
    expect(Array.from(gx.data)).toEqual([1, 1]);
    expect(Array.from(gu.data)).toEqual([0, 0, 0]);
    // The transforms return zeros for inputs f does not use.
    expect(Array.from(grad(() => tensor(3))([1, 2]).data)).toEqual([0, 0]);
    expect(Array.from(hvp(() => tensor(3), [1, 2], [1, 1]).data)).toEqual([0, 0]);
  });
  it('bad constructor input', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/ragged/);
    expect(() => tensor([1, '2'] as never)).toThrow(/element at \[1\] must be a number, got string/);
    expect(() => tensor([1, null] as never)).toThrow(/got null/);
    expect(() => tensor([[1], [[2]]] as never)).toThrow(/must be a number/);
    expect(() => tensor(new Float64Array(3), { shape: [2, 2] })).toThrow(/tensor: shape \[2, 2\] \(4 elements\) does not match data of shape \[3\]/);
  });
  it('objective rejects wrong lengths and non-scalar f', () => {
    const o = objective(rosenbrock, 3);
    expect(() => o.value(new Float64Array(4))).toThrow(/expected length 3/);
    expect(() => objective((x) => x.mul(2), 3).value(new Float64Array(3))).toThrow(/scalar/);
  });
});

describe('non-finite values follow IEEE and never crash', () => {
  it('propagate through values, gradients and HVPs', () => {
    const [y, g] = valueAndGrad((x) => x.log().sum())([0, -1, 1]);
    expect(y.item()).toBeNaN();
    expect(Array.from(g.data)).toEqual([Infinity, -1, 1]);
    expect(grad((x) => x.sqrt().sum())([0]).data[0]).toBe(Infinity);
    expect(grad((x) => x.abs().sum())([0]).data[0]).toBe(0);
    const h = hvp((x) => x.pow(3).sum(), [NaN, Infinity], [1, 1]);
    expect(h.data[0]).toBeNaN();
    expect(h.data[1]).toBe(Infinity);
    expect(ad.sigmoid(tensor([-1000, 1000])).data).toEqual(new Float64Array([0, 1]));
    expect(ad.softplus(tensor([-1000, 1000])).data).toEqual(new Float64Array([0, 1000]));
    expect(Array.from(grad((x) => x.exp().sum())([1000]).data)).toEqual([Infinity]);
  });
});

describe('relu and pow with a tensor exponent match torch at the edges', () => {
  // Expected values from PyTorch 1.13 (float64).
  it('relu: relu(−∞) = 0, NaN propagates, derivative 0 at 0, second derivative 0', () => {
    const x = tensor([-Infinity, -1, 0, 2, Infinity]);
    expect(Array.from(x.relu().data)).toEqual([0, 0, 0, 2, Infinity]);
    expect(ad.relu(tensor([NaN])).data[0]).toBeNaN();
    expect(Array.from(grad((z) => z.relu().sum())([-Infinity, -1, 0, 2]).data)).toEqual([0, 0, 0, 1]);
    expect(Array.from(grad((z) => grad((w) => w.relu().mul(w).sum())(z).sum())([-1, 0, 2]).data)).toEqual([0, 0, 2]);
    expect(Array.from(hvp((z) => z.relu().pow(2).sum(), [-1, 0, 3], [1, 1, 1]).data)).toEqual([0, 0, 2]);
    const o = objective((z) => z.relu().mul(tensor([1, 2, 3])).sum(), 3);
    expect(Array.from(o.grad(Float64Array.from([-1, 0, 1])))).toEqual([0, 0, 3]);
    expect(o.value(Float64Array.from([-Infinity, 1, 1]))).toBe(5);
  });
  it('x^p with a tensor p: negative bases, zeros, and both partial derivatives', () => {
    const xs = [-2, 0, 0, 0, 3, -1, 1, 0];
    const ps = [2, 2, 0, -1, 0.5, 0.5, NaN, 0.5];
    const x = tensor(xs, { requiresGrad: true });
    const p = tensor(ps, { requiresGrad: true });
    const y = x.pow(p);
    const same = (got: ArrayLike<number>, want: number[]): void => {
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        if (Number.isNaN(want[i])) expect(got[i], `element ${i}`).toBeNaN();
        else if (Number.isFinite(want[i])) expect(got[i], `element ${i}`).toBeCloseTo(want[i], 12);
        else expect(got[i], `element ${i}`).toBe(want[i]);
      }
    };
    same(y.data, [4, 0, 1, Infinity, Math.sqrt(3), NaN, 1, 0]);
    const [gx, gp] = autograd.grad(y.sum(), [x, p]);
    same(gx.data, [-4, 0, 0, -Infinity, 0.5 / Math.sqrt(3), NaN, NaN, Infinity]);
    // torch gives −∞ for ∂/∂p at x = 0, p < 0 (element 3); here it is NaN (documented).
    same(gp.data.filter((_, i) => i !== 3), [NaN, 0, 0, Math.sqrt(3) * Math.log(3), NaN, 0, 0]);
    // Second order at x = (−2, 0, 1.5), p = (2, 2, 3): ∂²/∂x², ∂²/∂x∂p, ∂²/∂p².
    const x2 = tensor([-2, 0, 1.5], { requiresGrad: true });
    const p2 = tensor([2, 2, 3], { requiresGrad: true });
    const [gx2, gp2] = autograd.grad(x2.pow(p2).sum(), [x2, p2], { createGraph: true });
    const [hxx, hxp] = autograd.grad(gx2.sum(), [x2, p2], { retainGraph: true });
    const [, hpp] = autograd.grad(gp2.sum(), [x2, p2]);
    same(hxx.data, [2, 2, 9]);
    same(hxp.data, [NaN, 0, 1.5 ** 2 * (1 + 3 * Math.log(1.5))]);
    same(hpp.data, [NaN, 0, 1.5 ** 3 * Math.log(1.5) ** 2]);
  });
  it('tensor exponents broadcast, run in compiled objectives and are read live', () => {
    const p = tensor(2);
    const f = (z: Tensor): Tensor => z.pow(p).sum().add(tensor([1.5, 2]).pow(z).sum());
    close(grad(f)([-2, 0]).data, [-4 + 1.5 ** -2 * Math.log(1.5), Math.log(2)], 1e-15, 1e-15);
    for (const fuse of [true, false]) {
      const o = objective(f, 2, { fuse });
      const x = Float64Array.from([-2, 0.5]);
      close(o.grad(x), grad(f)(tensor(x)).data, 1e-14, 1e-14);
      close(o.hvp(x, Float64Array.from([1, -1])), hvp(f, tensor(x), tensor([1, -1])).data, 1e-14, 1e-14);
    }
    const o = objective(f, 2);
    const x = Float64Array.from([-2, 0.5]);
    o.grad(x);
    p.data[0] = 3;
    close(o.grad(x), grad(f)(tensor(x)).data, 1e-14, 1e-14);
    expect(o.grad(x)[0]).toBeCloseTo(12 + 1.5 ** -2 * Math.log(1.5), 12);
    p.data[0] = 2;
  });
});

describe('JAX-shaped transforms', () => {
  const A = tensor([[5, 1], [1, 3]]);
  const b = tensor([-4, 2]);
  const f = quadratic(A, b);
  it('grad, valueAndGrad, vjp, jvp on a quadratic', () => {
    close(grad(f)([1.5, -1.2]).data, [2.3, -0.1], 1e-15, 1e-15);
    const [y, pb] = vjp((x) => A.matmul(x), [1, 2]);
    expect(Array.from(y.data)).toEqual([7, 7]);
    expect(Array.from(pb([1, 0]).data)).toEqual([5, 1]);
    expect(Array.from(pb([0, 1]).data)).toEqual([1, 3]);
    const [y2, t] = jvp((x) => A.matmul(x), [1, 2], [0, 1]);
    expect(Array.from(y2.data)).toEqual([7, 7]);
    expect(Array.from(t.data)).toEqual([1, 3]);
  });
  it('logistic regression gradient matches the closed form Xᵀ(σ(Xw) − y)/m + λw', () => {
    const X = tensor([[1, 2], [0.5, -1], [-1.5, 0.3]]);
    const yv = tensor([1, 0, 1]);
    const w = [0.2, -0.4];
    const g = grad(logistic(X, yv, 0.1))(w);
    const want = X.T.matmul(X.matmul(tensor(w)).sigmoid().sub(yv)).div(3).add(tensor(w).mul(0.1));
    close(g.data, want.data, 1e-14, 1e-15);
  });
});

describe('objective (compiled Float64Array API)', () => {
  it('reuses buffers, reads closure tensors live, and does not grow the heap', () => {
    const A = tensor([[5, 1], [1, 3]]);
    const o = objective(quadratic(A, tensor([-4, 2])), 2);
    const x = Float64Array.from([1.5, -1.2]);
    const v = Float64Array.from([0.6, -1]);
    const out = new Float64Array(2);
    expect(o.hvp(x, v, out)).toBe(out);
    expect(Array.from(out)).toEqual([2, -2.4]);
    A.data[0] = 6; // live: the next call sees the new A
    close(o.hvp(x, v), [2.6, -2.4], 1e-15);
    A.data[0] = 5;
    const g = new Float64Array(2);
    expect(o.valueAndGrad(x, g)).toBeCloseTo(-2.415, 12);
    close(g, [2.3, -0.1], 1e-15, 1e-15);
    const n = 2000;
    const big = objective(rosenbrock, n);
    const X = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const buf = new Float64Array(n);
    big.grad(X, buf);
    big.hvp(X, X, buf);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 500; i++) { big.grad(X, buf); big.hvp(X, X, buf); }
    gc?.();
    const after = process.memoryUsage().heapUsed;
    // Without --expose-gc this is a loose bound; bench/autodiff.ts measures it precisely.
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
  });
});

describe('module hygiene', () => {
  it('no Node-only imports in src/lib/autodiff (browser / Web Worker safe)', () => {
    const dir = new URL('../../../src/lib/autodiff/', import.meta.url);
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('compile/compileTrace.ts');
    for (const f of files) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      expect(src, f).not.toMatch(/from ['"](node:|fs|path|os|crypto|child_process)/);
      expect(src, f).not.toMatch(/\bprocess\.|\brequire\(/);
    }
  });
  it('zeros helper and free functions mirror methods', () => {
    expect(zeros([2, 2]).shape).toEqual([2, 2]);
    const x = tensor([0.5, 1.5]);
    expect(ad.tanh(x).data).toEqual(x.tanh().data);
    expect(ad.at(x, 1).item()).toBe(1.5);
    expect(x.at(-1).shape).toEqual([]);
  });
});

describe('broadcasting and views', () => {
  it('binary ops broadcast both operands without copies, with gradients summed back', () => {
    const a = tensor([[1], [2]], { requiresGrad: true });
    const b = tensor([[10, 20, 30]], { requiresGrad: true });
    const y = a.mul(b).add(a);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data)).toEqual([11, 21, 31, 22, 42, 62]);
    const [ga, gb] = autograd.grad(y.sum(), [a, b]);
    expect(Array.from(ga.data)).toEqual([63, 63]);
    expect(Array.from(gb.data)).toEqual([3, 3, 3]);
    expect(() => tensor([[1, 2]]).add(tensor([[1], [2], [3]]).T)).toThrow('add: shapes [1, 2] and [1, 3] do not match');
  });
  it('reshape and slice are views sharing memory (like torch)', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    const s = x.slice(1, 3);
    const r = x.reshape([2, 3]);
    x.data[1] = 20;
    expect(Array.from(s.data)).toEqual([20, 3]);
    expect(r.at(0, 1).item()).toBe(20);
  });
});
