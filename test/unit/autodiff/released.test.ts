/**
 * The JAX-shaped transforms release what f computed and did not return (transformScratch.ts, released.ts):
 * the memory is recycled for the next call, every old view of it is detached, and a leaked tensor is an error
 * when used, never numbers written by a later call. Recycled buffers are poisoned with NaN here, and results are
 * compared bit for bit with the same calls made with recycling off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autograd, grad, hvp, type Tensor, tensor, valueAndGrad } from '../../../src/lib/autodiff';
import { BufferPool, emptyPool, setPooling } from '../../../src/lib/autodiff/bufferPool';

beforeAll(() => { BufferPool.poison = true; });
afterAll(() => { BufferPool.poison = false; });

const n = 64;
const x0 = Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i));
const v0 = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
const rosenbrock = (x: Tensor): Tensor => x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(x.slice(0, -1).neg().add(1).pow(2)).sum();
const bits = (t: Tensor): number[] => Array.from(t.data);
const point = (k: number) => tensor(x0.map((v, i) => v + 0.01 * k * Math.cos(3 * i)));

function unpooled<T>(fn: () => T): T {
  const prev = setPooling(false);
  try { return fn(); } finally { setPooling(prev); }
}

/** Buffers of length n that takeBuffer had to allocate during fn. */
function fresh(fn: () => unknown): number {
  const before = BufferPool.allocated;
  fn();
  return BufferPool.allocated - before;
}

