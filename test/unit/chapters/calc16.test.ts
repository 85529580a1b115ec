import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

describe('the chapter\'s runnable solutions', () => {
  it('npm run demo:hvp prints the seed\'s two lines with the numbers the prose states', () => {
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/hvp-demo.ts'], {
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n');
    expect(lines).toEqual(['Hessian-vector product Hv: [ 2.  -2.4]', 'Direct H @ v: [ 2.  -2.4]']);
    expect(fmt(facts.hvp.doubleBackward[1])).toBe('−2.4');
  });
});

describe('newton-lbfgs-demo.ts', () => {
  it('prints where SGD and L-BFGS ended, with their step and evaluation counts, and writes the two figures', () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-'));
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/newton-lbfgs-demo.ts'], {
      encoding: 'utf8',
      env: { ...process.env, SHOW_DIR: dir },
    });
    const num = String.raw`(-?\d+(?:\.\d+)?(?:e-?\d+)?)`;
    const sgd = new RegExp(String.raw`SGD ended at \[\s*${num}\s+${num}\] after (\d+) steps`).exec(out);
    const lbfgs = new RegExp(String.raw`L-BFGS ended at \[\s*${num}\s+${num}\] after (\d+) steps \((\d+) function evaluations\)`).exec(out);
    expect(sgd, out).not.toBeNull();
    expect(lbfgs, out).not.toBeNull();
    close([Number(sgd![1]), Number(sgd![2])], facts.sgd.x, 1e-7);
    expect(Number(sgd![3])).toBe(facts.sgd.iterations);
    close([Number(lbfgs![1]), Number(lbfgs![2])], torchLbfgs.final, 1e-7);
    expect(Number(lbfgs![3])).toBe(facts.lbfgs.iterations);
    expect(Number(lbfgs![4])).toBe(torchLbfgs.func_evals);
    for (const name of ['contours', 'paths']) {
      const svg = readFileSync(join(dir, `${name}.svg`), 'utf8');
      expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*aria-label="contour"/);
    }
    expect(readFileSync(join(dir, 'paths.svg'), 'utf8')).toMatch(/aria-label="line"/);
  }, 30_000);
});

describe('the chapter\'s short snippets print what the prose states', () => {
  const run = (file: string) =>
    execFileSync(resolve('node_modules/.bin/tsx'), [`src/content/chapters/calc-16-hessian-vector/${file}`], { encoding: 'utf8' });

  it('finite-differences.ts: the same V-shaped errors as the study in the text', () => {
    const out = run('finite-differences.ts');
    for (const k of [0, 2, 4, 6, 8, 10, 12]) {
      const row = facts.finiteDifference.at(10 ** -k);
      expect(out).toContain(`r = 1e-${k}: relative error ${row.err.toExponential(1)}`);
    }
  }, 30_000);

  it('forward-over-reverse.ts: jvp(grad f) and both hvp modes give the seed\'s Hv', () => {
    const out = run('forward-over-reverse.ts');
    expect(out.match(/\[ 2\.  -2\.4\]/g)?.length).toBe(3);
  }, 30_000);

  it('newton-cg.ts: Newton and Newton-CG each take the step counts the text states', () => {
    const out = run('newton-cg.ts');
    expect(out).toContain(`newton: x = [${facts.newton.x}] after ${facts.newton.iterations} step(s), ${facts.newton.hvps} Hessian-vector products`);
    expect(out).toContain(`newton-cg: x = [${facts.newtonCg.x}] after ${facts.newtonCg.iterations} step(s), ${facts.newtonCg.hvps} Hessian-vector products`);
  }, 30_000);
});

describe('the exercises\' runnable solutions', () => {
  it('power-iteration.ts finds λmax of the seed\'s A from Hessian-vector products alone', () => {
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/power-iteration.ts'], { encoding: 'utf8' });
    const m = /λmax ≈ (\S+) after (\d+) Hessian-vector products/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Math.abs(Number(m![1]) - facts.quadratic.lambdaMax)).toBeLessThan(1e-9);
    expect(Number(m![2])).toBeLessThan(100);
  }, 30_000);

  it('hvp-cost.ts measures f, grad and both HVPs and prints their ratios', () => {
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/hvp-cost.ts'], { encoding: 'utf8' });
    for (const line of [/^f: +\d+\.\d{3} ms$/m, /^grad: \d+\.\d{3} ms {2}\(\d+\.\d × f\)$/m, /^Hv, reverse-over-reverse: \d+\.\d{3} ms {2}\(\d+\.\d × grad\)$/m, /^Hv, forward-over-reverse: \d+\.\d{3} ms {2}\(\d+\.\d × grad\)$/m])
      expect(out).toMatch(line);
  }, 30_000);
});
