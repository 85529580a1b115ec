/**
 * The selection, reduction and loss operations against PyTorch 1.13 (test/fixtures/ops.json, made by
 * scripts/fixtures/ops.py): values, indices, the gradient of s = Σ w ⊙ f + ½ Σ f² with respect to every
 * differentiated input, and the Hessian-vector product of s (double backward). Ties and infinities are
 * among the cases, so PyTorch's conventions there are what is checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as ad from '../../../src/lib/autodiff';
import { autograd, objective, tensor, type Tensor } from '../../../src/lib/autodiff';

type Num = number | string;
interface OpCase {
  name: string;
  inputs: Record<string, Num[]>;
  shapes: Record<string, number[]>;
  wrt: string[];
  value: Num[];
  shape: number[];
  indices?: number[];
  grad: Record<string, Num[] | null>;
  v: number[];
  hvp: Num[];
}
const fx = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/ops.json', import.meta.url)), 'utf8')) as {
  torch: string; openblasCoretype: string; cases: OpCase[]; argmax: { x: number[][]; argmax: number; argmax1: number[]; argmin0: number[] };
};
const num = (v: Num): number => (typeof v === 'number' ? v : Number(v));

type In = Record<string, Tensor>;
const ops: Record<string, (i: In) => Tensor | ad.ValuesIndices> = {
  max: ({ x }) => x.max(),
  min: ({ x }) => x.min(),
  'max dim 1': ({ x }) => x.max(1),
  'max dim 0 keepdim': ({ x }) => x.max(0, true),
  'min dim 1': ({ x }) => x.min(1),
  'amax dim 1': ({ x }) => ad.amax(x, 1),
  'amin dim 0 keepdim': ({ x }) => ad.amin(x, 0, true),
  'amax dims (0, 1)': ({ x }) => ad.amax(x, [0, 1]),
  maximum: ({ a, b }) => ad.maximum(a, b),
  minimum: ({ a, b }) => ad.minimum(a, b),
  'maximum broadcast': ({ a, b }) => ad.maximum(a, b),
  clamp: ({ x }) => ad.clamp(x, -1, 1),
  'clamp min only': ({ x }) => x.clamp(0),
  where: ({ c, a, b }) => ad.where(ad.gt(c, 0), a, b),
  'logsumexp dim 1': ({ x }) => ad.logsumexp(x, 1),
  'logsumexp all': ({ x }) => ad.logsumexp(x, [0, 1]),
  'logsumexp large': ({ x }) => ad.logsumexp(x, 0),
  'logsumexp -inf entries': ({ x }) => x.logsumexp(1),
  'logsumexp all -inf': ({ x }) => x.logsumexp(0),
  'softmax dim 1': ({ x }) => ad.softmax(x, 1),
  'softmax dim 0': ({ x }) => x.softmax(0),
  'log_softmax dim 1': ({ x }) => ad.log_softmax(x, 1),
  'cross_entropy mean': ({ x, t }) => ad.F.cross_entropy(x, t),
  'cross_entropy sum': ({ x, t }) => ad.crossEntropy(x, t, { reduction: 'sum' }),
  'cross_entropy none': ({ x, t }) => ad.crossEntropy(x, t, { reduction: 'none' }),
  'cross_entropy unbatched': ({ x, t }) => ad.crossEntropy(x, t),
  'stack dim 1': ({ a, b }) => ad.stack([a, b], 1),
  'cat dim 1': ({ a, b }) => ad.cat([a, b], 1),
  'cat dim 0': ({ a, b }) => ad.cat([a, b], 0),
  'gather dim 1': ({ x, i }) => x.gather(1, i),
  'gather dim 0': ({ x, i }) => ad.gather(x, 0, i),
  'index_select dim 0': ({ x, i }) => x.index_select(0, i),
  'index_select dim 1': ({ x, i }) => ad.indexSelect(x, 1, i),
  'sum dims keepdim': ({ x }) => x.sum([0, 2], true),
  'mean dim 1': ({ x }) => x.mean(1),
  'mean dim 0 keepdim': ({ x }) => x.mean(0, true),
  'var unbiased': ({ x }) => x.var(),
  'var biased dim 1': ({ x }) => x.var(1, { unbiased: false }),
  'std dim 0 keepdim': ({ x }) => x.std(0, { keepdim: true }),
  'std biased': ({ x }) => ad.std(x, null, { unbiased: false }),
};

/** Equal within 1e-12 relative (1e-12 absolute near 0), with ±∞ and NaN required to match exactly. */
function same(actual: ArrayLike<number>, expected: Num[], what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  expected.forEach((e0, k) => {
    const e = num(e0);
    const a = actual[k];
    if (!Number.isFinite(e)) expect(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${what}[${k}]: got ${a}, want ${e}`).toBe(true);
    else expect(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${what}[${k}]: got ${a}, want ${e}`).toBe(true);
  });
}

