/** jacfwd, jacrev and linearize: agreement, finite differences, second order, shapes and bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, hessian, jvp, ones, type Tensor, tensor } from '../../../src/lib/autodiff';
import { jacfwd, jacrev, linearize } from '../../../src/lib/autodiff/jacobians';
import { close, mixed3, rng } from './problems';

const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const shapeArb = fc.constantFrom<number[]>([], [1], [3], [2, 3], [3, 1]);

/** f(x) = reshape(sin(W vec(x)) · Σx + tanh(W vec(x))², outShape) with a random W. */
function randomFn(seed: number, inShape: readonly number[], outShape: readonly number[]) {
  const r = rng(seed);
  const n = size(inShape);
  const m = size(outShape);
  const W = tensor(Float64Array.from({ length: m * n }, () => 2 * r() - 1), { shape: [m, n] });
  const x = tensor(Float64Array.from({ length: n }, () => 2 * r() - 1), { shape: [...inShape] });
  const f = (z: Tensor): Tensor => {
    const u = W.matmul(z.reshape([n]));
    return u.sin().mul(z.sum()).add(u.tanh().pow(2)).reshape([...outShape]);
  };
  return { f, x };
}

describe('jacfwd and jacrev', () => {
  it('agree, have shape out.shape + in.shape, and match central differences, for random shapes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), shapeArb, shapeArb, (seed, inShape, outShape) => {
      const { f, x } = randomFn(seed, inShape, outShape);
      const Jf = jacfwd(f)(x);
      const Jr = jacrev(f)(x);
      expect(Jf.shape).toEqual([...outShape, ...inShape]);
      expect(Jr.shape).toEqual([...outShape, ...inShape]);
      close(Jf.data, Jr.data, 1e-13, 1e-15);
      const n = x.size;
      const m = size(outShape);
      const eps = 1e-6;
      for (let j = 0; j < n; j++) {
        const e = new Float64Array(n); e[j] = eps;
        const up = f(tensor(x.data.map((v, i) => v + e[i]), { shape: [...inShape] })).data;
        const dn = f(tensor(x.data.map((v, i) => v - e[i]), { shape: [...inShape] })).data;
        const col = Array.from({ length: m }, (_, i) => Jr.data[i * n + j]);
        close(col, Array.from({ length: m }, (_, i) => (up[i] - dn[i]) / (2 * eps)), 1e-8, 1e-9);
      }
    }), { numRuns: 40 });
  });

  it('nest to second order: jacfwd(jacrev(f)) = jacrev(jacfwd(f)) = jacrev(grad f) = the Hessian', () => {
    const x = tensor([0.7, -0.4, 1.1, 0.3, -1.3]);
    const H = hessian(mixed3)(x);
    close(jacfwd(jacrev(mixed3))(x).data, H.data, 1e-12);
    close(jacrev(jacfwd(mixed3))(x).data, H.data, 1e-12);
    close(jacrev(grad(mixed3))(x).data, H.data, 1e-12);
    expect(jacrev(jacrev(mixed3))(x).shape).toEqual([5, 5]);
  });

  it('stay differentiable with respect to closure variables of an enclosing grad or jvp', () => {
    const x = tensor([0.3, -1.2, 2]);
    const cosSum = x.cos().sum().item();
    for (const jac of [jacfwd, jacrev]) {
      // d/da Σᵢ ∂(a sin xᵢ)/∂xᵢ = Σᵢ cos xᵢ
      const traceOf = (a: Tensor): Tensor => jac((z) => z.sin().mul(a))(x).mul(tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).sum();
      close([grad(traceOf)(2).item()], [cosSum], 1e-14);
      close([jvp(traceOf, tensor(2), tensor(1))[1].item()], [cosSum], 1e-14);
    }
  });

  it('no perturbation confusion: the Jacobian of x ↦ x ⊙ ∂/∂y(x + y)·1 is I, not 2I', () => {
    const f = (x: Tensor): Tensor => x.mul(jvp((y) => x.add(y), x.mul(0), ones(x.shape))[1]);
    for (const jac of [jacfwd, jacrev]) close(jac(f)([1.5, -2]).data, [1, 0, 0, 1], 0, 0);
  });

  it('functions that ignore x get a zero Jacobian; empty inputs give empty Jacobians', () => {
    const c = tensor([1, 2]);
    for (const jac of [jacfwd, jacrev]) {
      expect(Array.from(jac(() => c)([3, 4, 5]).data)).toEqual(new Array(6).fill(0));
      expect(jac((x) => x.sum().add(c))(tensor(new Float64Array(0))).shape).toEqual([2, 0]);
    }
  });

  it('names a function that does not return a tensor', () => {
    expect(() => jacrev(() => 3 as never)([1])).toThrow('jacrev: f must return a Tensor, got number');
    expect(() => jacfwd(() => null as never)([1])).toThrow('jacfwd: f must return a Tensor, got null');
  });
});

describe('linearize', () => {
  it('returns f(x) and t ↦ J t, equal to jvp, linear in t', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), shapeArb, shapeArb, (seed, inShape, outShape) => {
      const { f, x } = randomFn(seed, inShape, outShape);
      const [y, lin] = linearize(f, x);
      close(y.data, f(x).data, 0, 0);
      const r = rng(seed + 1);
      const t1 = tensor(Float64Array.from({ length: x.size }, () => 2 * r() - 1), { shape: [...inShape] });
      const t2 = tensor(Float64Array.from({ length: x.size }, () => 2 * r() - 1), { shape: [...inShape] });
      const j1 = lin(t1);
      expect(j1.shape).toEqual([...outShape]);
      close(j1.data, jvp(f, x, t1)[1].data, 1e-13, 1e-15);
      close(lin(t1.mul(2).add(t2.mul(-3))).data, j1.data.map((v, i) => 2 * v - 3 * lin(t2).data[i]), 1e-12, 1e-14);
    }), { numRuns: 40 });
  });
  it('can be called many times without evaluating f again', () => {
    let calls = 0;
    const f = (x: Tensor): Tensor => { calls++; return x.sin().mul(x); };
    const [, lin] = linearize(f, [0.5, 1]);
    for (let k = 0; k < 5; k++) close(lin([1, 0]).data, [Math.sin(0.5) + 0.5 * Math.cos(0.5), 0], 1e-15);
    expect(calls).toBe(1);
  });
  it('a constant function gives zeros; a wrong tangent shape is named', () => {
    const [y, lin] = linearize(() => tensor([7, 8]), [1, 2, 3]);
    expect(Array.from(y.data)).toEqual([7, 8]);
    expect(Array.from(lin([1, 1, 1]).data)).toEqual([0, 0]);
    const [, lin2] = linearize((x) => x.exp(), [1, 2]);
    expect(() => lin2([1, 2, 3])).toThrow('linearize: tangent has shape [3] but x has shape [2] (they must match)');
  });
});
