import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facts } from '../../src/content/chapters/calc-16-hessian-vector/facts.ts';
import { fmt, texMatrix, texNum, texVec } from '../../src/lib/site/formatNumber.ts';
import { base, distDir, loadPage } from '../support/dist.ts';

const doc = loadPage('calc-16-hessian-vector/index.html');
/** The TeX source of every formula on the page, as KaTeX keeps it in the MathML annotation. */
const tex = [...doc.querySelectorAll('annotation[encoding="application/x-tex"]')].map((a) => a.textContent ?? '');
const text = (() => {
  const clone = doc.querySelector('article')!.cloneNode(true) as Element;
  for (const el of clone.querySelectorAll('.katex')) el.remove();
  return clone.textContent!.replace(/\s+/g, ' ');
})();

describe('chapter 16 as built: the numbers on the page are the library\'s', () => {
  it('states the minimiser, the minimum and the eigenvalues computed by the library', () => {
    expect(tex).toContain(`x^\\star = -A^{-1} b = ${texVec(facts.quadratic.xStar)}, \\quad f^\\star = ${texNum(facts.quadratic.fStar)}.`);
    expect(tex).toContain(`\\lambda_{\\min} = ${texNum(facts.quadratic.lambdaMin)}`);
    expect(tex).toContain(`\\lambda_{\\max} = ${texNum(facts.quadratic.lambdaMax)}`);
  });

  it('states Hv by both methods and the explicit product', () => {
    expect(tex).toContain(`Hv = ${texVec(facts.hvp.doubleBackward)}`);
    expect(tex).toContain(`Av = ${texVec(facts.hvp.direct)}`);
  });

  it('states where SGD and L-BFGS ended and what they cost', () => {
    expect(tex).toContain(texVec(facts.sgd.x, 7));
    expect(tex).toContain(texVec(facts.lbfgs.x, 8));
    expect(text).toContain(`In ${facts.lbfgs.iterations} steps and ${facts.lbfgs.evaluations} evaluations`);
    expect(text).toContain(`After ${facts.sgd.iterations} steps`);
    expect(text).toContain(`takes ${facts.newtonCg.iterations} outer step using ${facts.newtonCg.hvps} HVPs`);
  });

  it('states the median and range of the committed cost measurement, ours and PyTorch\'s', () => {
    const { cost } = facts;
    const range = (r: { median: number; min: number; max: number }) => `${fmt(r.median, 3)} times as long as the gradient (${fmt(r.min, 3)}–${fmt(r.max, 3)})`;
    expect(text).toContain(`an HVP by double backward ${range(cost.revOverGrad)}`);
    expect(text).toContain(`by forward-over-reverse ${fmt(cost.fwdOverGrad.median, 3)} times (${fmt(cost.fwdOverGrad.min, 3)}–${fmt(cost.fwdOverGrad.max, 3)})`);
    expect(text).toContain(`took ${fmt(cost.torch!.hvpOverGrad.median, 3)} gradients (${fmt(cost.torch!.hvpOverGrad.min, 3)}–${fmt(cost.torch!.hvpOverGrad.max, 3)})`);
    expect(text).toContain(`median of ${cost.repeats} interleaved repeats`);
    expect(text).toContain(`${cost.torch!.atenCalls.hvp} operator calls for one HVP against ${cost.torch!.atenCalls.grad} for one gradient`);
    expect(text).not.toMatch(/0\.67 times/);
  });

  it('computes a Hessian by hand at the indefinite point and states its eigenvalues, vᵀHv and what Newton does', () => {
    const c = facts.indefinite;
    expect(tex).toContain(`H = ${texMatrix(c.H)},`);
    expect(tex).toContain(`\\lambda_1 = ${texNum(c.lambda[0])}`);
    expect(tex).toContain(`\\lambda_2 = ${texNum(c.lambda[1])}`);
    expect(tex).toContain(`v^\\top H v / v^\\top v = ${texNum(c.curvatureAlongV)}`);
    expect(tex).toContain(`v^\\top H v = ${texNum(c.vHv)}`);
    expect(tex).toContain(`t = ${texNum(c.newton1d.t)}`);
    expect(tex).toContain(`\\tau = ${texNum(c.newtonRun.tau)}`);
    expect(text).toContain(`it reaches the minimum in ${c.newtonRun.iterations} iterations`);
  });

  it('works the R-operator through the gradient program, ending in the same Hv', () => {
    const rows = [...doc.querySelectorAll('table.r-table tbody tr')].filter((r) => r.querySelector('td'));
    expect(rows).toHaveLength(facts.rOperator.lines.length);
    expect([...doc.querySelectorAll('table.r-table th[scope="rowgroup"]')].map((h) => h.textContent)).toEqual(['inputs', 'forward pass', 'backward pass: the gradient']);
    expect(rows.at(-1)!.querySelectorAll('td')[3].textContent).toBe(fmt(facts.rOperator.hv[1]));
    expect(rows.at(-2)!.querySelectorAll('td')[3].textContent).toBe(fmt(facts.rOperator.hv[0]));
    const box = doc.querySelector('.r-table-scroll')!;
    expect(box.getAttribute('tabindex')).toBe('0');
    expect(box.getAttribute('aria-label')).toMatch(/^Gradient and R-values of f/);
    expect(box.classList.contains('scroll-x')).toBe(true);
    expect(tex).toContain(`Hv = ${texVec(facts.rOperator.hv)}`);
  });

  it('states the corrected finite-difference and conditioning claims from the facts', () => {
    expect(tex).toContain(`r = ${texNum(facts.finiteDifference.best.r, 1)}`);
    expect(tex).toContain(`r = ${texNum(facts.finiteDifference.hand.best.r, 1)}`);
    expect(tex).toContain(`\\sqrt{\\kappa} = ${texNum(facts.quadratic.axisRatio, 4)}`);
    expect(text).not.toContain('as ε^{1/3} predicts');
    expect(text).not.toMatch(/neither error/);
  });

  it('explains L-BFGS with numbers from the run: the secant pair, the first step, the exact-search comparison', () => {
    expect(tex).toContain(`y_0 = ${texVec(facts.lbfgs.secant.y)} = A s_0`);
    expect(tex).toContain(`y_0^\\top s_0 = ${texNum(facts.lbfgs.secant.ys)}`);
    expect(text).toContain(`run that way here it takes ${facts.bfgsExact.iterations}`);
    expect(text).toContain(`Why ${facts.lbfgs.iterations} steps on a two-dimensional quadratic?`);
  });

  it('shows a PyTorch twin under every listing, naming the PyTorch HVP APIs; each links to its emitted source', () => {
    const twins = [...doc.querySelectorAll('details.torch-listing')];
    const listings = [...doc.querySelectorAll('[data-island="live-code"]')].map((l) => l.getAttribute('data-listing')!);
    // Exercise 5's PyTorch twin is the one of the worked listing in its explanation (power-iteration).
    const solutions = [...doc.querySelectorAll('details[data-solution-for]:not([data-solution-for="exercise-power"])')].map((d) => `${d.getAttribute('data-solution-for')}-solution`);
    expect(twins.map((t) => t.getAttribute('data-torch-for')).sort()).toEqual([...listings.filter((id) => !id.startsWith('exercise-')), ...solutions].sort());
    for (const t of [...twins, ...doc.querySelectorAll('details[data-solution-for]')]) {
      const href = t.querySelector('a')!.getAttribute('href')!;
      expect(t.getAttribute('data-src')).toBe(href);
      const source = readFileSync(join(distDir, href.slice(base.length)), 'utf8');
      expect(source, href).toMatch(t.classList.contains('torch-listing') ? /^import torch$/m : /^import \{ .* \} from '\.\.\/\.\.\/\.\.\/lib\/autodiff\/index\.ts';$/m);
    }
    const notes = twins.map((t) => t.textContent).join('\n');
    expect(notes).toContain('torch.autograd.functional.hvp');
    expect(notes).toContain('torch.func.jvp(grad(f))');
    expect(listings).toEqual(expect.arrayContaining(['exercise-mlp-hvp', 'exercise-cg', 'exercise-power']));
    expect(doc.querySelector('[data-island="exercise"][data-exercise="exercise-power"] details[data-torch-for="power-iteration"]')).not.toBeNull();
    expect(text).toContain('torch.autograd.functional.hvp returns the same product');
    expect(text).toContain('torch.func.jvp(grad(f), (x,), (v,))');
  });

  it('keeps every TeX command\'s backslash (a template literal silently eats `\\l` in `\\lambda`)', () => {
    const bare = /(?<![\\a-zA-Z])(lambda|nabla|sqrt|star|times|infty|varepsilon|qquad|top|max|min|frac|begin|end|pm|approx)(?![a-zA-Z])/;
    expect(tex.filter((t) => bare.test(t))).toEqual([]);
  });

  it('leaves no number unformatted', () => {
    expect(text).not.toMatch(/NaN|undefined|\[object/);
    expect(text).toContain(fmt(facts.sgd.rate, 3));
  });
});