describe('transforms release what f computed', () => {
  it('grad and hvp at a sequence of points equal the same calls without recycling, bit for bit', () => {
    const plain = unpooled(() => [0, 1, 2, 3].map((k) => [bits(grad(rosenbrock)(point(k))), bits(hvp(rosenbrock, point(k), tensor(v0)))]));
    const g = grad(rosenbrock);
    const pooled = [0, 1, 2, 3].map((k) => [bits(g(point(k))), bits(hvp(rosenbrock, point(k), tensor(v0)))]);
    expect(pooled).toEqual(plain);
    // Results handed out earlier are not overwritten by later calls.
    const first = g(point(0));
    const copy = bits(first);
    for (let k = 1; k < 4; k++) g(point(k));
    expect(bits(first)).toEqual(copy);
  });

  it('a warm call allocates at most one new array (for its result): f’s intermediates come back for the next call', () => {
    const g = grad(rosenbrock);
    const x = point(0);
    const v = tensor(v0);
    // From empty free lists, a few calls fill them; then each call finds all it needs but its result.
    emptyPool();
    for (let i = 0; i < 5; i++) g(x);
    expect(fresh(() => g(x)), 'grad').toBeLessThanOrEqual(1);
    emptyPool();
    for (let i = 0; i < 5; i++) hvp(rosenbrock, x, v);
    expect(fresh(() => hvp(rosenbrock, x, v)), 'hvp').toBeLessThanOrEqual(1);
    // With the forward buffers kept instead (recycling off), each call allocates every one of them.
    expect(unpooled(() => fresh(() => g(x)))).toBeGreaterThan(5);
    expect(unpooled(() => fresh(() => hvp(rosenbrock, x, v)))).toBeGreaterThan(5);
  });

  it('f’s value from valueAndGrad is kept, also when it is a view of an intermediate', () => {
    const f = (x: Tensor) => x.mul(x).sum().reshape([1]).reshape([]);
    const vg = valueAndGrad(f);
    const [y] = vg(point(0));
    const value = y.item();
    for (let k = 1; k < 4; k++) vg(point(k));
    expect(y.item()).toBe(value);
    expect(value).toBeCloseTo(bits(point(0)).reduce((s, a) => s + a * a, 0), 12);
  });

  it('a leaked intermediate is released: using it is a clear error, printing it says so, its raw array is empty', () => {
    let leaked: Tensor | null = null;
    let raw: Float64Array | null = null;
    const f = (x: Tensor) => {
      const sq = x.pow(2);
      leaked = sq;
      raw = sq.data;
      return sq.sum();
    };
    const g = grad(f)(point(0));
    expect(bits(g)).toEqual(bits(point(0)).map((a) => 2 * a));
    const t = leaked as unknown as Tensor;
    expect(() => t.add(1)).toThrow(/add: this tensor \(shape \[64\]\) was released.*grad, valueAndGrad or hvp.*compute it outside the function/);
    expect(() => t.sum().item()).toThrow(/released/);
    expect(() => tensor(t)).toThrow(/tensor: this tensor \(shape \[64\]\) was released/);
    expect(() => t.tolist()).toThrow(/released/);
    expect(String(t)).toBe('<released tensor of shape [64]>');
    expect((raw as unknown as Float64Array).length).toBe(0);
    // A leaked one-element intermediate too (consistent at every size).
    let s: Tensor | null = null;
    grad((x: Tensor) => { s = x.sum(); return (s as Tensor).mul(2); })(point(0));
    expect(() => (s as unknown as Tensor).item()).toThrow(/item: this tensor \(shape \[\]\) was released/);
  });

  it('a constant cached inside f on the first call fails on the second with the released-tensor error, not wrong numbers', () => {
    let cache: Tensor | null = null;
    const f = (x: Tensor) => {
      cache ??= tensor(v0).mul(2);
      return x.mul(cache).sum();
    };
    expect(bits(grad(f)(point(0)))).toEqual(Array.from(v0, (a) => 2 * a));
    expect(() => grad(f)(point(1))).toThrow(/mul: this tensor \(shape \[64\]\) was released/);
  });

  it('nothing is released while an enclosing reverse pass can still read it', () => {
    // grad of grad for f: ℝ → ℝ: the inner call's intermediates are read by the outer backward.
    const cube = (x: Tensor) => x.pow(3).sum();
    expect(grad(grad(cube))(tensor(1.5)).item()).toBe(9);
    // Torch-style: w requires grad outside, grad(f)(x) depends on it, and a later backward reaches w through it.
    const w = tensor(v0, { requiresGrad: true });
    const gx = grad((x: Tensor) => x.mul(w).pow(2).sum())(point(0)); // 2 w² x
    gx.sum().backward(); // ∂/∂w Σ 2 w² x = 4 w x
    const x = bits(point(0));
    v0.forEach((wi, i) => expect(w.grad!.data[i]).toBeCloseTo(4 * wi * x[i]!, 12));
  });

  it('a transform inside f, and a backward inside f, leave f’s caller a working result and .grad', () => {
    const inner = (x: Tensor) => x.pow(4).sum();
    // ∇ Σ (∇inner(x))·v = ∇ Σ 4x³v = 12 x² v, an hvp computed through grad inside f.
    const outer = (x: Tensor) => grad(inner)(x).mul(tensor(v0)).sum();
    const g = grad(outer)(point(0));
    const hv = hvp(inner, point(0), tensor(v0));
    hv.data.forEach((a, i) => expect(g.data[i]).toBeCloseTo(a, 10));
    point(0).data.forEach((a, i) => expect(g.data[i]).toBeCloseTo(12 * a * a * v0[i]!, 10));
    const w = tensor(v0, { requiresGrad: true });
    const f = (x: Tensor) => {
      w.mul(w).sum().backward();
      return x.mul(x).sum();
    };
    grad(f)(point(0));
    grad(f)(point(1));
    expect(bits(w.grad!)).toEqual(Array.from(v0, (a) => 2 * a + 2 * a));
    expect(w.grad!.add(0).size).toBe(n);
  });
});

describe('torch-shaped autograd keeps every forward result', () => {
  it('autograd.grad and backward release nothing the caller made', () => {
    const x = tensor(x0, { requiresGrad: true });
    const sq = x.pow(2);
    const [g] = autograd.grad(sq.sum(), x, { retainGraph: true });
    sq.sum().backward();
    expect(bits(sq)).toEqual(Array.from(x0, (a) => a * a));
    expect(bits(g)).toEqual(Array.from(x0, (a) => 2 * a));
  });
});
