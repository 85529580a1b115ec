import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { hessian, hvp, objective, tensor } from '../../../src/lib/autodiff/index.ts';
import { facts } from '../../../src/content/chapters/calc-16-hessian-vector/facts.ts';
import { bfgsExactLineSearch } from '../../../src/content/chapters/calc-16-hessian-vector/bfgsExact.ts';
import { costSummary, median, type CostRecord } from '../../../src/content/chapters/calc-16-hessian-vector/hvpCost.ts';
import { rosenbrock } from '../../../src/content/chapters/calc-16-hessian-vector/rosenbrock.ts';

const record = JSON.parse(readFileSync(resolve('src/content/chapters/calc-16-hessian-vector/hvp-cost.json'), 'utf8')) as CostRecord;
/** The middle element of an odd-length list, computed without the module under test. */
const middle = (xs: number[]) => {
  expect(xs.length % 2).toBe(1);
  return [...xs].sort((a, b) => a - b)[(xs.length - 1) / 2];
};

describe('chapter 16: the cost of an HVP, from the committed measurement', () => {
  it('states the median of the recorded repeats, with their range', () => {
    expect(record.samples.length).toBeGreaterThanOrEqual(11);
    const rev = record.samples.map((s) => s.hvpRev / s.grad);
    const fwd = record.samples.map((s) => s.hvpFwd / s.grad);
    expect(facts.cost.revOverGrad.median).toBe(middle(rev));
    expect(facts.cost.fwdOverGrad.median).toBe(middle(fwd));
    expect(facts.cost.revOverGrad.min).toBe(Math.min(...rev));
    expect(facts.cost.revOverGrad.max).toBe(Math.max(...rev));
    expect(facts.cost.torch!.hvpOverGrad.median).toBe(middle(record.torch!.samples.map((s) => s.hvp / s.grad)));
  });

  it('is plausible: an HVP costs at least 0.9 gradients, ours and PyTorch\'s, and a gradient more than f', () => {
    for (const r of [facts.cost.revOverGrad, facts.cost.fwdOverGrad, facts.cost.torch!.hvpOverGrad]) expect(r.median).toBeGreaterThanOrEqual(0.9);
    expect(facts.cost.gradOverF.median).toBeGreaterThan(1);
    // the explanation in the text: PyTorch's op-by-op HVP costs clearly more gradients than the fused tape's
    expect(facts.cost.torch!.hvpOverGrad.median).toBeGreaterThan(facts.cost.revOverGrad.median);
  });

  it('median and costSummary handle odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no samples/);
    expect(() => costSummary({ ...record, samples: [] })).toThrow(/no samples recorded/);
  });

  it('importing facts.ts times nothing', async () => {
    const factsModule = '../../../src/content/chapters/calc-16-hessian-vector/facts.ts';
    vi.resetModules();
    const now = vi.spyOn(performance, 'now');
    try {
      await import(factsModule);
      expect(now).not.toHaveBeenCalled();
    } finally {
      now.mockRestore();
    }
  });
});

