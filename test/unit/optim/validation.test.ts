import { describe, expect, it } from 'vitest';
import { minimize, problems, quadratic, type MinimizeOptions, type Objective } from '../../../src/lib/optim/index.ts';

const seed = problems.seedQuadratic();

describe('invalid options throw before anything is evaluated', () => {
  const counting = (): { obj: Objective; calls: () => number } => {
    let k = 0;
    return {
      obj: {
        n: 2,
        value: (x) => (k++, seed.value(x)),
        grad: (x, out) => (k++, seed.grad(x, out)),
        hvp: seed.hvp,
        hessian: seed.hessian,
      },
      calls: () => k,
    };
  };
  const bad: [string, MinimizeOptions | Record<string, unknown>, RegExp | string][] = [
    ['negative lr (SGD)', { method: 'sgd', lr: -0.1 }, 'Invalid learning rate: -0.1'],
    ['missing lr (SGD)', { method: 'sgd' }, 'required parameter not specified: lr'],
    ['NaN lr (SGD)', { method: 'sgd', lr: NaN }, 'Invalid learning rate: NaN'],
    ['negative momentum', { method: 'sgd', lr: 0.1, momentum: -0.5 }, 'Invalid momentum value: -0.5'],
    ['negative weight decay', { method: 'sgd', lr: 0.1, weightDecay: -1 }, 'Invalid weight_decay value: -1'],
    ['nesterov without momentum', { method: 'sgd', lr: 0.1, nesterov: true }, 'Nesterov momentum requires a momentum and zero dampening'],
    ['nesterov with dampening', { method: 'sgd', lr: 0.1, nesterov: true, momentum: 0.9, dampening: 0.1 }, 'Nesterov momentum requires a momentum and zero dampening'],
    ['divergenceFactor ≤ 1', { method: 'sgd', lr: 0.1, divergenceFactor: 1 }, /divergenceFactor/],
    ['negative lr (L-BFGS)', { method: 'lbfgs', lr: -1 }, 'Invalid learning rate: -1'],
    ['historySize < 1', { method: 'lbfgs', historySize: 0 }, /historySize/],
    ['fractional maxIter', { method: 'lbfgs', maxIter: 2.5 }, /maxIter/],
    ['unknown line search', { method: 'lbfgs', lineSearchFn: 'backtracking' }, /only 'strong_wolfe' is supported/],
    ['bad Wolfe constants', { method: 'lbfgs', c1: 0.95, c2: 0.9 }, /Wolfe constants/],
    ['steps < 1', { method: 'lbfgs', steps: 0 }, /steps/],
    ['unknown Hessian modification', { method: 'newton', modification: 'eigen' }, /modification/],
    ['negative gtol', { method: 'newton', gtol: -1 }, /gtol/],
    ['cgTol ≥ 1', { method: 'newton-cg', cgTol: 2 }, /cgTol/],
    ['unknown method', { method: 'adam' }, /Unknown method "adam"/],
  ];
  for (const [name, opts, msg] of bad) {
    it(name, () => {
      const { obj, calls } = counting();
      expect(() => minimize(obj, [1, 2], opts as MinimizeOptions)).toThrow(msg);
      expect(calls()).toBe(0);
    });
  }
  it('non-finite or empty x0, or a length mismatch', () => {
    expect(() => minimize(seed, [1, NaN], { method: 'lbfgs' })).toThrow('x0[1] = NaN is not finite');
    expect(() => minimize(seed, [Infinity, 0], { method: 'newton' })).toThrow(/not finite/);
    expect(() => minimize(seed, [], { method: 'newton' })).toThrow(/empty/);
    expect(() => minimize(seed, [1, 2, 3], { method: 'newton' })).toThrow(/length 3/);
  });
  it('missing derivatives for second-order methods', () => {
    const firstOrder: Objective = { value: seed.value, grad: seed.grad };
    expect(() => minimize(firstOrder, [1, 2], { method: 'newton-cg' })).toThrow(/hvp/);
    expect(() => minimize(firstOrder, [1, 2], { method: 'newton' })).toThrow(/hessian\(\) or hvp\(\)/);
    expect(() => minimize({} as Objective, [1, 2], { method: 'sgd', lr: 1 })).toThrow(/Objective/);
    expect(() => minimize(seed, [1, 2], undefined as unknown as MinimizeOptions)).toThrow(/method/);
  });
});

