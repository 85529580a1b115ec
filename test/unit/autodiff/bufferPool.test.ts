/**
 * The buffer pool: buffers are recycled (fewer allocations) and never while something still reads them.
 * Recycled buffers are poisoned with NaN here, and every result is compared bit for bit with the same
 * computation run without the pool (createGraph: true records the graph and pools nothing; setPooling(false)
 * switches recycling off altogether).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amax, argmax, autograd, cat, clamp, gather, hvp, jvp, grad, logsumexp, maximum, pad, type Tensor, tensor, transpose, where } from '../../../src/lib/autodiff';
import { recycle } from '../../../src/lib/autodiff/bufferPool';
import { BufferPool, emptyPool, pooledByteCount, setPoolLimit, setPooling } from '../../../src/lib/autodiff/bufferPool';

beforeAll(() => { BufferPool.poison = true; });
afterAll(() => { BufferPool.poison = false; });

const n = 40;
const x0 = Float64Array.from({ length: n }, (_, i) => 0.7 * Math.sin(1.3 * i));
const W = tensor(Float64Array.from({ length: 8 * n }, (_, k) => Math.cos(k)), { shape: [8, n] });
const fns: [string, (x: Tensor) => Tensor][] = [
  ['rosenbrock', (x) => x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(x.slice(0, -1).neg().add(1).pow(2)).sum()],
  ['mlp', (x) => W.matmul(x.tanh()).sigmoid().matmul(W).softplus().mean()],
  ['shifts and sums', (x) => cat([x.slice(2), x.slice(0, 2)]).mul(x).add(x.sum()).exp().mul(0.01).sum()],
  ['reductions', (x) => logsumexp(x.reshape([4, 10]), 1).sum().add(x.reshape([4, 10]).max(1).values.pow(2).sum())],
  ['selections', (x) => where(x.gt(0), x.pow(3), x.abs().add(1).sqrt()).add(x.maximum(x.mul(0.5))).sum()],
  ['reuse of one value', (x) => { const y = x.mul(x); return y.add(y).mul(y).sum().add(y.sum()); }],
];
const bits = (t: Tensor): number[] => Array.from(t.data);
/** fn's result computed with recycling switched off. */
function unpooled<T>(fn: () => T): T {
  const prev = setPooling(false);
  try { return fn(); } finally { setPooling(prev); }
}
const v0 = Float64Array.from({ length: n }, (_, i) => Math.cos(i));

