import { describe, expect, it } from 'vitest';
import { facts } from '../../src/content/chapters/calc-16-hessian-vector/facts.ts';
import { fmt, texNum, texVec } from '../../src/lib/site/formatNumber.ts';
import { loadPage } from '../support/dist.ts';

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
    expect(tex).toContain(`x^\\star = -A^{-1} b = ${texVec(facts.quadratic.xStar)}, \\qquad f^\\star = f(x^\\star) = ${texNum(facts.quadratic.fStar)}.`);
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

  it('states measured cost ratios (numbers produced at build time, not typed)', () => {
    expect(text).toMatch(/a gradient took \d+(\.\d+)? times as long as ; an HVP by double backward \d+(\.\d+)? times as long as the gradient, and by forward-over-reverse \d+(\.\d+)? times/);
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