describe('chapter 16: curvature at the indefinite Rosenbrock point, by hand and by the library', () => {
  const c = facts.indefinite;
  const H = hessian(rosenbrock)(tensor(c.x));

  it('the Hessian by hand is the library\'s, and it is indefinite (−136.8, 318.8)', () => {
    expect(c.H.flat()).toEqual(Array.from(H.data).map((h, i) => expect.closeTo(h, 12) as unknown as number));
    expect(c.H).toEqual([[-18, 200], [200, 200]].map((r) => r.map((h) => expect.closeTo(h, 12))));
    // closed form of the eigenvalues of [[a, b], [b, d]]: (a + d)/2 ± √(((a − d)/2)² + b²)
    expect(c.lambda[0]).toBeCloseTo(91 - Math.sqrt(109 ** 2 + 200 ** 2), 11);
    expect(c.lambda[1]).toBeCloseTo(91 + Math.sqrt(109 ** 2 + 200 ** 2), 11);
    expect(c.lambda[0]).toBeLessThan(0);
  });

  it('vᵀHv is the curvature along v, and it is negative; Hv by hand is the library\'s HVP', () => {
    const Hv = Array.from(hvp(rosenbrock, c.x, c.v).data);
    expect(c.Hv[0]).toBeCloseTo(Hv[0], 12);
    expect(c.Hv[1]).toBeCloseTo(Hv[1], 12);
    expect(c.vHv).toBeCloseTo(Hv[0] * c.v[0] + Hv[1] * c.v[1], 12);
    // second derivative of r ↦ f(x + rv/‖v‖) at 0, by central differences of f
    const f = objective(rosenbrock, 2);
    const nv = Math.hypot(...c.v);
    const at = (r: number) => f.value(Float64Array.from(c.x, (xi, i) => xi + (r * c.v[i]) / nv));
    const h = 1e-4;
    expect((at(h) - 2 * at(0) + at(-h)) / h ** 2).toBeCloseTo(c.curvatureAlongV, 4);
    expect(c.curvatureAlongV).toBeLessThan(0);
  });

  it('Newton along v goes uphill: the slope is downhill, the curvature negative, the step backwards', () => {
    expect(c.gv).toBeLessThan(0);
    expect(c.newton1d.t).toBeLessThan(0);
    expect(c.newton1d.f).toBeGreaterThan(c.f);
  });

  it('the full Newton step is the model\'s saddle point (Hp = −g), downhill here only because gᵀp < 0 by luck', () => {
    const { p } = c.newton;
    expect(c.H[0][0] * p[0] + c.H[0][1] * p[1]).toBeCloseTo(-c.g[0], 10);
    expect(c.H[1][0] * p[0] + c.H[1][1] * p[1]).toBeCloseTo(-c.g[1], 10);
    expect(c.newton.gp).toBeLessThan(0);
    expect(c.newton.f).toBeLessThan(c.f);
    expect(c.newtonRun.notPositiveDefinite).toBeGreaterThanOrEqual(1);
    expect(c.newtonRun.tau).toBeGreaterThan(-c.lambda[0]);
    expect(c.newtonRun.reason).toBe('converged');
  });

  it('power iteration finds the eigenvalue of largest magnitude; shifted by it, the other one', () => {
    expect(c.power.top.lambda).toBeCloseTo(c.lambda[1], 8);
    expect(c.power.shifted.lambda).toBeCloseTo(c.lambda[0], 8);
  });

  it('the R-operator worked by hand gives the library\'s gradient and Hv', () => {
    const g = objective(rosenbrock, 2).grad(Float64Array.from(c.x));
    expect(facts.rOperator.grad[0]).toBeCloseTo(g[0], 12);
    expect(facts.rOperator.grad[1]).toBeCloseTo(g[1], 12);
    expect(facts.rOperator.hv[0]).toBeCloseTo(c.Hv[0], 12);
    expect(facts.rOperator.hv[1]).toBeCloseTo(c.Hv[1], 12);
    expect(facts.rOperator.lines.map((l) => l.pass)).toEqual(['input', 'input', 'forward', 'forward', 'forward', 'forward', 'backward', 'backward', 'backward', 'backward', 'backward']);
  });
});

describe('chapter 16: the corrected claims', () => {
  it('the best central-difference step depends on how the gradient is computed: 10⁻⁶ with AD, 10⁻⁵ by hand', () => {
    expect(facts.finiteDifference.best.r).toBe(1e-6);
    expect(facts.finiteDifference.hand.best.r).toBe(1e-5);
    const predicted = Math.cbrt(Number.EPSILON);
    expect(predicted).toBeGreaterThan(1e-6);
    expect(predicted).toBeLessThan(1e-5);
  });

  it('the axis ratio of the level-set ellipses is √κ', () => {
    expect(facts.quadratic.axisRatio ** 2).toBeCloseTo(facts.quadratic.condition, 14);
  });

  it('L-BFGS: the first pair satisfies the secant equation y = As, yᵀs > 0, and the run stops on the first-order test', () => {
    const { s, y, As, ys } = facts.lbfgs.secant;
    expect(y[0]).toBeCloseTo(As[0], 14);
    expect(y[1]).toBeCloseTo(As[1], 14);
    expect(ys).toBeCloseTo(s[0] * y[0] + s[1] * y[1], 14);
    expect(ys).toBeGreaterThan(0);
    expect(facts.lbfgs.stop.test).toBe('directional-derivative');
    expect(facts.lbfgs.stop.lastChange).toBeGreaterThan(facts.lbfgs.toleranceChange);
    expect(facts.lbfgs.stop.steps).toHaveLength(facts.lbfgs.iterations);
    // the text: a first step of min(1, 1/‖g‖₁), then each step accepted at its first line-search trial
    const g0 = [5 * 2.5 + 1 * -2 - 4, 1 * 2.5 + 3 * -2 + 2];
    expect(facts.lbfgs.stop.steps[0]).toBe(Math.min(1, 1 / (Math.abs(g0[0]) + Math.abs(g0[1]))));
    expect(facts.lbfgs.stop.trials).toEqual(Array(facts.lbfgs.iterations).fill(1));
  });

  it('BFGS with exact line searches ends in n = 2 steps on the quadratic, where L-BFGS takes more', () => {
    expect(facts.bfgsExact.iterations).toBe(2);
    expect(Math.hypot(facts.bfgsExact.x[0] - 1, facts.bfgsExact.x[1] + 1)).toBeLessThan(1e-14);
    expect(facts.lbfgs.iterations).toBeGreaterThan(facts.bfgsExact.iterations);
    expect(() => bfgsExactLineSearch({ A: [[1, 0]], b: [0, 0], x0: [0, 0] })).toThrow(/A must be 2×2 and b of length 2/);
  });
});