describe('backward buffer pool', () => {
  it.each(fns)('%s: gradient with the pool equals the gradient without it, bit for bit', (_name, f) => {
    const x = tensor(x0, { requiresGrad: true });
    const [pooled] = autograd.grad(f(x), x);
    const [plain] = autograd.grad(f(x), x, { createGraph: true });
    expect(bits(pooled)).toEqual(bits(plain));
    expect(pooled.data.every(Number.isFinite)).toBe(true);
  });
  it.each(fns)('%s: HVPs (forward-over-reverse through a pooled backward, and reverse-over-reverse) agree', (_name, f) => {
    const x = tensor(x0);
    const v = tensor(Float64Array.from({ length: n }, (_, i) => Math.cos(i)));
    const fr = hvp(f, x, v, { mode: 'forward-over-reverse' });
    const rr = hvp(f, x, v, { mode: 'reverse-over-reverse' });
    const [, jg] = jvp(grad(f), x, v);
    expect(bits(fr)).toEqual(bits(jg));
    fr.data.forEach((a, i) => expect(a).toBeCloseTo(rr.data[i], 8));
  });
  it('recycles buffers: a second backward reuses what the first pass freed', () => {
    const before = BufferPool.reused;
    const x = tensor(x0, { requiresGrad: true });
    fns[0][1](x).backward();
    expect(BufferPool.reused).toBeGreaterThan(before);
  });
  it('.grad and returned gradients are never recycled afterwards', () => {
    const x = tensor(x0, { requiresGrad: true });
    const [g1] = autograd.grad(fns[1][1](x), x);
    const copy = bits(g1);
    autograd.grad(fns[0][1](x), x);
    autograd.grad(fns[2][1](x), x);
    expect(bits(g1)).toEqual(copy);
  });
  it.each(fns)('%s: reverse-over-reverse HVP with the first backward recycled equals it without any recycling, bit for bit, also when repeated', (_name, f) => {
    const plain = bits(unpooled(() => hvp(f, tensor(x0), tensor(v0))));
    const first = hvp(f, tensor(x0), tensor(v0));
    const second = hvp(f, tensor(x0), tensor(v0));
    expect(bits(first)).toEqual(plain);
    expect(bits(second)).toEqual(plain);
    expect(bits(first)).toEqual(plain);
  });
  it("recycles the recorded first backward of an HVP once the second has run (it is nobody's afterwards)", () => {
    emptyPool();
    hvp(fns[0][1], tensor(x0), tensor(v0));
    expect(pooledByteCount()).toBeGreaterThan(0);
    emptyPool();
  });
  it.each(fns)('%s: an HVP inside an enclosing reverse pass or a jvp keeps its first backward (the outer pass still reads it)', (_name, f) => {
    const c = tensor(Float64Array.from({ length: n }, (_, i) => Math.sin(2 * i)));
    const outer = (x: Tensor): Tensor => hvp(f, x, tensor(v0)).mul(c).sum();
    const plainGrad = bits(unpooled(() => grad(outer)(tensor(x0))));
    expect(bits(grad(outer)(tensor(x0)))).toEqual(plainGrad);
    const t = tensor(v0.map((a) => 0.5 * a));
    const plainJvp = unpooled(() => jvp((x) => hvp(f, x, tensor(v0)), tensor(x0), t)).map(bits);
    expect(jvp((x) => hvp(f, x, tensor(v0)), tensor(x0), t).map(bits)).toEqual(plainJvp);
  });
  it('keeps at most its limit between passes, and results do not depend on it', () => {
    const big = 3000;
    const f = fns[0][1];
    const xb = tensor(Float64Array.from({ length: big }, (_, i) => 0.7 * Math.sin(1.3 * i)));
    const vb = tensor(Float64Array.from({ length: big }, (_, i) => Math.cos(i)));
    const plain = bits(unpooled(() => hvp(f, xb, vb)));
    const prev = setPoolLimit(5 * 8 * big);
    try {
      emptyPool();
      const first = hvp(f, xb, vb);
      expect(pooledByteCount()).toBeLessThanOrEqual(5 * 8 * big);
      expect(pooledByteCount()).toBeGreaterThan(0);
      expect(bits(first)).toEqual(plain);
      expect(bits(grad(f)(xb))).toEqual(bits(unpooled(() => grad(f)(xb))));
      expect(pooledByteCount()).toBeLessThanOrEqual(5 * 8 * big);
    } finally {
      setPoolLimit(prev);
      emptyPool();
    }
  });
  it('a slice’s cotangent added in place equals pad-then-add bit for bit, −0 turned to +0 outside the slice included', () => {
    // x·c gives −0 where c = −0. It comes last, so its cotangent reaches x first and the slices' add into it in
    // place; pad's zeros would turn those −0 into +0, and so must the in-place add. Rows of a 2-d slice likewise.
    const c = tensor(Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -0 : Math.cos(i))));
    const c2 = c.reshape([4, 10]);
    const fs = [
      (x: Tensor) => x.slice(1, n - 1).pow(2).sum().add(x.slice(2).mul(3).sum()).add(x.mul(c).sum()),
      (x: Tensor) => { const y = x.reshape([4, 10]); return y.slice(1, 3).pow(2).sum().add(y.slice(2).sum()).add(y.mul(c2).sum()); },
    ];
    for (const f of fs) {
      const x = tensor(x0, { requiresGrad: true });
      const [pooled] = autograd.grad(f(x), x);
      const [plain] = autograd.grad(f(x), x, { createGraph: true });
      expect(Object.is(plain.data[0], 0)).toBe(true);
      expect(bits(pooled)).toEqual(bits(plain));
      expect(bits(grad(f)(tensor(x0)))).toEqual(bits(plain));
    }
  });
  it('every primitive writes all of its output: results from NaN-poisoned recycled buffers equal fresh ones', () => {
    const A = tensor(Float64Array.from({ length: 24 }, (_, k) => Math.sin(1.7 * k)), { shape: [4, 6] });
    const B = tensor(Float64Array.from({ length: 18 }, (_, k) => Math.cos(0.9 * k)), { shape: [6, 3] });
    const v = tensor(Float64Array.from({ length: 6 }, (_, k) => k - 2.5));
    const idx = tensor([[0, 2, 1, 0, 3, 3], [1, 1, 0, 2, 0, 3]]);
    const ops: [string, () => Tensor][] = [
      ['matmul', () => A.matmul(B)], ['matmulᵀ', () => transpose(A).matmul(A)], ['matvec', () => A.matmul(v)], ['vecmat', () => v.matmul(transpose(A))],
      ['outer', () => v.reshape([6, 1]).matmul(v.reshape([1, 6]))], ['transpose', () => transpose(A)],
      ['broadcast add', () => A.add(v)], ['column broadcast', () => A.mul(v.slice(0, 4).reshape([4, 1]))], ['scalar', () => A.mul(3)],
      ['unary', () => A.tanh().exp().sqrt().softplus().sigmoid().neg().abs().sign().relu()], ['pow', () => A.pow(3).pow(v)],
      ['sum', () => A.sum()], ['sum axis', () => A.sum(0)], ['mean keepdim', () => A.mean(1, true)], ['broadcastTo', () => v.sum().add(A.mul(0))],
      ['pad', () => pad(A, 1, 2)], ['cat', () => cat([A, A.mul(2)])], ['clone', () => A.clone()],
      ['where', () => where(A.gt(0), A, v)], ['maximum', () => maximum(A, v)], ['clamp', () => clamp(A, -0.5, 0.5)],
      ['amax', () => amax(A, 1)], ['argmax', () => argmax(A, 1)], ['logsumexp', () => logsumexp(A, 0)],
      ['gather', () => gather(A, 0, idx)], ['gather grad', () => { const x = A.detach().requiresGrad_(); return autograd.grad(gather(x, 0, idx).sum(), x)[0]; }],
    ];
    for (const [name, op] of ops) {
      const fresh = unpooled(op);
      for (const size of new Set([fresh.size, 24, 18, 6, 4, 3, 1, 36, 72])) for (let k = 0; k < 4; k++) recycle(new Float64Array(size));
      const pooled = op();
      expect({ name, values: bits(pooled) }).toEqual({ name, values: bits(fresh) });
    }
    emptyPool();
  });
});
