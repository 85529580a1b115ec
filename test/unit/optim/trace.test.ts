import { describe, expect, it } from 'vitest';
import { EVAL_ACCEPTED, EVAL_FINAL, EVAL_INITIAL, EVAL_TRIAL, evalKind, evaluationX, iterateX, minimize, problems, type MinimizeOptions, type Trace } from '../../../src/lib/optim/index.ts';

function checkConsistent(t: Trace): void {
  const n = t.n;
  expect(t.iterates.count).toBe(t.iterations + 1);
  expect(t.evaluations.count).toBe(t.counts.f);
  for (let k = 0; k < t.iterates.count; k++) {
    const e = t.iterates.evaluation[k];
    if (e < 0) continue;
    // The iterate's point, value and gradient norm are those of the evaluation it refers to.
    expect(Array.from(evaluationX(t, e))).toEqual(Array.from(iterateX(t, k)));
    expect(t.evaluations.f[e]).toBe(t.iterates.f[k]);
    expect(t.evaluations.gradNorm[e]).toBe(t.iterates.gradNorm[k]);
    expect([EVAL_INITIAL, EVAL_ACCEPTED, EVAL_FINAL]).toContain(t.evaluations.kind[e]);
  }
  expect(Array.from(t.x)).toEqual(Array.from(iterateX(t, t.iterates.count - 1)));
  expect(t.f).toBe(t.iterates.f[t.iterates.count - 1]);
  expect(Number.isNaN(t.iterates.step[0])).toBe(true);
  expect(t.x.length).toBe(n);
}

describe('Trace', () => {
  it('seed L-BFGS: 6 evaluations, the first initial, every one accepted (the unit step always satisfies Wolfe)', () => {
    const p = problems.seedQuadratic();
    const t = minimize(p, p.x0, { method: 'lbfgs', lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' });
    checkConsistent(t);
    expect(t.evaluations.count).toBe(6);
    expect(Array.from({ length: 6 }, (_, i) => evalKind(t, i))).toEqual(['initial', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    expect(t.iterations).toBe(5);
    expect(t.counts.grad).toBe(6);
    const g = p.grad(iterateX(t, 2));
    expect(t.iterates.gradNorm[2]).toBeCloseTo(Math.hypot(g[0], g[1]), 14);
  });

  it('Rosenbrock L-BFGS: line-search trials are flagged and ordered; every iterate points to its evaluation', () => {
    const p = problems.rosenbrock(2);
    const t = minimize(p, p.x0, { method: 'lbfgs', maxIter: 100, historySize: 10, lineSearchFn: 'strong_wolfe' });
    checkConsistent(t);
    let trials = 0;
    for (let i = 0; i < t.evaluations.count; i++) if (t.evaluations.kind[i] === EVAL_TRIAL) trials++;
    expect(trials).toBeGreaterThan(0);
    expect(trials + t.iterations + 1).toBe(t.evaluations.count);
    // Evaluations are stamped with non-decreasing iteration numbers.
    for (let i = 1; i < t.evaluations.count; i++) expect(t.evaluations.iteration[i]).toBeGreaterThanOrEqual(t.evaluations.iteration[i - 1]);
    // inner = line-search evaluations of that iteration.
    let sum = 1;
    for (let k = 1; k < t.iterates.count; k++) sum += t.iterates.inner[k];
    expect(sum).toBe(t.evaluations.count);
  });

  it('fixed-step L-BFGS: the never-evaluated last iterate gets one reporting evaluation flagged final', () => {
    const p = problems.rosenbrock(2);
    const t = minimize(p, p.x0, { method: 'lbfgs', maxIter: 5 });
    expect(t.reason).toBe('max-iterations');
    expect(t.evaluations.kind[t.evaluations.count - 1]).toBe(EVAL_FINAL);
    expect(t.evaluations.count).toBe(6); // 5 PyTorch evaluations + 1 reporting
    checkConsistent(t);
    expect(t.f).toBe(p.value(t.x));
  });

  for (const method of ['sgd', 'newton', 'newton-cg'] as const) {
    it(`${method}: consistent columns`, () => {
      const p = problems.rosenbrock(2);
      // Options are strict: lr is SGD's option, not Newton's.
      const t = minimize(p, p.x0, (method === 'sgd' ? { method, lr: 1e-3, maxIter: 50 } : { method, maxIter: 50 }) as MinimizeOptions);
      checkConsistent(t);
    });
  }

  it('record: false keeps counts and the result, drops the columns', () => {
    const p = problems.seedQuadratic();
    const t = minimize(p, p.x0, { method: 'lbfgs', lineSearchFn: 'strong_wolfe', maxIter: 40, record: false });
    expect(t.evaluations.count).toBe(0);
    expect(t.iterates.count).toBe(0);
    expect(t.counts.f).toBe(6);
    expect(t.x[0]).toBeCloseTo(1, 5);
  });
});
