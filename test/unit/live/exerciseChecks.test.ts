import { describe, expect, it } from 'vitest';
import { exerciseKeys } from '../../../src/lib/live/exercise/registry.ts';
import { checkSource, solved, source16 } from './exerciseHarness.ts';

const mlp = 'calc-16-hessian-vector/exercise-mlp-hvp';

describe('the registry', () => {
  it('finds every chapter exercise that has checks', () => {
    expect(exerciseKeys()).toEqual(['calc-16-hessian-vector/exercise-cg', 'calc-16-hessian-vector/exercise-mlp-hvp', 'calc-16-hessian-vector/exercise-power']);
  });
});

describe('exercise 6: the HVP of a tiny MLP', () => {
  it('the worked solution passes every check', async () => {
    const c = await checkSource(source16('exercise-mlp-hvp.solution.ts'), mlp);
    expect(c.results?.map((r) => [r.label, r.passed])).toEqual([
      ['hvpExact() returns H(θ)v', true],
      ['hvpCentral(r) is the central difference of the gradient', true],
    ]);
    expect(solved(c)).toBe(true);
  });

  it('the starter fails both, with the TODO it stopped at', async () => {
    const c = await checkSource(source16('exercise-mlp-hvp.ts'), mlp);
    expect(solved(c)).toBe(false);
    expect(c.results?.map((r) => r.passed)).toEqual([false, false]);
    expect(c.results?.[0].message).toMatch(/^hvpExact\(\) threw: TODO: differentiate/);
    expect(c.results?.[1].message).toMatch(/^hvpCentral\(0\.01\) threw: TODO: two calls of gradient\(\)/);
  });
});

const cg = 'calc-16-hessian-vector/exercise-cg';
const power = 'calc-16-hessian-vector/exercise-power';

describe('exercise 7: conjugate gradients from HVPs', () => {
  it('the worked solution passes every check', async () => {
    const c = await checkSource(source16('exercise-cg.solution.ts'), cg);
    expect(c.results?.filter((r) => !r.passed)).toEqual([]);
    expect(c.results).toHaveLength(3);
    expect(solved(c)).toBe(true);
  });

  it('the starter fails, with the TODO it stopped at', async () => {
    const c = await checkSource(source16('exercise-cg.ts'), cg);
    expect(solved(c)).toBe(false);
    expect(c.results?.[0]).toMatchObject({ passed: false, message: 'conjugateGradients(applyH, −g) threw: TODO: write the CG loop described in the comment above' });
  });
});

describe('exercise 5: power iteration', () => {
  it('the worked solution passes every check', async () => {
    const c = await checkSource(source16('exercise-power.solution.ts'), power);
    expect(c.results?.filter((r) => !r.passed)).toEqual([]);
    expect(c.results).toHaveLength(3);
    expect(solved(c)).toBe(true);
  });

  it('the starter fails, with the TODO it stopped at', async () => {
    const c = await checkSource(source16('exercise-power.ts'), power);
    expect(solved(c)).toBe(false);
    expect(c.results?.every((r) => !r.passed && /threw: TODO: write the power iteration/.test(r.message))).toBe(true);
  });
});
