import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facts } from '../../../src/content/chapters/calc-16-hessian-vector/facts.ts';
import { fmt } from '../../../src/lib/site/formatNumber.ts';

/** PyTorch 1.13's runs of the seed's problem (scripts/fixtures/optim.py). */
const torch = JSON.parse(readFileSync(resolve('test/fixtures/optim.json'), 'utf8')) as {
  sgd: { name: string; final: number[]; steps: number }[];
  lbfgs: { name: string; final: number[]; func_evals: number; n_iter: number; evaluations: unknown[] }[];
};
const torchSgd = torch.sgd.find((c) => c.name === 'seed lr=0.1')!;
const torchLbfgs = torch.lbfgs.find((c) => c.name === 'seed strong_wolfe')!;

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
};

describe('chapter 16: every number the prose states', () => {
  it('Hv at the seed point is [2, −2.4] by double backward, forward-over-reverse and the explicit product', () => {
    close(facts.hvp.doubleBackward, [2, -2.4], 1e-15);
    close(facts.hvp.forwardOverReverse, [2, -2.4], 1e-15);
    close(facts.hvp.direct, [2, -2.4], 1e-15);
  });

  it('the quadratic: x* = (1, −1), f* = −3, eigenvalues 4 ± √2 in closed form', () => {
    close(facts.quadratic.xStar, [1, -1], 1e-15);
    expect(facts.quadratic.fStar).toBeCloseTo(-3, 14);
    expect(facts.quadratic.eigenCentre).toBe(4);
    expect(facts.quadratic.eigenRadiusSquared).toBe(2);
    expect(facts.quadratic.lambdaMin).toBeCloseTo(4 - Math.SQRT2, 14);
    expect(facts.quadratic.lambdaMax).toBeCloseTo(4 + Math.SQRT2, 14);
  });

  it('Newton lands on x* in one step; Newton-CG in one outer step with at most n = 2 HVPs', () => {
    expect(facts.newton.iterations).toBe(1);
    expect(facts.newton.firstStepDistance).toBeLessThan(1e-14);
    expect(facts.newtonCg.iterations).toBe(1);
    expect(facts.newtonCg.hvps).toBeLessThanOrEqual(2);
    expect(facts.newtonCg.firstStepDistance).toBeLessThan(1e-14);
  });

  it('SGD (lr 0.1, 40 steps) ends where PyTorch ends', () => {
    expect(facts.sgd.iterations).toBe(torchSgd.steps);
    close(facts.sgd.x, torchSgd.final, 1e-12);
    expect(facts.sgd.lrLimit).toBeCloseTo(2 / (4 + Math.SQRT2), 14);
  });

  it('L-BFGS (strong Wolfe) makes as many closure calls as PyTorch and ends at the same point', () => {
    expect(facts.lbfgs.evaluations).toBe(torchLbfgs.func_evals);
    expect(facts.lbfgs.evaluations).toBe(torchLbfgs.evaluations.length);
    close(facts.lbfgs.x, torchLbfgs.final, 1e-10);
  });

  it('the finite-difference study has the V shape the text describes', () => {
    const { rows, best } = facts.finiteDifference;
    // Truncation: error shrinks about 100× per decade of r on the left of the V.
    expect(rows[1].err / rows[2].err).toBeGreaterThan(50);
    expect(rows[1].err / rows[2].err).toBeLessThan(200);
    // Round-off: the smallest steps are worse than the best one by orders of magnitude.
    expect(rows.at(-1)!.err).toBeGreaterThan(1e3 * best.err);
    expect(best.r).toBeGreaterThanOrEqual(1e-8);
    expect(best.r).toBeLessThanOrEqual(1e-4);
  });
});
