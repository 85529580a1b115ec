/**
 * The compiled path's blocked matmul kernels give bit for bit what the eager kernel gives (same sums in
 * the same order, same signs of zero), on random shapes: odd sizes, widths that are not a multiple of
 * the column tile or of the blocks of 8 and 4, transposed operands, and output buffers holding stale values.
 */
import { describe, expect, it } from 'vitest';
import { matmulTiled, matvecTransposed } from '../../../src/lib/autodiff/compile/matmulKernels';
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
    const hv = o.hvp(w, v);
    expect(hv.some((x) => x !== 0)).toBe(true);
    expect(bits(hv)).toEqual(bits(hvp(f, tensor(w), tensor(v)).data));
  });
});
