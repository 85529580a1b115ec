/**
 * The matrix-times-column and outer-product paths of the matmul kernel give bit for bit what the
 * general loops give (same summation order, same signs of zero), so compiled and eager results and the
 * fixtures do not move.
 */
import { describe, expect, it } from 'vitest';
import { autograd, concat, matmul, reshape, type Tensor, tensor, transpose } from '../../../src/lib/autodiff';

const bits = (t: Tensor): string[] => Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : String(v)));
const mat = (m: number, k: number, seed: number): Tensor =>
  tensor(Float64Array.from({ length: m * k }, (_, i) => (i % 5 === 0 ? -0 : Math.sin(seed + i * 1.7) * 10 ** ((i % 7) - 3))), { shape: [m, k] });

describe('matmul special paths', () => {
  it.each([[1, 1], [3, 2], [5, 7], [9, 13], [32, 111], [4, 1000]])('A[%i×%i]·v equals the first column of A·[v v], also transposed', (m, k) => {
    const A = mat(m, k, 1);
    const v = mat(k, 1, 2);
    const vv = reshape(concat([v.reshape([k]), v.reshape([k])]), [2, k]);
    const general = matmul(A, transpose(vv));
    expect(bits(matmul(A, v))).toEqual(bits(general).filter((_, i) => i % 2 === 0));
    const At = transpose(A).mul(1);
    const generalT = matmul(transpose(At), transpose(vv));
    expect(bits(matmul(transpose(At), v))).toEqual(bits(generalT).filter((_, i) => i % 2 === 0));
  });
  it('an outer product a·bᵀ equals the general loop, signs of zero included', () => {
    const a = mat(12, 1, 3);
    const b = tensor([0, -0, 2, -3, 1e-300, -1e300, 5], { shape: [7, 1] });
    const viaTransposedB = matmul(a, transpose(b));
    const materialised = matmul(a, transpose(b).mul(1));
    expect(bits(viaTransposedB)).toEqual(bits(materialised));
  });
  it('the gradient of A·v with respect to A (an outer product G·vᵀ on the transposed path) equals the general loop', () => {
    const A = mat(12, 7, 4);
    A.requiresGrad = true;
    const v = tensor([0, -0, 2, -3, 1e-300, -1e300, 5], { shape: [7, 1] });
    const G = mat(12, 1, 5);
    const [dA] = autograd.grad(matmul(A, v), A, { gradOutputs: G });
    expect(bits(dA)).toEqual(bits(matmul(G, transpose(v).mul(1))));
  });
});
