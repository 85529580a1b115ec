/**
 * The eager arena (eagerArena.ts): inside grad, valueAndGrad and hvp, buffers of 256 doubles and more live in
 * one WebAssembly memory and the elementwise kernels run there two lanes at a time. Every result here is compared
 * bit for bit (Object.is per element) with the same call made with the arena off (plain arrays, JavaScript
 * loops), recycled buffers are poisoned with NaN, and what the arena must guarantee is checked: results outlive
 * the call, leaked tensors are released, an enclosing reverse pass keeps what it reads, an error resets it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autograd, grad, hvp, type Tensor, tensor, valueAndGrad } from '../../../src/lib/autodiff';
import { BufferPool } from '../../../src/lib/autodiff/bufferPool';
import { ARENA_KERNELS, ARENA_PULLBACKS, type ArenaPullback } from '../../../src/lib/autodiff/arenaKernelTable';
import { ARENA_MIN_ELEMENTS, arenaOpen, arenaTake, openArena, resetArena, setArena, simdBinary, simdPullback, simdUnary, storageKey } from '../../../src/lib/autodiff/eagerArena';
import { elementwise, WASM_FORMS, type WasmForm } from '../../../src/lib/autodiff/elementwise';
import { ELEMENTWISE_KERNELS_WASM_BASE64 } from '../../../src/lib/autodiff/elementwiseKernelsBytes';
import { assembleElementwiseKernels, ELEMENTWISE_WAT, elementwiseWat } from '../../../scripts/elementwiseWasm';
import { readFileSync } from 'node:fs';

beforeAll(() => { BufferPool.poison = true; });
afterAll(() => { BufferPool.poison = false; });

const n = 601; // odd: the kernels' last element goes through the one-lane path
const x0 = Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i));
const v0 = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
const same = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((ai, i) => Object.is(ai, b[i]));

function withoutArena<T>(fn: () => T): T {
  const prev = setArena(false);
  try { return fn(); } finally { setArena(prev); }
}

const rosenbrock = (x: Tensor): Tensor => x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(x.slice(0, -1).neg().add(1).pow(2)).sum();
/** Every kernel with a SIMD form, and broadcasts, reductions, a matrix product, sigmoid and tanh pullbacks. */
const mixed = (x: Tensor): Tensor => {
  const a = x.mul(x.add(0.5)).sub(x.div(x.abs().add(2))).neg();
  const b = x.pow(2).add(1).sqrt().mul(2).sub(1).tanh();
  const c = x.sigmoid().mul(3).add(x.reshape([1, n]).matmul(x.reshape([n, 1])).reshape([]).mul(1e-3));
  return a.mul(b).add(c.pow(2)).sum();
};

describe('the eager arena gives the bits of plain arrays and loops', () => {
  for (const [name, f] of [['Rosenbrock', rosenbrock], ['a mix of every SIMD kernel', mixed]] as const) {
    it(`${name}: grad, valueAndGrad, hvp (both modes) at several points`, () => {
      const run = (): Float64Array[] => [0, 1, 2].flatMap((k) => {
        const x = tensor(x0.map((v, i) => v + 0.1 * k * Math.cos(3 * i)));
        const v = tensor(v0);
        const [y, g] = valueAndGrad(f)(x);
        return [y.data, g.data, grad(f)(x).data, hvp(f, x, v).data, hvp(f, x, v, { mode: 'forward-over-reverse' }).data].map((d) => Float64Array.from(d));
      });
      const plain = withoutArena(run);
      const arena = run();
      expect(arena.length).toBe(plain.length);
      arena.forEach((a, i) => expect(same(a, plain[i]), `result ${i}`).toBe(true));
      expect(arenaOpen()).toBe(false);
    });
  }

  it('nested transforms (a gradient of a gradient) agree too', () => {
    const h = (x: Tensor): Tensor => grad(rosenbrock)(x).mul(tensor(v0)).sum();
    const x = tensor(x0);
    const plain = withoutArena(() => Float64Array.from(grad(h)(x).data));
    expect(same(grad(h)(x).data, plain)).toBe(true);
  });
});

