import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facts } from '../../src/content/chapters/calc-17-higher-order-gradients/facts.ts';

/**
 * Chapter 17's runnable scripts, each run as `npm run demo:…` runs it (a `tsx` subprocess), checked against the
 * numbers the prose states. The listings write their loops by hand; facts.ts computes the same numbers with
 * src/lib/meta, so agreement here also checks one against the other.
 */
const chapter = 'src/content/chapters/calc-17-higher-order-gradients';
const scripts = (JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** Runs the file behind `npm run <name>` (checked to be this chapter's file) and returns its output. */
function demo(name: string, file: string): string {
  expect(scripts[name], `package.json has ${name}`).toBe(`tsx ${chapter}/${file}`);
  return execFileSync(resolve('node_modules/.bin/tsx'), [`${chapter}/${file}`], { encoding: 'utf8' });
}
const run = (file: string) => execFileSync(resolve('node_modules/.bin/tsx'), [`${chapter}/${file}`], { encoding: 'utf8' });
const num = String.raw`(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)`;
const numbers = (line: string) => (line.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? []).map(Number);

describe('chapter 17\'s runnable listings print what the prose states', () => {
  it('demo:nested-derivatives: f, f\', f\'\', f\'\'\' at 1; D¹–D³ along v; D⁴ and the predicted finite-difference error', () => {
    const out = demo('demo:nested-derivatives', 'nested-derivatives.ts');
    facts.nested.scalar.values.forEach((v, k) => expect(out).toContain(`f^(${k})(1) = ${v.toFixed(12)}`));
    expect(out).toContain(`D1 f[v] = ${facts.nested.d1}, D2 f[v,v] = ${facts.nested.d2}, D3 f[v,v,v] = ${facts.nested.d3}`);
    expect(out).toContain('D3 f[v,v,.] = [  48. -144.]');
    expect(out).toContain('D4 f[v,v,v,.] = [518.4   0. ]');
    expect(out).toContain(`at r = 1e-2: ${facts.nested.predictedRelErr(1e-2).toExponential(3)}`);
  });

  it('demo:perturbation-confusion: untagged duals give 2, the library 1 by grad and by jvp', () => {
    const out = demo('demo:perturbation-confusion', 'perturbation-confusion.ts');
    expect(out).toContain(`naive dual numbers: ${facts.confusion.naive}`);
    expect(out).toContain(`library, grad inside grad: ${facts.confusion.library}`);
    expect(out).toContain(`library, jvp inside jvp: ${facts.confusion.libraryForward}`);
    expect(facts.confusion.naive).not.toBe(facts.confusion.library);
  });

  it('demo:hypergradient: φ\'(0.1) three ways, the VJP of a step, η*, hypergradient descent and the online rule', () => {
    const out = demo('demo:hypergradient', 'one-step.ts');
    const h = facts.hyper;
    expect(out).toContain(`dphi/deta at eta = 0.1: ${h.oneStep.dPhi}`);
    expect(out).toContain(`-g.g + eta g.Hg: ${-h.oneStep.gg + 0.1 * h.oneStep.gHg}`);
    expect(out.match(/\[1\.46 0\.66\]/g)?.length).toBe(2);
    expect(out).toContain(`eta after 20 hypergradient steps: ${h.hd.final.toFixed(10)}`);
    expect(out).toContain(`g.g / g.Hg: ${h.oneStep.etaStar.toFixed(10)}`);
    expect(out).toContain(`online: eta = ${h.online.finalEta.toFixed(6)} after 30 steps, f = ${h.online.finalLoss.toFixed(10)}`);
  });

  it('demo:unrolled: the hand-written loop gives unroll\'s hypergradients, and truncation keeps K/T of them', () => {
    const out = demo('demo:unrolled', 'unrolled.ts');
    for (const u of facts.hyper.unrolled) {
      const m = new RegExp(String.raw`eta = ${u.eta}, T = ${u.steps}: V = ${num}, dV/deta = ${num}`).exec(out);
      expect(m, out).not.toBeNull();
      expect(Number(m![1])).toBe(Number(u.value.toExponential(6)));
      expect(Number(m![2])).toBe(Number(u.dEta.toExponential(6)));
    }
    for (const t of facts.hyper.truncation.truncated) expect(out).toContain(`T = 20, K = ${t.K}: dV/deta = ${t.dEta.toExponential(6)}`);
    expect(out).toContain(`T = 20, K = 20: dV/deta = ${facts.hyper.truncation.full.toExponential(6)}`);
  });

  it('demo:maml-quadratic: the meta-gradient two ways, and each method ends at its closed-form fixed point', () => {
    const out = demo('demo:maml-quadratic', 'maml-quadratic.ts');
    const m = facts.maml;
    const lines = out.trim().split('\n');
    expect(numbers(lines[1]).slice(0, 2)).toEqual(numbers(lines[0]).slice(2, 4)); // same gradient, HVP form
    const rows: [string, number[], number][] = [
      ['MAML', m.closedForm.maml, m.metaLossAt.maml],
      ['first-order MAML', m.closedForm.firstOrder, m.metaLossAt.firstOrder],
      ['Reptile', m.closedForm.reptile, m.metaLossAt.reptile],
    ];
    for (const [name, theta, loss] of rows) {
      const line = lines.find((l) => l.startsWith(`${name}: theta`))!;
      expect(line, out).toBeDefined();
      const [t0, t1, l] = numbers(line);
      expect(Math.abs(t0 - theta[0])).toBeLessThan(1e-8);
      expect(Math.abs(t1 - theta[1])).toBeLessThan(1e-8);
      expect(l).toBe(Number(loss.toFixed(10)));
    }
  });

  it('demo:maml-sine: after one step MAML beats first-order MAML and Reptile; after five Reptile is best; the untrained net gets worse', () => {
    const src = readFileSync(resolve(chapter, 'maml-sine.ts'), 'utf8');
    // The settings the prose states.
    expect(src).toContain('const alpha = 0.05;');
    expect(src).toContain('metaTrain(kind, 500)');
    expect(src).toContain('Array.from({ length: 10 }');
    const out = demo('demo:maml-sine', 'maml-sine.ts');
    const row = (name: string) => {
      const m = new RegExp(String.raw`${name}: validation loss ${num} before adapting, ${num} after one step, ${num} after five`).exec(out);
      expect(m, out).not.toBeNull();
      return m!.slice(1, 4).map(Number);
    };
    const [untrained, maml, fomaml, reptile] = ['untrained', 'maml', 'fomaml', 'reptile'].map(row);
    expect(untrained[1]).toBeGreaterThan(untrained[0]);
    expect(maml[1]).toBeLessThan(fomaml[1]);
    expect(maml[1]).toBeLessThan(reptile[1]);
    expect(maml[1]).toBeLessThan(maml[0]);
    expect(reptile[2]).toBeLessThan(Math.min(maml[2], fomaml[2]));
  }, 120_000);

  it('demo:implicit-ridge: closed form, CG on HVPs (facts: implicitGrad) and long unrolls agree; short unrolls do not', () => {
    const out = demo('demo:implicit-ridge', 'implicit-ridge.ts');
    const r = facts.ridge;
    expect(out).toContain(`closed form dV/dlambda: ${r.closed.dVdLam.toFixed(12)}`);
    expect(out).toContain(`implicit dV/dlambda: ${r.implicit.dVdLam.toFixed(12)} (${r.implicit.iterations} CG iterations)`);
    for (const u of r.unrolled) expect(out).toContain(`unrolled, T = ${u.T}: ${u.dVdLam.toFixed(12)}`);
  });

  it('demo:gauss-newton: Gv is J\'Jv/k, vᵀGv = ‖Jv‖²/k ≥ 0, and vᵀHv differs', () => {
    const out = demo('demo:gauss-newton', 'gauss-newton.ts');
    const g = facts.gaussNewton;
    expect(out).toContain(`v'Gv = ${g.vGv.toFixed(10)}, v'Hv = ${g.vHv.toFixed(10)}`);
    expect(out).toContain(`|Jv|^2 / k = ${g.vGv.toFixed(10)}`);
    const m = /max \|Gv - J'Jv\/k\| = (\S+)/.exec(out);
    expect(Number(m![1])).toBeLessThan(1e-12);
  });

  it('demo:pitfalls: without createGraph the meta-gradient silently becomes first-order MAML; the functional API needs an explicit detach', () => {
    const out = demo('demo:pitfalls', 'pitfalls.ts');
    const line = (prefix: string) => out.split('\n').find((l) => l.startsWith(prefix))!;
    const full = numbers(line('inner gradient with a graph'));
    const silent = numbers(line('inner gradient without a graph'));
    expect(full).not.toEqual(silent);
    expect(out).toContain(`grad(meta) = [${line('inner gradient with a graph').split('[')[1].split(']')[0]}]`);
    expect(out).toContain(`with detach: [${line('inner gradient without a graph').split('[')[1].split(']')[0]}]`);
    expect(out).toContain('error: grad: element 0 of outputs does not require grad');
  });
});

describe('chapter 17\'s code exercises', () => {
  it('the exercises run as given and print NaN where the reader has work to do', () => {
    expect(run('exercise-blowup.ts')).toContain('closed form NaN');
    expect(run('exercise-third-derivative.ts')).toContain('by nested jvp: NaN');
  });

  it('demo:exercise-blowup: the closed form −T∇V(x_T)ᵀ(I − ηA)^(T−1)g₀ matches the unrolled hypergradient on both sides of 2/λmax', () => {
    const out = demo('demo:exercise-blowup', 'exercise-blowup.solution.ts');
    const rows = [...out.matchAll(new RegExp(String.raw`eta = (0\.3|0\.4), T = (\d+): unrolled ${num}, closed form ${num}`, 'g'))];
    expect(rows.length).toBe(6);
    for (const m of rows) expect(m[3]).toBe(m[4]);
    const at = (eta: string, T: string) => Math.abs(Number(rows.find((m) => m[1] === eta && m[2] === T)![3]));
    expect(at('0.3', '40')).toBeLessThan(at('0.3', '10'));
    expect(at('0.4', '40')).toBeGreaterThan(1e4 * at('0.4', '10'));
  });

  it('demo:exercise-third-derivative: the stencil\'s error falls as h² and then rises with round-off', () => {
    const out = demo('demo:exercise-third-derivative', 'exercise-third-derivative.solution.ts');
    const errs = [...out.matchAll(new RegExp(String.raw`h = (\S+): finite difference ${num}, relative error ${num}`, 'g'))].map((m) => Number(m[3]));
    expect(errs.length).toBe(4);
    expect(errs[0] / errs[1]).toBeGreaterThan(50); // h²: a hundredfold per decade
    expect(errs[2]).toBeLessThan(errs[1]);
    expect(errs[3]).toBeGreaterThan(errs[2]); // round-off ~ ε/h³ takes over
  });
});
