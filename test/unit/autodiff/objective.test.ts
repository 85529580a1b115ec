/**
 * The compiled objective against the generic transforms on functions that
 * exercise the tape compiler: overlapping views (x[1:], x[:-1], x[2:]),
 * pads and concat whose adjoints become accumulators, sums fused into loops,
 * scalar broadcasts, reshape/matmul/transpose, and outputs written straight
 * into the caller's arrays.
 */
import { describe, expect, it } from 'vitest';
import { type HvpMode, type Tensor, concat, grad, hessian, hvp, objective, pad, tensor, valueAndGrad } from '../../../src/lib/autodiff';
import { close, logistic, mixed, mlp, rosenbrock } from './models';

const X = tensor([[1, 2, -1], [0.5, -1, 0.3], [-1.5, 0.3, 2], [0.2, 0.1, -0.7]]);
const yv = tensor([1, 0, 1, 1]);
const A6 = tensor(Float64Array.from({ length: 36 }, (_, k) => Math.sin(1.3 * k + 0.2)), { shape: [6, 6] });
const B57 = tensor(Float64Array.from({ length: 35 }, (_, k) => Math.cos(0.7 * k)), { shape: [5, 7] });

const cases: { name: string; n: number; f: (x: Tensor) => Tensor }[] = [
  { name: 'rosenbrock', n: 7, f: rosenbrock },
  {
    name: 'three overlapping views, sum over a product, a scalar picked by at()',
    n: 9,
    f: (x) => x.slice(2).mul(x.slice(0, -2)).sub(x.slice(1, -1).sin()).pow(2).sum().add(x.at(3).mul(x.sum()).exp().mul(0.1)),
  },
  {
    name: 'explicit pad and concat: accumulators with pad and non-pad leaves',
    n: 6,
    f: (x) => {
      const p = pad(x.slice(1).tanh(), 0, 1).add(pad(x.slice(0, -2).pow(3), 2, 0)).add(x.cos());
      return concat([p.slice(3), x.slice(0, 3).exp()]).mul(x.sigmoid()).sum();
    },
  },
  {
    name: 'reshape, matmul, transpose, mean over an axis',
    n: 6,
    f: (x) => {
      const W = x.reshape([2, 3]);
      return X.matmul(W.T).tanh().mean(0).pow(2).sum().add(W.sum(1).softplus().sum());
    },
  },
  { name: 'logistic regression', n: 3, f: logistic(X, yv, 0.1) },
  {
    name: 'non-symmetric quadratic: x·A and g·Aᵀ share one pass over A',
    n: 6,
    f: (x) => x.matmul(A6).dot(x).mul(0.5).add(x.sin().dot(x.slice(0, 6))),
  },
  {
    name: 'bilinear form with a non-square matrix (5×7)',
    n: 12,
    f: (x) => x.slice(0, 5).matmul(B57).dot(x.slice(5)).add(x.pow(2).sum().mul(0.1)),
  },
  { name: 'mlp', n: 2 * 3 + 2 + 2 + 1, f: mlp(X.slice(0, 4).reshape([4, 3]).slice(0, 4), yv, 3, 2) },
  { name: 'mixed', n: 4, f: mixed },
  {
    // The inner sum of pads is an accumulator; the outer one reads it through slices (views with
    // other ids but the accumulator's buffer), so it may not join the loop still filling it.
    name: 'sum of pads of slices of a sum of pads (accumulator read through a view)',
    n: 3,
    f: (x) => { const sp = (a: Tensor, b: Tensor): Tensor => pad(a.slice(1), 1, 0).add(pad(b.slice(0, -1), 0, 1)); return sp(sp(x, x), x).mul(tensor([1, 2, 3])).sum(); },
  },
  {
    name: 'nested shifted pads, the inner one reused',
    n: 5,
    f: (x) => {
      const sp = (a: Tensor, b: Tensor): Tensor => pad(a.slice(1), 1, 0).add(pad(b.slice(0, -1), 0, 1));
      const v2 = sp(x, x.sin());
      return sp(v2, x).mul(tensor([1, 2, 3, 4, 5])).sum().add(v2.pow(2).sum());
    },
  },
];

