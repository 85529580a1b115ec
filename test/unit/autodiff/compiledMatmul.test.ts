/**
 * The compiled path's blocked matmul kernels give bit for bit what the eager kernel gives (same sums in
 * the same order, same signs of zero), on random shapes: odd sizes, widths that are not a multiple of
 * the column tile or of the blocks of 8 and 4, transposed operands, and output buffers holding stale values.
 */
import { describe, expect, it } from 'vitest';
import { compileTrace } from '../../../src/lib/autodiff/compile/compileTrace';
import { matmulTiled, matvecTransposed } from '../../../src/lib/autodiff/matmulKernels';
import { MAX_ARENA, simdArena, simdAvailable } from '../../../src/lib/autodiff/simdArena';
import { SIMD_KERNELS_WASM_BASE64 } from '../../../src/lib/autodiff/simdKernelsBytes';
import { kernels } from '../../../src/lib/autodiff/kernels';
import { hvp, objective, tensor, type Tensor, valueAndGrad } from '../../../src/lib/autodiff';

type Run = (x: Float64Array[], s: number[][], a: { ta: boolean; tb: boolean }, out: Float64Array, os: number[]) => void;
const eagerMatmul = kernels.matmul.run as unknown as Run;

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}
/** Entries of mixed magnitude with signed zeros, so that rounding and the sign of zero depend on the order. */
const entries = (rnd: () => number, len: number): Float64Array =>
  Float64Array.from({ length: len }, () => { const u = rnd(); return u < 0.1 ? -0 : u < 0.15 ? 0 : (rnd() * 2 - 1) * 10 ** Math.floor(rnd() * 12 - 6); });
const stale = (len: number): Float64Array => new Float64Array(len).fill(NaN);
const bits = (a: Float64Array): string[] => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

const SHAPES: [number, number, number][] = [[32, 8, 1111], [8, 32, 1111], [32, 8, 513], [1, 1, 2], [3, 5, 7], [7, 9, 1030], [2, 12, 3], [5, 3, 600], [4, 17, 1], [9, 0, 4], [1, 8, 2000]];