describe('what the arena guarantees', () => {
  it('runs its kernels while a call owns it, and results live outside it (later calls do not change them)', () => {
    const g = grad(rosenbrock);
    let inside = 0;
    const probe = (x: Tensor): Tensor => {
      const y = x.mul(2);
      if (storageKey(y.data) !== y.data.buffer) inside++;
      return rosenbrock(y);
    };
    const first = grad(probe)(tensor(x0));
    expect(inside).toBe(1);
    const copy = Float64Array.from(first.data);
    for (let k = 0; k < 3; k++) g(tensor(x0.map((v) => v + k)));
    expect(same(first.data, copy)).toBe(true);
  });

  it('a tensor f leaked is released when the call ends: using it raises an error, never later numbers', () => {
    let leaked: Tensor | null = null;
    const f = (x: Tensor): Tensor => { leaked = x.mul(3); return leaked.sum(); };
    grad(f)(tensor(x0));
    expect(leaked).not.toBeNull();
    expect(() => leaked!.add(1)).toThrow(/released/);
    expect(() => leaked!.tolist()).toThrow(/released/);
  });

  it('an enclosing reverse pass keeps what it reads: d/dw of grad with a weight w that requires grad', () => {
    const run = (): [Float64Array, number] => {
      const w = tensor(2, { requiresGrad: true });
      const g = grad((x: Tensor) => rosenbrock(x.mul(w)))(tensor(x0));
      const s = g.mul(tensor(v0)).sum();
      const [dw] = autograd.grad(s, w);
      return [Float64Array.from(g.data), dw.item()];
    };
    const plain = withoutArena(run);
    const arena = run();
    expect(same(arena[0], plain[0])).toBe(true);
    expect(Object.is(arena[1], plain[1])).toBe(true);
    // Later calls still work, with or without a new arena.
    for (let k = 0; k < 3; k++) expect(same(grad(rosenbrock)(tensor(x0)).data, withoutArena(() => grad(rosenbrock)(tensor(x0)).data))).toBe(true);
  });

  it('an enclosing reverse pass over small tensors (nothing taken from the arena) does not pause it', () => {
    const usesArena = (): boolean => {
      let inside = false;
      grad((x: Tensor) => { const y = x.mul(2); inside = storageKey(y.data) !== y.data.buffer; return rosenbrock(y); })(tensor(x0));
      return inside;
    };
    expect(usesArena()).toBe(true);
    for (let k = 0; k < 3; k++) {
      const w = tensor(2, { requiresGrad: true });
      const g = grad((x: Tensor) => x.mul(w).pow(2).sum())(tensor([1, 2, 3]));
      expect(g.requiresGrad).toBe(true); // the enclosing pass can still differentiate it
    }
    expect(usesArena()).toBe(true);
  });

  it('backward() inside f fills a leaf’s .grad that outlives the call', () => {
    const w = tensor(x0, { requiresGrad: true });
    const f = (x: Tensor): Tensor => {
      const loss = w.mul(x).pow(2).sum();
      loss.backward();
      return rosenbrock(x);
    };
    grad(f)(tensor(v0));
    const want = x0.map((wi, i) => 2 * wi * v0[i] * v0[i]);
    expect(w.grad!.data.length).toBe(n);
    expect(Array.from(w.grad!.data)).toEqual(Array.from(want));
    grad(rosenbrock)(tensor(x0)); // a later call reuses the arena: .grad must not change
    expect(Array.from(w.grad!.data)).toEqual(Array.from(want));
  });

  it('an error inside f ends the call: the arena is free again and the next call is right', () => {
    const bad = (x: Tensor): Tensor => { x.mul(2); throw new Error('boom'); };
    expect(() => grad(bad)(tensor(x0))).toThrow('boom');
    expect(arenaOpen()).toBe(false);
    expect(() => grad((x: Tensor) => x.mul(2))(tensor(x0))).toThrow(/scalar/);
    expect(arenaOpen()).toBe(false);
    expect(same(grad(rosenbrock)(tensor(x0)).data, withoutArena(() => grad(rosenbrock)(tensor(x0)).data))).toBe(true);
  });

  it('views of one allocation share its storage key; small buffers and other memory are not served', () => {
    expect(openArena()).toBe(true);
    try {
      expect(openArena()).toBe(false); // one owner at a time
      const a = arenaTake(1000)!;
      const b = arenaTake(1000)!;
      expect(a).not.toBeNull();
      expect(storageKey(a.subarray(10, 20))).toBe(a);
      expect(storageKey(b.subarray(999))).toBe(b);
      expect(storageKey(a)).not.toBe(storageKey(b));
      expect(arenaTake(ARENA_MIN_ELEMENTS - 1)).toBeNull();
      const heap = Float64Array.from({ length: 1000 }, (_, i) => i / 7);
      expect(storageKey(heap)).toBe(heap.buffer);
      // An operand elsewhere is copied in for the kernel; an output elsewhere leaves the work to the JavaScript loop.
      a.fill(0.25);
      expect(simdBinary('add', heap, a, a)).toBe(true);
      expect(same(a, heap.map((h) => h + 0.25))).toBe(true);
      expect(simdBinary('add', a, a, heap)).toBe(false);
      expect(heap[1]).toBe(1 / 7);
    } finally {
      resetArena();
    }
    expect(arenaTake(1000)).toBeNull(); // no owner
  });
});