describe('compiled objective matches the generic transforms', () => {
  for (const c of cases) {
    it(c.name, () => {
      const x = Float64Array.from({ length: c.n }, (_, i) => 0.3 + 0.7 * Math.sin(1.7 * i + 0.4));
      const v = Float64Array.from({ length: c.n }, (_, i) => Math.cos(2.3 * i));
      const [y0, g0] = valueAndGrad(c.f)(tensor(x));
      const h0 = hvp(c.f, tensor(x), tensor(v));
      for (const fuse of [true, false]) {
        for (const hvpMode of ['reverse-over-reverse', 'forward-over-reverse'] as HvpMode[]) {
          const o = objective(c.f, c.n, { fuse, hvpMode });
          close([o.value(x)], [y0.item()], 1e-13, 1e-13);
          close(o.grad(x), g0.data, 1e-12, 1e-13);
          // Outputs written into alternating caller arrays, and into x itself (x is read first).
          const a = new Float64Array(c.n);
          const b = new Float64Array(c.n);
          for (let r = 0; r < 3; r++) {
            expect(o.grad(x, a)).toBe(a);
            close(a, g0.data, 1e-12, 1e-13);
            close([o.valueAndGrad(x, b)], [y0.item()], 1e-13, 1e-13);
            close(b, g0.data, 1e-12, 1e-13);
            expect(o.hvp(x, v, a)).toBe(a);
            close(a, h0.data, 1e-12, 1e-13);
            const fresh = o.hvp(x, v);
            close(fresh, h0.data, 1e-12, 1e-13);
            expect(fresh).not.toBe(a);
          }
          // The earlier result is not overwritten by a later call into another array.
          o.grad(x, a);
          o.grad(x.map((t) => t + 0.25), b);
          close(a, g0.data, 1e-12, 1e-13);
          close(b, grad(c.f)(tensor(x.map((t) => t + 0.25))).data, 1e-12, 1e-13);
          const xx = Float64Array.from(x);
          o.hvp(xx, v, xx);
          close(xx, h0.data, 1e-12, 1e-13);
          const xg = Float64Array.from(x);
          o.grad(xg, xg);
          close(xg, g0.data, 1e-12, 1e-13);
        }
      }
    });
  }
  it('rejects an output array of the wrong length', () => {
    const o = objective(rosenbrock, 3);
    expect(() => o.grad(new Float64Array(3), new Float64Array(2))).toThrow(/expected length 3/);
    expect(() => o.hvp(new Float64Array(3), new Float64Array(3), new Float64Array(4))).toThrow(/expected length 3/);
  });
  it('a gradient that is a closure constant is copied, never aliased', () => {
    const b = tensor([1, -2, 3]);
    const o = objective((x) => b.dot(x), 3);
    const g = o.grad(new Float64Array(3));
    expect(Array.from(g)).toEqual([1, -2, 3]);
    g[0] = 99;
    expect(b.data[0]).toBe(1);
    const out = new Float64Array(3);
    o.grad(new Float64Array(3), out);
    out[1] = 42;
    expect(Array.from(b.data)).toEqual([1, -2, 3]);
  });
});

describe('hessian (dense, through one compiled HVP tape)', () => {
  it('matches generic HVP columns for a matrix-shaped input and is traced at the point (branches allowed)', () => {
    const f = (W: Tensor): Tensor => {
      // A data-dependent branch: fine for hessian, which traces at the point it evaluates.
      const s = W.data[0] > 0 ? W.exp() : W.sin();
      return s.matmul(W.T).pow(2).sum().add(W.at(1, 2).mul(W.sum()));
    };
    for (const W of [[[0.3, -0.2, 0.5], [0.1, 0.4, -0.6]], [[-0.3, -0.2, 0.5], [0.1, 0.4, -0.6]]]) {
      const H = hessian(f)(W);
      // PyTorch's shape for torch.autograd.functional.hessian: x.shape + x.shape (row-major, so the
      // data is still the 6×6 matrix of the flattened input).
      expect(H.shape).toEqual([2, 3, 2, 3]);
      for (let i = 0; i < 6; i++) {
        const e = new Float64Array(6);
        e[i] = 1;
        const col = hvp(f, tensor(W), tensor(e, { shape: [2, 3] }));
        close(Array.from({ length: 6 }, (_, r) => H.data[r * 6 + i]), col.data, 1e-12, 1e-12);
      }
    }
  });
  it('of ½xᵀAx is (A + Aᵀ)/2 for a non-symmetric A', () => {
    const H = hessian((x) => x.matmul(A6).dot(x).mul(0.5))(new Float64Array(6).fill(0.4));
    const want = Array.from({ length: 36 }, (_, k) => (A6.data[k] + A6.data[(k % 6) * 6 + Math.floor(k / 6)]) / 2);
    close(H.data, want, 1e-14, 1e-15);
  });
  it('zeros when f does not depend on x; errors name hessian', () => {
    expect(Array.from(hessian(() => tensor(3))([1, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(hessian((x) => x.sum())([1, 2]).data)).toEqual([0, 0, 0, 0]);
    expect(() => hessian((x) => x.mul(2))([1, 2])).toThrow(/hessian: f must return a scalar/);
  });
});

describe('long elementwise chains', () => {
  it('a chain longer than one fused loop gives the generic results', () => {
    const f = (x: Tensor): Tensor => {
      let y = x;
      for (let k = 0; k < 150; k++) y = y.mul(0.999).add(x.sin().mul(1e-3)).tanh();
      return y.pow(2).sum();
    };
    const x = Float64Array.from({ length: 7 }, (_, i) => 0.2 * i - 0.5);
    const v = Float64Array.from({ length: 7 }, (_, i) => Math.cos(i));
    const o = objective(f, 7);
    close(o.grad(x), grad(f)(tensor(x)).data, 1e-12, 1e-14);
    close(o.hvp(x, v), hvp(f, tensor(x), tensor(v)).data, 1e-12, 1e-14);
  });
});