describe('blocked matmul (compiled path) against the eager kernel', () => {
  it.each(SHAPES)('op(A)[%i×%i]·B[·×%i], A plain and transposed', (m, k, n) => {
    const rnd = lcg(m * 1000 + k * 10 + n);
    const B = entries(rnd, k * n);
    for (const ta of [false, true]) {
      const A = entries(rnd, m * k);
      const as = ta ? [k, m] : [m, k];
      const want = new Float64Array(m * n);
      eagerMatmul([A, B], [as, [k, n]], { ta, tb: false }, want, [m, n]);
      const got = stale(m * n);
      matmulTiled({ A, si: ta ? 1 : as[1], sp: ta ? as[1] : 1, B, ldb: n, C: got, m, k, n });
      expect(bits(got)).toEqual(bits(want));
    }
  });
  it.each(SHAPES)('a product of negative zeros is +0 (the eager kernel adds each sum to a cleared C), op(A)[%i×%i]·B[·×%i]', (m, k, n) => {
    const A = new Float64Array(m * k).fill(-0);
    const B = Float64Array.from({ length: k * n }, (_, i) => 1 + i);
    for (const ta of [false, true]) {
      const want = new Float64Array(m * n);
      eagerMatmul([A, B], [ta ? [k, m] : [m, k], [k, n]], { ta, tb: false }, want, [m, n]);
      const got = stale(m * n);
      matmulTiled({ A, si: ta ? 1 : k, sp: ta ? m : 1, B, ldb: n, C: got, m, k, n });
      expect(bits(got)).toEqual(bits(want));
      expect(bits(got).includes('-0')).toBe(false);
    }
    const a = new Float64Array(k * m).fill(-0);
    const col = stale(m);
    matvecTransposed(a, Float64Array.from({ length: k }, (_, i) => 1 + i), col, m, k);
    expect(bits(col)).toEqual(bits(new Float64Array(m)));
  });
  it.each([[1111, 32], [11, 32], [1030, 13], [5, 7], [600, 4], [3, 1], [4, 0]])('Aᵀ·b for A of %i columns and %i rows (down the columns there, along the rows here)', (m, k) => {
    const rnd = lcg(m + 7 * k);
    const A = entries(rnd, k * m);
    const b = entries(rnd, k);
    const want = new Float64Array(m);
    eagerMatmul([A, b], [[k, m], [k, 1]], { ta: true, tb: false }, want, [m, 1]);
    const got = stale(m);
    matvecTransposed(A, b, got, m, k);
    expect(bits(got)).toEqual(bits(want));
  });
  it.each(SHAPES)('the WebAssembly SIMD blocks give the same bits, op(A)[%i×%i]·B[·×%i], also with C outside the arena', (m, k, n) => {
    expect(simdAvailable()).toBe(true);
    const rnd = lcg(m * 31 + k * 7 + n);
    const arena = simdArena(1 + k * n + 2 * m * n + m)!;
    arena.alloc(1); // B and C at odd offsets: no 16-byte alignment assumed
    const B = arena.alloc(k * n);
    B.set(entries(rnd, k * n));
    const inArena = arena.alloc(m * n);
    for (const ta of [false, true]) {
      const A = entries(rnd, m * k);
      const as = ta ? [k, m] : [m, k];
      const want = new Float64Array(m * n);
      eagerMatmul([A, B], [as, [k, n]], { ta, tb: false }, want, [m, n]);
      for (const C of [inArena, stale(m * n)]) {
        C.fill(NaN);
        matmulTiled({ A, si: ta ? 1 : as[1], sp: ta ? as[1] : 1, B, ldb: n, C, m, k, n }, arena.block8);
        expect(bits(C)).toEqual(bits(want));
      }
    }
    const A = arena.alloc(n * m);
    A.set(entries(rnd, n * m));
    const b = entries(rnd, n);
    const want = new Float64Array(m);
    eagerMatmul([A, b], [[n, m], [n, 1]], { ta: true, tb: false }, want, [m, 1]);
    const got = arena.alloc(m).fill(NaN);
    matvecTransposed(A, b, got, m, n, arena.block8);
    expect(bits(got)).toEqual(bits(want));
  });
  it('the kernel module is the one simdKernels.wat describes: an imported memory and the two block functions', () => {
    const mod = new WebAssembly.Module(Uint8Array.from(atob(SIMD_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(mod)).toEqual([{ name: 'b8x2', kind: 'function' }, { name: 'b8x1', kind: 'function' }]);
  });
  it('an arena holds exactly what it was made for', () => {
    const arena = simdArena(10)!;
    expect(arena.alloc(4).length).toBe(4);
    expect(() => arena.alloc(7)).toThrow(/7 more doubles do not fit \(4 of 10 used\)/);
    expect(simdArena(MAX_ARENA + 1)).toBeNull();
  });
  it('a program with a large matmul keeps its buffers in one arena, a small one in plain arrays', () => {
    const net = (h: number) => (w: Tensor): Tensor => tensor(entries(lcg(5), 32 * 8), { shape: [32, 8] }).matmul(w.reshape([8, h])).tanh().sum();
    const big = compileTrace([new Float64Array(8 * 300)], ([w]) => [net(300)(w)], true);
    expect(big.inputs[0].buffer).toBe(big.outputs[0].buffer);
    expect(big.inputs[0].buffer.byteLength).toBeGreaterThan(big.inputs[0].byteLength);
    const small = compileTrace([new Float64Array(8 * 3)], ([w]) => [net(3)(w)], true);
    expect(small.inputs[0].buffer).not.toBe(small.outputs[0].buffer);
  });
  it('a compiled two-layer tanh network gives the eager gradient and HVP bit for bit', () => {
    const [B, d, h] = [32, 8, 517];
    const rnd = lcg(3);
    const X = tensor(entries(rnd, B * d), { shape: [B, d] });
    const y = tensor(entries(rnd, B));
    const f = (w: Tensor): Tensor => X.matmul(w.slice(0, d * h).reshape([d, h])).tanh().matmul(w.slice(d * h)).sub(y).pow(2).mean();
    const w = Float64Array.from({ length: (d + 1) * h }, (_, i) => 0.3 * Math.sin(i));
    const v = Float64Array.from({ length: (d + 1) * h }, (_, i) => Math.cos(i));
    const o = objective(f, w.length);
    const [, g] = valueAndGrad(f)(tensor(w));
    expect(bits(o.grad(w))).toEqual(bits(g.data));
    const into = new Float64Array(w.length).fill(NaN);
    o.grad(w, into);
    expect(bits(into)).toEqual(bits(g.data));
    const hv = o.hvp(w, v);
    expect(hv.some((x) => x !== 0)).toBe(true);
    expect(bits(hv)).toEqual(bits(hvp(f, tensor(w), tensor(v)).data));
  });
});
