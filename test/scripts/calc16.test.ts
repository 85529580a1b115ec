import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facts } from '../../src/content/chapters/calc-16-hessian-vector/facts.ts';
import { fmt } from '../../src/lib/site/formatNumber.ts';

/**
 * Chapter 16's runnable scripts, each run as `tsx` would run it for a reader (`npm run demo:…`), checked against
 * the numbers the prose states. A project of its own: each test starts a Node process.
 */

/** PyTorch 1.13's runs of the seed's problem (scripts/fixtures/optim.py). */
const torch = JSON.parse(readFileSync(resolve('test/fixtures/optim.json'), 'utf8')) as {
  lbfgs: { name: string; final: number[]; func_evals: number; n_iter: number }[];
};
const torchLbfgs = torch.lbfgs.find((c) => c.name === 'seed strong_wolfe')!;

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
};

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
  });
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
  });

  it('forward-over-reverse.ts: jvp(grad f) and both hvp modes give the seed\'s Hv', () => {
    const out = run('forward-over-reverse.ts');
    expect(out.match(/\[ 2\.  -2\.4\]/g)?.length).toBe(3);
  });

  it('newton-cg.ts: Newton and Newton-CG each take the step counts the text states', () => {
    const out = run('newton-cg.ts');
    expect(out).toContain(`newton: x = [${facts.newton.x}] after ${facts.newton.iterations} step(s), ${facts.newton.hvps} Hessian-vector products`);
    expect(out).toContain(`newton-cg: x = [${facts.newtonCg.x}] after ${facts.newtonCg.iterations} step(s), ${facts.newtonCg.hvps} Hessian-vector products`);
  });
});

describe('the exercises\' runnable solutions', () => {
  it('power-iteration.ts finds λmax of the seed\'s A from Hessian-vector products alone', () => {
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/power-iteration.ts'], { encoding: 'utf8' });
    const m = /λmax ≈ (\S+) after (\d+) Hessian-vector products/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Math.abs(Number(m![1]) - facts.quadratic.lambdaMax)).toBeLessThan(1e-9);
    expect(Number(m![2])).toBeLessThan(100);
  });

  it('hvp-cost.ts measures f, grad and both HVPs and prints their ratios', () => {
    const out = execFileSync(resolve('node_modules/.bin/tsx'), ['src/content/chapters/calc-16-hessian-vector/hvp-cost.ts'], { encoding: 'utf8' });
    for (const line of [/^f: +\d+\.\d{3} ms$/m, /^grad: \d+\.\d{3} ms {2}\(\d+\.\d × f\)$/m, /^Hv, reverse-over-reverse: \d+\.\d{3} ms {2}\(\d+\.\d × grad\)$/m, /^Hv, forward-over-reverse: \d+\.\d{3} ms {2}\(\d+\.\d × grad\)$/m])
      expect(out).toMatch(line);
  });
});