describe('the SIMD kernels', () => {
  const specials = [0, -0, 1, -1, 0.5, 2, 1e-310, -1e-310, 1e308, -1e308, Infinity, -Infinity, NaN, 3.7, -2.25];
  const sample = (len: number, seed: number): Float64Array =>
    Float64Array.from({ length: len }, (_, i) => (i % 3 === 0 ? specials[(i + seed) % specials.length] : Math.sin(i * 7.1 + seed) * 10 ** ((i + seed) % 7 - 3)));

  it('each form equals its scalar function element by element (odd length, special values, operands aliased)', () => {
    expect(openArena()).toBe(true);
    try {
      const len = 301;
      const a = arenaTake(len)!;
      const b = arenaTake(len)!;
      const o = arenaTake(len)!;
      a.set(sample(len, 1));
      b.set(sample(len, 5));
      const scalars: Record<WasmForm, (x: number, y: number) => number> = {
        add: elementwise.add.scalar({}), sub: elementwise.sub.scalar({}), mul: elementwise.mul.scalar({}), div: elementwise.div.scalar({}),
        neg: elementwise.neg.scalar({}), sqrt: elementwise.sqrt.scalar({}), abs: elementwise.abs.scalar({}), square: elementwise.pow.scalar({ p: 2 }),
      };
      for (const form of Object.keys(WASM_FORMS) as WasmForm[]) {
        const f = scalars[form];
        if (WASM_FORMS[form] === 1) {
          expect(simdUnary(form, a, o)).toBe(true);
          expect(same(o, a.map((x) => f(x, 0))), form).toBe(true);
          continue;
        }
        expect(simdBinary(form, a, b, o)).toBe(true);
        expect(same(o, a.map((x, i) => f(x, b[i]))), `${form} vv`).toBe(true);
        expect(simdBinary(form, a, Float64Array.of(-0.75), o)).toBe(true);
        expect(same(o, a.map((x) => f(x, -0.75))), `${form} vs`).toBe(true);
        expect(simdBinary(form, Float64Array.of(3), b, o)).toBe(true);
        expect(same(o, b.map((y) => f(3, y))), `${form} sv`).toBe(true);
      }
      const before = Float64Array.from(a);
      expect(simdBinary('mul', a, a, a)).toBe(true); // out = an input
      expect(same(a, before.map((x) => x * x))).toBe(true);
      a.set(before);
      const square = elementwise.pow.scalar({ p: 2 });
      const mul = scalars.mul;
      const sub = scalars.sub;
      const div = scalars.div;
      // rules.ts's compositions, written out here independently of the expressions the kernels come from.
      const loops: Partial<Record<ArenaPullback, (g: number, u: number) => number>> = {
        square: (g, u) => mul(g, mul(u, 2)),
        tanh: (g, u) => mul(g, sub(1, square(u, 0))),
        sigmoid: (g, u) => mul(g, mul(u, sub(1, u))),
        sqrt: (g, u) => div(g, mul(u, 2)),
      };
      expect(Object.keys(ARENA_PULLBACKS).sort()).toEqual(Object.keys(loops).sort());
      for (const name of Object.keys(ARENA_PULLBACKS) as ArenaPullback[]) {
        expect(simdPullback(name, a, b, o)).toBe(true);
        expect(same(o, a.map((g, i) => loops[name]!(g, b[i]))), `pullback ${name}`).toBe(true);
      }
    } finally {
      resetArena();
    }
  });

  it('elementwiseKernels.wat and its bytes are what npm run wasm makes from the table (regenerate after editing)', async () => {
    expect(readFileSync(ELEMENTWISE_WAT, 'utf8')).toBe(elementwiseWat());
    expect((await assembleElementwiseKernels()).toString('base64')).toBe(ELEMENTWISE_KERNELS_WASM_BASE64);
    expect(ARENA_KERNELS.map((k) => k.name)).toContain('pullback_tanh');
  });
});
