/** Conjugate gradients on linear operators: convergence, the Krylov bound, stop reasons and bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hvp, type Tensor, tensor } from '../../../src/lib/autodiff';
import { choleskyFactor, choleskySolve } from '../../../src/lib/linalg';
import { cg } from '../../../src/lib/meta';
import { close, quadratic, randomSpd, rng } from './problems';

describe('cg on SPD operators', () => {
  it('converges in at most n steps on a random SPD n×n HVP operator and matches a Cholesky solve', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 ** 30 }), (n, seed) => {
      const r = rng(seed);
      const Ad = randomSpd(r, n);
      const A = tensor(Ad, { shape: [n, n] });
      const b = Float64Array.from({ length: n }, () => 2 * r() - 1);
      const x0 = tensor(Float64Array.from({ length: n }, () => r()));
      const f = quadratic(A, tensor(new Float64Array(n)));
      const { x, trace } = cg((v) => hvp(f, x0, v), tensor(b), { tol: 1e-10 });
      expect(trace.reason).toBe('converged');
      expect(trace.iterations).toBeLessThanOrEqual(n);
      const fac = choleskyFactor(Ad, n);
      if (!fac.ok) throw new Error('test matrix is not SPD');
      close(x.data, choleskySolve(fac.L, n, b), 1e-8);
      expect(trace.residualNorms).toHaveLength(trace.iterations + 1);
      expect(trace.curvatures.every((c) => c > 0)).toBe(true);
    }), { numRuns: 60 });
  });

  it('keeps the A-norm error under the Krylov bound 2((√κ − 1)/(√κ + 1))ᵏ ‖e₀‖_A', () => {
    const n = 200;
    const d = Float64Array.from({ length: n }, (_, i) => 1 + (99 * i) / (n - 1)); // κ = 100
    const D = tensor(d);
    const b = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const exact = b.map((bi, i) => bi / d[i]);
    const { trace } = cg((v) => v.mul(D), tensor(b), { tol: 1e-12, keepIterates: true });
    expect(trace.reason).toBe('converged');
    const errA = (x: Float64Array): number => Math.sqrt(x.reduce((s, xi, i) => s + d[i] * (xi - exact[i]) ** 2, 0));
    const rho = (Math.sqrt(100) - 1) / (Math.sqrt(100) + 1);
    const e0 = errA(trace.iterates[0]);
    trace.iterates.forEach((x, k) => expect(errA(x)).toBeLessThanOrEqual(2 * rho ** k * e0 * (1 + 1e-12)));
    expect(trace.iterations).toBeLessThan(n / 2);
  });

  it('works on tensors of any shape: X ↦ AX + XA on 2×2 matrices', () => {
    const A = tensor([[3, 1], [1, 2]]);
    const op = (X: Tensor): Tensor => A.matmul(X).add(X.matmul(A));
    const B = tensor([[1, 0], [2, -1]]);
    const { x, trace } = cg(op, B);
    expect(trace.reason).toBe('converged');
    expect(x.shape).toEqual([2, 2]);
    close(op(x).data, B.data, 1e-9);
  });

  it('b = 0 and x₀ = the solution stop before any iteration; a warm start reaches the same solution', () => {
    const A = tensor([[4, 1], [1, 3]]);
    const op = (v: Tensor): Tensor => A.matmul(v);
    const zero = cg(op, [0, 0]);
    expect(zero.trace.iterations).toBe(0);
    expect(zero.trace.reason).toBe('converged');
    expect(Array.from(zero.x.data)).toEqual([0, 0]);
    const sol = cg(op, [1, 2]).x;
    const warm = cg(op, [1, 2], { x0: sol });
    expect(warm.trace.iterations).toBe(0);
    const other = cg(op, [1, 2], { x0: [5, -5] });
    close(other.x.data, sol.data, 1e-10);
  });
});

describe('cg stop reasons', () => {
  it('an indefinite operator stops with nonPositiveCurvature and the previous iterate', () => {
    const { x, trace } = cg((v) => tensor([[1, 0], [0, -1]]).matmul(v), [0.1, 2]);
    expect(trace.reason).toBe('nonPositiveCurvature');
    expect(trace.message).toMatch(/not positive definite: pᵀAp = -3\.99 ≤ 0 at iteration 1/);
    expect(Array.from(x.data)).toEqual([0, 0]);
  });
  it('negative curvature found after some progress, a negative definite and a zero operator', () => {
    const D = tensor([10, 1, -0.01]);
    const late = cg((v) => v.mul(D), [1, 1, 1]);
    expect(late.trace.reason).toBe('nonPositiveCurvature');
    expect(late.trace.iterations).toBeGreaterThan(1);
    expect(cg((v) => v.neg(), [1, 2]).trace.reason).toBe('nonPositiveCurvature');
    expect(cg((v) => v.mul(0), [1, 2]).trace.reason).toBe('nonPositiveCurvature');
  });
  it('NaN from the operator stops with nonFinite', () => {
    const { trace } = cg((v) => v.mul(NaN), [1, 2]);
    expect(trace.reason).toBe('nonFinite');
    expect(trace.message).toMatch(/NaN or ±∞ at iteration 1/);
  });
  it('maxIter stops an ill-conditioned solve early and says so', () => {
    const d = tensor(Float64Array.from({ length: 50 }, (_, i) => 10 ** (i / 10)));
    const { trace } = cg((v) => v.mul(d), tensor(new Float64Array(50).fill(1)), { maxIter: 3 });
    expect(trace.reason).toBe('maxIter');
    expect(trace.iterations).toBe(3);
    expect(trace.message).toMatch(/maxIter = 3/);
  });
});

describe('cg bad input', () => {
  const op = (v: Tensor): Tensor => v.mul(2);
  it('names what is wrong', () => {
    expect(() => cg(42 as never, [1])).toThrow('cg: operator must be a function');
    expect(() => cg((v) => v.slice(1), [1, 2, 3])).toThrow('cg: the operator returned shape [2] for an input of shape [3]');
    expect(() => cg(op, [1, NaN])).toThrow('cg: b must be finite');
    expect(() => cg(op, [1, 2], { x0: [1, 2, 3] })).toThrow('cg: x0 has shape [3] but b has shape [2]');
    expect(() => cg(op, [1, 2], { maxiter: 5 } as never)).toThrow("cg: unknown option 'maxiter' — did you mean 'maxIter'?");
    expect(() => cg(op, [1, 2], { tolerance: 1e-3 } as never)).toThrow("did you mean 'tol'?");
    expect(() => cg(op, [1, 2], { tol: 2 })).toThrow('cg: tol must be a finite number in [0, 1], got 2');
    expect(() => cg(op, [1, 2], { tol: NaN })).toThrow('cg: tol must be a finite number in [0, 1], got NaN');
    expect(() => cg(op, [1, 2], { maxIter: 0 })).toThrow('cg: maxIter must be an integer ≥ 1, got 0');
    expect(() => cg(op, [1, 2], { maxIter: 2.5 })).toThrow('cg: maxIter must be an integer ≥ 1, got 2.5');
    expect(() => cg(op, [1, 2], { keepIterates: 'yes' } as never)).toThrow('cg: keepIterates must be true or false');
  });
});