describe(`selection, reduction and loss operations against PyTorch ${fx.torch} (${fx.openblasCoretype})`, () => {
  it('every fixture case has a port (and every port a case)', () => {
    expect(Object.keys(ops).sort()).toEqual(fx.cases.map((c) => c.name).sort());
  });
  for (const c of fx.cases) {
    it(`${c.name}: value, gradient and HVP`, () => {
      const ins: In = {};
      for (const [k, data] of Object.entries(c.inputs)) ins[k] = tensor(Float64Array.from(data, num), { shape: c.shapes[k], requiresGrad: c.wrt.includes(k) });
      const out = ops[c.name](ins);
      const values = Array.isArray(out) ? out.values : (out as Tensor);
      expect(values.shape).toEqual(c.shape);
      same(values.data, c.value, 'value');
      if (c.indices) expect(Array.from((out as ad.ValuesIndices).indices.data)).toEqual(c.indices);
      const w = tensor(Float64Array.from({ length: values.size }, (_, k) => (values.size === 1 ? -1 : -1 + (2.5 * k) / (values.size - 1))), { shape: [...values.shape] });
      const s = w.mul(values).sum().add(values.mul(values).sum().mul(0.5));
      const grads = autograd.grad(s, c.wrt.map((k) => ins[k]), { create_graph: true, allow_unused: true });
      c.wrt.forEach((k, j) => same(grads[j].data, c.grad[k] ?? [], `∂s/∂${k}`));
      const first = ins[c.wrt[0]];
      const v = tensor(Float64Array.from(c.v), { shape: [...first.shape] });
      const hv = grads[0].requiresGrad ? autograd.grad(grads[0].mul(v).sum(), first, { allowUnused: true })[0].data : new Float64Array(first.size);
      same(hv, c.hvp, 'hvp');
    });
  }
  it('argmax / argmin: first index of the extreme, over all entries or along a dim', () => {
    const x = tensor(fx.argmax.x);
    expect(x.argmax().item()).toBe(fx.argmax.argmax);
    expect(Array.from(x.argmax(1).data)).toEqual(fx.argmax.argmax1);
    expect(Array.from(ad.argmin(x, 0).data)).toEqual(fx.argmax.argmin0);
  });
});

describe('the new operations in compiled objectives', () => {
  it('max along a dim, logsumexp and crossEntropy follow the argmax as x moves (traced on the tape, not frozen)', () => {
    const f = (z: Tensor): Tensor => ad.logsumexp(z).add(z.reshape([2, 3]).max(1).values.sum()).add(ad.crossEntropy(z.reshape([2, 3]), [2, 0]));
    const obj = objective(f, 6);
    for (const x of [[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], [0, 9, -1, 2, 2.5, 2]]) {
      const want = ad.grad(f)(x);
      const got = obj.grad(new Float64Array(x));
      got.forEach((g, k) => expect(Math.abs(g - want.data[k])).toBeLessThan(1e-14));
      const v = new Float64Array([0.3, -1, 2, 0.5, 0, 1]);
      const hv = obj.hvp(new Float64Array(x), v);
      const want2 = ad.hvp(f, x, Array.from(v));
      hv.forEach((h, k) => expect(Math.abs(h - want2.data[k])).toBeLessThan(1e-13));
    }
  });
  it('bad arguments name the operation', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(() => ad.gather(x, 1, [[0, 2]])).toThrow('gather: index 2 is out of bounds for dimension 1 with size 2');
    expect(() => ad.gather(x, 1, [[0.5]])).toThrow('gather: index values must be integers, got 0.5');
    expect(() => ad.crossEntropy(x, [0, 1, 1])).toThrow(/crossEntropy: input \[2, 2\] and target \[3\] do not match/);
    expect(() => ad.crossEntropy(x, [0, 1], { reduction: 'avg' as never })).toThrow(/reduction must be 'mean', 'sum' or 'none'/);
    expect(() => x.var(0, { unbiasd: false } as never)).toThrow("var: unknown option 'unbiasd' — did you mean 'unbiased'?");
    expect(() => ad.cat([x, tensor([[1, 2, 3]])], 1)).toThrow(/cat: shapes \[2, 2\] and \[1, 3\] cannot be concatenated along dimension 1/);
    expect(() => ad.amax(tensor([]))).toThrow(/cannot reduce over dimension 0 of size 0/);
    expect(() => x.sum([1, -1])).toThrow('sum: dimension listed twice in [1, -1]');
    expect(() => x.clamp()).toThrow('clamp: at least one of min and max must be given');
    expect(() => ad.allclose(x, x, { rtl: 1e-3 } as never)).toThrow("allclose: unknown option 'rtl' — did you mean 'rtol'?");
    expect(() => ad.allclose(x, x, { rtol: -1 })).toThrow('allclose: rtol must be a finite number ≥ 0, got -1');
  });
  it('equal, allclose and clone as PyTorch', () => {
    const a = tensor([1, 2, NaN]);
    expect(ad.equal(tensor([1, 2]), [1, 2])).toBe(true);
    expect(ad.equal(a, a)).toBe(false); // NaN ≠ NaN
    expect(ad.allclose(a, [1 + 1e-9, 2, NaN], { equal_nan: true })).toBe(true);
    expect(ad.allclose(a, [1 + 1e-9, 2, NaN])).toBe(false);
    expect(ad.allclose([1, 2], [[1, 2.0001], [1, 2]], { rtol: 1e-3 })).toBe(true);
    const w = tensor([1, 2], { requiresGrad: true });
    const c = w.clone();
    expect(c.data).not.toBe(w.data);
    c.mul(3).sum().backward();
    expect(Array.from(w.grad!.data)).toEqual([3, 3]);
  });
});
