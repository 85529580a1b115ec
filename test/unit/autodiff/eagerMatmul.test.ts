/**
 * The eager matmul (kernels.matmul, the shared blocked kernels of matmulKernels.ts) against a plain
 * reference written here: C[i,j] = Σ_p op(A)[i,p]·op(B)[p,j] by an i-k-j loop over a cleared C adding
 * blocks of 8, 4, then 1 products (B as given), or each sum from 0 left to right (B transposed). Odd
 * shapes, every transpose combination, signed zeros and output buffers holding stale values; results
 * must be equal bit for bit, so every path (tiles, Aᵀ·b along rows, rows·b, transposed B) keeps the order.
 */
import { describe, expect, it } from 'vitest';
import { autograd, matmul, type Tensor, tensor, transpose } from '../../../src/lib/autodiff';
import { kernels } from '../../../src/lib/autodiff/kernels';
import { stagedPays } from '../../../src/lib/autodiff/matmulStaged';
import { simdAvailable } from '../../../src/lib/autodiff/simdArena';

type Run = (x: Float64Array[], s: number[][], a: { ta: boolean; tb: boolean }, out: Float64Array, os: number[]) => void;
const eagerMatmul = kernels.matmul.run as unknown as Run;

/** op(A)·op(B) in the reference order (A of shape as, B of shape bs, row-major). */
function reference(A: Float64Array, as: number[], B: Float64Array, bs: number[], ta: boolean, tb: boolean): Float64Array {
  const [m, k] = ta ? [as[1], as[0]] : as;
  const n = tb ? bs[0] : bs[1];
  const a = (i: number, p: number): number => (ta ? A[p * as[1] + i] : A[i * as[1] + p]);
  const b = (p: number, j: number): number => (tb ? B[j * bs[1] + p] : B[p * bs[1] + j]);
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (tb) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
        C[i * n + j] = s;
        continue;
      }
      let c = 0;
      let p = 0;
      for (const w of [8, 4, 1]) {
        for (; p + w <= k; p += w) {
          let s = a(i, p) * b(p, j);
          for (let t = 1; t < w; t++) s += a(i, p + t) * b(p + t, j);
          c += s;
        }
      }
      C[i * n + j] = c;
    }
  }
  return C;
}

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}
/** Entries of mixed magnitude with signed zeros, so that rounding and the sign of zero depend on the order. */
const entries = (rnd: () => number, len: number): Float64Array =>
  Float64Array.from({ length: len }, () => { const u = rnd(); return u < 0.1 ? -0 : u < 0.15 ? 0 : (rnd() * 2 - 1) * 10 ** Math.floor(rnd() * 12 - 6); });
const bits = (a: Float64Array): string[] => Array.from(a, (v) => (Object.is(v, -0) ? '-0' : String(v)));

/** [m, k, n]: odd sizes, widths past a tile (512) and not multiples of the blocks, single rows and columns, k = 0 and 1. */
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [32, 8, 1111], [8, 32, 517], [2, 13, 3], [5, 3, 600], [4, 17, 1], [1, 19, 1], [9, 0, 4],
  [7, 1, 5], [1, 12, 1030], [6, 31, 2], [300, 9, 1], [1, 1, 9], [16, 8, 1025], [9, 33, 64], [130, 9, 700], [70, 256, 9], [8, 257, 40],
];

describe('eager matmul against the reference order', () => {
  it('dense-layer products go through the WebAssembly staging (available here), a matrix times a column or a small product does not', () => {
    expect(simdAvailable()).toBe(true);
    const pays = (m: number, k: number, n: number, ta = false, tb = false): boolean => stagedPays({ ta, tb, as: ta ? [k, m] : [m, k], bs: tb ? [n, k] : [k, n], m, n });
    expect([pays(32, 8, 1111), pays(8, 32, 517, true), pays(16, 8, 1025), pays(9, 33, 64), pays(130, 9, 700, true), pays(70, 256, 9)]).toEqual([true, true, true, true, true, true]);
    expect([pays(32, 8, 1111, false, true), pays(1, 12, 1030), pays(300, 9, 1, true), pays(32, 8, 11), pays(32, 7, 1111), pays(8, 257, 40)]).toEqual([false, false, false, false, false, false]);
  });
  it.each(SHAPES)('op(A)[%i×%i]·op(B)[·×%i] for every ta, tb, into a stale output', (m, k, n) => {
    const rnd = lcg(m * 7919 + k * 31 + n);
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const as = ta ? [k, m] : [m, k];
        const bs = tb ? [n, k] : [k, n];
        const A = entries(rnd, m * k);
        const B = entries(rnd, k * n);
        const got = new Float64Array(m * n).fill(NaN);
        eagerMatmul([A, B], [as, bs], { ta, tb }, got, [m, n]);
        expect(bits(got), `ta ${ta} tb ${tb}`).toEqual(bits(reference(A, as, B, bs, ta, tb)));
      }
    }
  });
  it('products of negative zeros are +0 on every path (sums start from a cleared 0)', () => {
    for (const [m, k, n] of SHAPES) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const A = new Float64Array(m * k).fill(-0);
          const B = Float64Array.from({ length: k * n }, (_, i) => 1 + i);
          const got = new Float64Array(m * n).fill(NaN);
          eagerMatmul([A, B], [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]], { ta, tb }, got, [m, n]);
          expect(bits(got).filter((s) => s !== '0'), `${m}×${k}×${n} ta ${ta} tb ${tb}`).toEqual([]);
        }
      }
    }
  });
  it('the public matmul and the gradients of a dense layer (Xᵀ·G, G·Wᵀ, Hᵀ·g) follow the reference', () => {
    const rnd = lcg(11);
    const [b, d, h] = [32, 8, 203];
    const X = tensor(entries(rnd, b * d), { shape: [b, d] });
    const W = tensor(entries(rnd, d * h), { shape: [d, h], requiresGrad: true });
    const w2 = tensor(entries(rnd, h), { requiresGrad: true });
    const H = matmul(X, W);
    expect(bits(H.data)).toEqual(bits(reference(X.data, [b, d], W.data, [d, h], false, false)));
    const y = matmul(H, w2);
    expect(bits(y.data)).toEqual(bits(reference(H.data, [b, h], w2.data, [h, 1], false, false)));
    const g = tensor(entries(rnd, b));
    const [dW, dw2] = autograd.grad(y, [W, w2], { gradOutputs: g }) as [Tensor, Tensor];
    expect(bits(dw2.data)).toEqual(bits(reference(H.data, [b, h], g.data, [b, 1], true, false)));
    const dH = reference(g.data, [b, 1], w2.data, [h, 1], false, true);
    expect(bits(dW.data)).toEqual(bits(reference(X.data, [b, d], dH, [b, h], true, false)));
    expect(bits(matmul(transpose(W), X.reshape([d * b]).slice(0, d)).data)).toEqual(bits(reference(W.data, [d, h], X.data.subarray(0, d), [d, 1], true, false)));
  });
});
