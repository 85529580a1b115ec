import { describe, expect, it } from 'vitest';
import { MOD_NEGATIVE_CURVATURE, minimize, problems, quadratic, type Objective } from '../../../src/lib/optim/index.ts';
import { expectClose, fixtures, problemFromSpec } from './helpers.ts';

const fx = fixtures();

describe('Newton-CG', () => {
  it('seed quadratic with a tight CG tolerance: one outer step, at most n = 2 HVPs', () => {
    const p = problems.seedQuadratic();
    for (const x0 of [p.x0, new Float64Array([-30, 17]), new Float64Array([1e3, -1e3])]) {
      const t = minimize(p, x0, { method: 'newton-cg', cgTol: 1e-12 });
      expect(t.reason).toBe('converged');
      expect(t.iterations).toBe(1);
      expect(t.counts.hvp).toBeLessThanOrEqual(2);
      expect(t.iterates.inner[1]).toBeLessThanOrEqual(2);
      expectClose(t.x, [1, -1], 1e-12, 'x');
    }
  });

  it("zero curvature along −∇f with a nonzero gradient is 'no-progress', not convergence", () => {
    const t = minimize((x) => x.sum(), [1, 2], { method: 'newton-cg' });
    expect(t.reason).toBe('no-progress');
    expect(t.message).toMatch(/no curvature/);
    expect(t.gradNorm).toBeCloseTo(Math.SQRT2, 14);
    expect(t.iterations).toBe(0);
    // Same through an analytic objective with a zero Hessian, and with gtol: 0 (SciPy's outer loop).
    const lin: Objective = { n: 2, value: (x) => 3 * x[0] - x[1], grad: (_x, o = new Float64Array(2)) => { o[0] = 3; o[1] = -1; return o; }, hvp: (_x, _v, o = new Float64Array(2)) => o.fill(0) };
    expect(minimize(lin, [0, 0], { method: 'newton-cg', gtol: 0 }).reason).toBe('no-progress');
    // Curvature too small to resolve at the current gradient (−Σ log x, unbounded below, far out):
    // the gradient test is not met, so not 'converged'.
    const t3 = minimize((x) => x.log().neg().sum(), [1, 1], { method: 'newton-cg' });
    expect(t3.reason).toBe('no-progress');
    expect(t3.gradNorm).toBeGreaterThan(1e-8);
    // An exact zero gradient is still convergence (a zero step), with gtol on or off.
    const flat: Objective = { n: 1, value: () => 0, grad: (_x, o = new Float64Array(1)) => o.fill(0), hvp: (_x, _v, o = new Float64Array(1)) => o.fill(0) };
    expect(minimize(flat, [1], { method: 'newton-cg' }).reason).toBe('converged');
    expect(minimize(flat, [1], { method: 'newton-cg', gtol: 0 }).reason).toBe('converged');
  });

  describe(`against SciPy ${fx.scipy} minimize(method='Newton-CG', jac, hessp)`, () => {
    for (const c of fx.newtonCg) {
      it(c.name, () => {
        const p = problemFromSpec(c.problem);
        // gtol: 0 turns off the extra gradient test, so the outer loop is SciPy's.
        const t = minimize(p, c.x0, { method: 'newton-cg', gtol: 0 });
        expect(t.reason).toBe('converged');
        expect(c.status).toBe(0);
        if (c.problem.kind === 'quadratic') {
          // The unit step is accepted on a quadratic by both line searches, so everything agrees.
          expect(t.iterations).toBe(c.nit);
          expect(t.counts.f).toBe(c.nfev);
          expect(t.counts.grad).toBe(c.njev);
          expect(t.counts.hvp).toBe(c.nhev);
          c.iterates.forEach((xk, k) => expectClose(t.iterates.x.subarray(k * p.n, (k + 1) * p.n), xk, 1e-12, `iterate ${k}`));
        } else {
          // Different line searches (MINPACK dcsrch vs. the strong-Wolfe zoom) give different paths;
          // both stop on Σ|Δx| ≤ n·1e-5 near the minimiser (1, …, 1).
          expectClose(t.x, c.x, 1e-4, 'final x');
          expect(t.iterations).toBeLessThan(2 * c.nit);
        }
      });
    }
  });

  it('negative curvature on the first CG step falls back to scaled steepest descent, recorded in the trace', () => {
    const saddle = quadratic([1, 0, 0, -1], [0, 0]);
    const bounded: Objective = {
      n: 2,
      // x² − y² + y⁴/4: bounded below, indefinite near y = 0.
      value: (x) => saddle.value(x) + x[1] ** 4 / 4,
      grad: (x, out = new Float64Array(2)) => {
        out[0] = x[0];
        out[1] = -x[1] + x[1] ** 3;
        return out;
      },
      hvp: (x, v, out = new Float64Array(2)) => {
        out[0] = v[0];
        out[1] = (3 * x[1] * x[1] - 1) * v[1];
        return out;
      },
    };
    const t = minimize(bounded, [0, 0.1], { method: 'newton-cg' });
    expect(t.iterates.modification[1]).toBe(MOD_NEGATIVE_CURVATURE);
    expect(t.reason).toBe('converged');
    expect(Math.abs(t.x[1])).toBeCloseTo(1, 6);
  });

  it('Rosenbrock in 2, 5, 10 dimensions converges with the default options', () => {
    for (const n of [2, 5, 10]) {
      const p = problems.rosenbrock(n);
      const t = minimize(p, p.x0, { method: 'newton-cg' });
      expect(t.reason, `n=${n}`).toBe('converged');
      expect(t.f).toBeLessThan(1e-8);
    }
  });
});

describe('Newton-CG with xtol = 0', () => {
  it('takes steps instead of declaring convergence before the first one', () => {
    const p = problems.rosenbrock(2);
    const t = minimize(p, p.x0, { method: 'newton-cg', xtol: 0, gtol: 1e-8, maxIter: 500 });
    expect(t.iterations).toBeGreaterThan(10);
    expect(t.reason).toBe('converged');
    expect(Math.abs(t.x[0] - 1)).toBeLessThan(1e-6);
    // A gtol below what CG can resolve (dᵀ∇²f d ≤ 3ε once ‖∇f‖ ≈ 1e-9) is reported, not claimed.
    const t2 = minimize(p, p.x0, { method: 'newton-cg', xtol: 0, gtol: 1e-10, maxIter: 500 });
    expect(t2.reason).toBe('no-progress');
    expect(t2.message).toMatch(/no curvature.*gtol = 1e-10/);
    expect(Math.abs(t2.x[0] - 1)).toBeLessThan(1e-6);
  });
});