/** An objective that turns NaN (or ±∞) once x[0] passes a threshold. */
function poisoned(threshold: number, bad = NaN): Objective {
  return {
    n: 2,
    value: (x) => (x[0] > threshold ? bad : seed.value(x)),
    grad: (x, out = new Float64Array(2)) => {
      seed.grad(x, out);
      if (x[0] > threshold) out[0] = bad;
      return out;
    },
    hvp: seed.hvp,
    hessian: seed.hessian,
  };
}

describe('every stop reason', () => {
  it("'converged' for every method", () => {
    expect(minimize(seed, seed.x0, { method: 'sgd', lr: 0.1, maxIter: 1000, gtol: 1e-8 }).reason).toBe('converged');
    expect(minimize(seed, seed.x0, { method: 'lbfgs', lineSearchFn: 'strong_wolfe', toleranceChange: 0, maxIter: 100 }).reason).toBe('converged');
    expect(minimize(seed, seed.x0, { method: 'newton' }).reason).toBe('converged');
    expect(minimize(seed, seed.x0, { method: 'newton-cg' }).reason).toBe('converged');
    // Already optimal: converges with no iterations.
    const at = minimize(seed, [1, -1], { method: 'lbfgs' });
    expect(at.reason).toBe('converged');
    expect(at.iterations).toBe(0);
  });

  it("'max-iterations'", () => {
    const r = problems.rosenbrock(2);
    expect(minimize(r, r.x0, { method: 'sgd', lr: 1e-4, maxIter: 5 }).reason).toBe('max-iterations');
    expect(minimize(r, r.x0, { method: 'lbfgs', maxIter: 3, maxEval: 100, lineSearchFn: 'strong_wolfe' }).reason).toBe('max-iterations');
    expect(minimize(r, r.x0, { method: 'newton', maxIter: 2 }).reason).toBe('max-iterations');
    expect(minimize(r, r.x0, { method: 'newton-cg', maxIter: 2 }).reason).toBe('max-iterations');
  });

  it("'max-evaluations' (L-BFGS's maxEval per step() call)", () => {
    const r = problems.rosenbrock(5);
    const t = minimize(r, r.x0, { method: 'lbfgs', maxIter: 100, maxEval: 30, lineSearchFn: 'strong_wolfe' });
    expect(t.reason).toBe('max-evaluations');
    expect(t.counts.f).toBe(30);
  });

  it('capLineSearchByBudget keeps a step() call within maxEval', () => {
    const r = problems.rosenbrock(5);
    for (const maxEval of [7, 13, 22]) {
      const capped = minimize(r, r.x0, { method: 'lbfgs', maxIter: 100, maxEval, lineSearchFn: 'strong_wolfe', capLineSearchByBudget: true });
      // max_ls = budget left allows one extra extrapolated trial, never more.
      expect(capped.counts.f).toBeLessThanOrEqual(maxEval + 1);
    }
  });

  it("'no-progress'", () => {
    // Fixed-step L-BFGS whose loss stops changing by more than toleranceChange.
    expect(minimize(seed, seed.x0, { method: 'lbfgs', maxIter: 200, toleranceGrad: 0 }).reason).toBe('no-progress');
    // Newton on |x|^1.5-like flat objective where steps shrink below xtol.
    const flat: Objective = {
      n: 1,
      value: (x) => x[0] ** 4,
      grad: (x, out = new Float64Array(1)) => ((out[0] = 4 * x[0] ** 3), out),
      hessian: (x) => new Float64Array([12 * x[0] ** 2]),
    };
    expect(minimize(flat, [1], { method: 'newton', gtol: 0, xtol: 1e-6 }).reason).toBe('no-progress');
  });

  it("'line-search-failed' is reported (Newton backtracking budget, Newton-CG without decrease)", () => {
    // A gradient that lies: ∇f points the wrong way, so no step along −H⁻¹∇f decreases f.
    const liar: Objective = {
      n: 1,
      value: (x) => x[0] * x[0],
      grad: (x, out = new Float64Array(1)) => ((out[0] = -2 * x[0]), out),
      hessian: () => new Float64Array([2]),
      hvp: (_x, v, out = new Float64Array(1)) => ((out[0] = 2 * v[0]), out),
    };
    const t = minimize(liar, [1], { method: 'newton', maxBacktracks: 10 });
    expect(t.reason).toBe('line-search-failed');
    expect(t.x[0]).toBe(1);
    const t2 = minimize(liar, [1], { method: 'newton-cg' });
    expect(t2.reason).toBe('line-search-failed');
    expect(t2.counts.lineSearchFailures).toBe(1);
  });

  it("'diverged': SGD with too large a step", () => {
    const t = minimize(seed, seed.x0, { method: 'sgd', lr: 1, maxIter: 10_000 });
    expect(t.reason).toBe('diverged');
    expect(t.iterations).toBeLessThan(100);
    expect(Number.isFinite(t.f)).toBe(true);
    expect(Array.from(t.x).every(Number.isFinite)).toBe(true);
    // and with the threshold lowered it stops earlier
    const t2 = minimize(seed, seed.x0, { method: 'sgd', lr: 1, maxIter: 10_000, divergenceFactor: 10 });
    expect(t2.reason).toBe('diverged');
    expect(t2.iterations).toBeLessThan(t.iterations);
  });

  it("SGD: 'non-finite' for a NaN f or gradient at a moderate point, 'diverged' only for blow-up", () => {
    // NaN f just past x₀ = 2.6: the iterates did not run away, the objective is undefined there.
    const t = minimize(poisoned(2.6), [2.5, -2], { method: 'sgd', lr: 0.1, maximize: true, maxIter: 100 });
    expect(t.reason).toBe('non-finite');
    expect(t.message).toMatch(/not finite after update/);
    expect(Number.isFinite(t.f)).toBe(true);
    expect(t.x[0]).toBeLessThanOrEqual(2.6);
    // A finite f with a NaN gradient component.
    const nanGrad: Objective = {
      n: 2,
      value: (x) => x[0] * x[0] + x[1] * x[1],
      grad: (x, o = new Float64Array(2)) => { o[0] = x[0] < 0.5 ? NaN : 2 * x[0]; o[1] = 2 * x[1]; return o; },
    };
    const t2 = minimize(nanGrad, [2, 2], { method: 'sgd', lr: 0.1, maxIter: 100 });
    expect(t2.reason).toBe('non-finite');
    expect(Array.from(t2.x).every(Number.isFinite)).toBe(true);
    // f = +∞ is beyond any threshold: that is divergence.
    const t3 = minimize(poisoned(2.6, Infinity), [2.5, -2], { method: 'sgd', lr: 0.1, maximize: true, maxIter: 100 });
    expect(t3.reason).toBe('diverged');
    expect(Number.isFinite(t3.f)).toBe(true);
  });

  it("'non-finite' for every method, never NaN in the result", () => {
    for (const opts of [
      { method: 'lbfgs', lineSearchFn: 'strong_wolfe' },
      { method: 'lbfgs' },
      { method: 'newton' },
      { method: 'newton-cg' },
    ] as MinimizeOptions[]) {
      // Poisoned just past the start, so the first move (towards (1, −1)) lands in the NaN region.
      const obj = poisoned(-2.9);
      const t = minimize(obj, [-3, 3], opts);
      expect(t.reason, opts.method).toBe('non-finite');
      expect(Number.isFinite(t.f), opts.method).toBe(true);
      expect(Array.from(t.x).every(Number.isFinite), opts.method).toBe(true);
    }
    // Non-finite at x0 itself.
    const t = minimize(poisoned(0, Infinity), [1, 1], { method: 'sgd', lr: 0.1 });
    expect(t.reason).toBe('non-finite');
  });

  it('every loop is bounded even for a hostile objective (random values)', () => {
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const hostile: Objective = {
      n: 2,
      value: () => rnd(),
      grad: (_x, out = new Float64Array(2)) => ((out[0] = rnd()), (out[1] = rnd()), out),
      hvp: (_x, v, out = new Float64Array(2)) => ((out[0] = rnd() * v[0]), (out[1] = rnd() * v[1]), out),
      hessian: () => new Float64Array([rnd(), 0, 0, rnd()]),
    };
    for (const method of ['sgd', 'lbfgs', 'newton', 'newton-cg'] as const) {
      // Options are strict: each method gets only its own.
      const extra = method === 'sgd' ? { lr: 0.1 } : method === 'lbfgs' ? { lineSearchFn: 'strong_wolfe' } : {};
      const t = minimize(hostile, [0, 0], { method, ...extra, maxIter: 50 } as MinimizeOptions);
      expect(t.counts.f).toBeLessThan(5000);
      expect(t.reason).toBeTypeOf('string');
    }
  });
});

describe('quadratic() guards', () => {
  it('rejects non-symmetric A and size mismatches', () => {
    expect(() => quadratic([1, 2, 3, 4], [0, 0])).toThrow(/symmetric/);
    expect(() => quadratic([1, 0, 0], [0, 0])).toThrow(/entries/);
    expect(() => problems.rosenbrock(1)).toThrow(/n must be/);
  });
});
