import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { raceDefaults, raceFigure, raceModel } from '../../../src/lib/figures/raceFigure.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';

const doc = () => new JSDOM('').window.document;

describe('the race', () => {
  it('runs all four methods with the chapter settings: Newton in one step, everyone converging', () => {
    const m = raceModel(raceDefaults);
    const by = Object.fromEntries(m.results.map((r) => [r.method, r]));
    expect(by.newton.trace!.iterations).toBe(1);
    expect(by.newton.finalError).toBeLessThan(1e-12);
    expect(by.lbfgs.finalError).toBeLessThan(1e-10);
    expect(by['newton-cg'].finalError).toBeLessThan(1e-12);
    expect(by.sgd.trace!.iterations).toBe(40);
    expect(by.sgd.finalError).toBeGreaterThan(0);
    expect(by.lbfgs.trials.length + by.newton.trials.length + by.sgd.trials.length).toBeGreaterThanOrEqual(0);
  });
  it('stops and marks a diverging learning rate', () => {
    const s = { ...raceDefaults, lr: 0.5 }; // > 2/λmax ≈ 0.369
    const m = raceModel(s);
    const sgd = m.results.find((r) => r.method === 'sgd')!;
    expect(sgd.trace!.reason).toBe('diverged');
    const v = raceFigure.view(s, doc());
    expect(v.charts[0].textContent).toContain('SGD diverged');
    expect(v.status).toMatch(/SGD<\/b>:.*diverged/);
  });
  it('explains what each method does on a saddle, from the trace', () => {
    const s = { ...raceDefaults, a22: -3 };
    const v = raceFigure.view(s, doc());
    expect(v.status).toContain('saddle');
    expect(v.status).toMatch(/Newton<\/b>:[^<]*<span[^>]*>[^<]*(not positive definite|unbounded)/);
    expect(v.charts).toHaveLength(2);
  });
  it('shows the Hessian of a non-symmetric A', () => {
    const v = raceFigure.view({ ...raceDefaults, a12: 3, a21: -1 }, doc());
    expect(v.status).toContain('H = (A + Aᵀ)/2 = [[5, 1], [1, 3]]');
  });
  it('renders a lean static SVG pair with the start point and optimum', () => {
    const parts = staticFigure(raceFigure, doc());
    expect(parts.charts).toHaveLength(2);
    expect(parts.charts[0]).toContain('fig-start');
    expect(parts.charts[0]).toContain('fig-optimum');
    for (const c of parts.charts) expect(c).toMatch(/role="img" aria-label="/);
    console.log(`figure 2 static SVGs: ${parts.charts.map((c) => c.length).join(' + ')} bytes`);
    expect(parts.charts[0].length + parts.charts[1].length).toBeLessThan(60_000);
  });
});
