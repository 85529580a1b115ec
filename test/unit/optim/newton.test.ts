import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MOD_GRADIENT, MOD_NONE, MOD_SHIFT, minimize, problems, quadratic, type Objective } from '../../../src/lib/optim/index.ts';
import { expectClose } from './helpers.ts';

const coord = fc.double({ min: -50, max: 50, noNaN: true });

describe("Newton's method", () => {
  it('reaches the seed optimum (1, −1) in exactly one step from any start', () => {
    const p = problems.seedQuadratic();
    fc.assert(
      fc.property(coord, coord, (a, b) => {
        const t = minimize(p, [a, b], { method: 'newton' });
        expect(t.reason).toBe('converged');
        expect(t.iterations).toBeLessThanOrEqual(1);
        expectClose(t.x, [1, -1], 1e-12, 'x');
        if (t.iterations === 1) {
          expect(t.iterates.step[1]).toBe(1);
          expect(t.iterates.modification[1]).toBe(MOD_NONE);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('converges in one step on random positive definite quadratics (A = MᵀM + I)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n * n, maxLength: n * n }),
            fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
            fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }),
          ),
        ),
        ([n, M, b, x0]) => {
          const A = new Array<number>(n * n).fill(0);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) {
              let s = i === j ? 1 : 0;
              for (let k = 0; k < n; k++) s += M[k * n + i] * M[k * n + j];
              A[i * n + j] = s;
            }
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
          const p = quadratic(A, b);
          const t = minimize(p, x0, { method: 'newton', gtol: 1e-7 });
          expect(t.reason).toBe('converged');
          expect(t.iterations).toBeLessThanOrEqual(1);
          expect(t.counts.hessian).toBe(t.iterations);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('takes the exact step when the predicted decrease is below the rounding of f (found by the property above)', () => {
    // A = diag(1, 1 + m², 1, 1) with m = 1.0170637179287918e-4; max|∇f| at the start is 1.03e-7, f ≈ −50.
    const m = 0.00010170637179287918;
    const A = [1, 0, 0, 0, 0, 1 + m * m, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    const p = quadratic(A, [0, -9.999999999988196, 0, 0]);
    const t = minimize(p, [0, 9.999999999995465, 0, 0], { method: 'newton', gtol: 1e-7 });
    expect(t.iterates.gradNorm[0]).toBeGreaterThan(1e-7);
    expect(t.reason).toBe('converged');
    expect(t.iterations).toBe(1);
    expect(t.iterates.step[1]).toBe(1);
  });

  it('builds the Hessian from n HVPs when no hessian() is given', () => {
    const p = problems.seedQuadratic();
    const noHess: Objective = { n: 2, value: p.value, grad: p.grad, hvp: p.hvp };
    const t = minimize(noHess, [7, 3], { method: 'newton' });
    expect(t.iterations).toBe(1);
    expect(t.counts.hvp).toBe(2);
    expect(t.counts.hessian).toBe(0);
  });

  it('solves Rosenbrock 2-D from the classical start', () => {
    const p = problems.rosenbrock(2);
    const t = minimize(p, p.x0, { method: 'newton' });
    expect(t.reason).toBe('converged');
    expectClose(t.x, [1, 1], 1e-8, 'x');
  });

  describe('indefinite Hessians are reported and handled', () => {
    // f = x² − y² + y⁴/4 (saddle at 0, minima at (0, ±√2)); H = diag(2, 3y² − 2) is indefinite for |y| < √(2/3).
    const saddle: Objective = {
      n: 2,
      value: (x) => x[0] * x[0] - x[1] * x[1] + x[1] ** 4 / 4,
      grad: (x, out = new Float64Array(2)) => {
        out[0] = 2 * x[0];
        out[1] = -2 * x[1] + x[1] ** 3;
        return out;
      },
      hessian: (x) => new Float64Array([2, 0, 0, 3 * x[1] * x[1] - 2]),
    };

    it("'shift' (default): Alg. 3.3 adds τI, records τ, and reaches a minimum", () => {
      const t = minimize(saddle, [0.5, 0.1], { method: 'newton' });
      expect(t.reason).toBe('converged');
      expect(t.counts.notPositiveDefinite).toBeGreaterThan(0);
      expect(t.iterates.modification[1]).toBe(MOD_SHIFT);
      // min diag = 3·0.01 − 2 = −1.97 → τ₀ = 1.97 + 1e-3 succeeds at once.
      expect(t.iterates.tau[1]).toBeCloseTo(1.971, 12);
      expectClose([Math.abs(t.x[1])], [Math.SQRT2], 1e-8, 'y');
      expect(Math.abs(t.x[0])).toBeLessThan(1e-8);
    });

    it("'gradient': steps along −∇f on indefinite iterations", () => {
      const t = minimize(saddle, [0.5, 0.1], { method: 'newton', modification: 'gradient' });
      expect(t.reason).toBe('converged');
      expect(t.iterates.modification[1]).toBe(MOD_GRADIENT);
      expect(t.iterates.tau[1]).toBe(0);
      expectClose([Math.abs(t.x[1])], [Math.SQRT2], 1e-8, 'y');
    });

    it('a positive diagonal does not hide indefiniteness (τ starts at β)', () => {
      // A = [[1, 2], [2, 1]] has eigenvalues 3 and −1 but a positive diagonal.
      const p = quadratic([1, 2, 2, 1], [0, 0]);
      const t = minimize(p, [1, 0.5], { method: 'newton', maxIter: 3 });
      expect(t.iterates.modification[1]).toBe(MOD_SHIFT);
      expect(t.iterates.tau[1]).toBeGreaterThan(1);
      expect(t.f).toBeLessThan(p.value(new Float64Array([1, 0.5])));
    });
  });
});
