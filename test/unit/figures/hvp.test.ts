import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/lib/autodiff/index.ts';
import { windowAround } from '../../../src/lib/figures/chart.ts';
import { clampHandles } from '../../../src/lib/figures/figure.ts';
import { HVP_FUNCTIONS, hvpFunction } from '../../../src/lib/figures/hvpFunctions.ts';
import { computeHvp } from '../../../src/lib/figures/hvpCompute.ts';
import { displayScale, hvpBounds, hvpDefaults, hvpFigure, hvpModel } from '../../../src/lib/figures/hvpFigure.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';

const doc = () => new JSDOM('').window.document;

describe('HVP explorer math', () => {
  it('has tensor and number versions of each function that agree', () => {
    for (const fn of HVP_FUNCTIONS)
      for (const [x, y] of [[0.3, -0.7], [-1.2, 2], [2, 0.1]]) expect(fn.f(tensor([x, y])).item()).toBeCloseTo(fn.value(x, y), 12);
  });
  it('agrees four ways with the closed-form Rosenbrock Hessian', () => {
    const fn = HVP_FUNCTIONS.find((f) => f.id === 'rosen')!;
    const r = computeHvp(fn, [-0.5, 0.5], [1, 0.5], 1e-5);
    // H = [[2 − 40(y − a²) + 80a², −40a], [−40a, 20]] at a = −0.5, y = 0.5: [[12, 20], [20, 20]].
    const exact = [12 * 1 + 20 * 0.5, 20 * 1 + 20 * 0.5];
    for (const v of [r.reverseOverReverse, r.forwardOverReverse, r.explicit]) {
      expect(v[0]).toBeCloseTo(exact[0], 12);
      expect(v[1]).toBeCloseTo(exact[1], 12);
    }
    expect(Array.from(r.H)).toEqual([12, 20, 20, 20]);
    expect(r.fdError).toBeLessThan(1e-8);
  });
  it('shows the V shape: large error at r = 1, small near 1e−5, large again at 1e−16', () => {
    const fn = HVP_FUNCTIONS.find((f) => f.id === 'wave')!;
    const r = computeHvp(fn, [0.4, -0.3], [1, 0.5], 1e-5);
    const at = (e: number) => r.sweep.find((s) => Math.abs(Math.log10(s.r) - e) < 1e-9)!.error;
    expect(at(0)).toBeGreaterThan(1e-3);
    expect(at(-16)).toBeGreaterThan(1e-3);
    expect(r.best.error).toBeLessThan(1e-8);
    expect(r.best.r).toBeGreaterThan(1e-8);
    expect(r.best.r).toBeLessThan(1e-2);
  });
  it('on the quadratic, Hv = Av at any x', () => {
    const fn = HVP_FUNCTIONS.find((f) => f.id === 'quad')!;
    for (const x of [[0, 0], [3, -2]] as [number, number][]) {
      const r = computeHvp(fn, x, [0.6, -1], 1e-3);
      expect(r.forwardOverReverse[0]).toBeCloseTo(2, 12);
      expect(r.forwardOverReverse[1]).toBeCloseTo(-2.4, 12);
    }
  });
  it('picks a 1-2-5 display scale that fits', () => {
    expect(displayScale(1, 2)).toBe(1);
    expect(displayScale(23.3, 1.5)).toBe(0.05);
    expect(displayScale(300, 2)).toBe(0.005);
  });
});

describe('HVP explorer view', () => {
  it('renders both charts, the four-way panel and the table, with numbers from the state', () => {
    const parts = staticFigure(hvpFigure, doc());
    expect(parts.charts).toHaveLength(2);
    expect(parts.charts[0]).toContain('Hv = (22, 30)');
    expect(parts.status).toContain('Double backward (reverse-over-reverse)');
    expect(parts.status).toContain('Central difference, r = 1e−5');
    expect(parts.table).toContain('r = 10⁻¹⁶');
    console.log(`figure 3 static SVGs: ${parts.charts.map((c) => c.length).join(' + ')} bytes`);
  });
  it('keeps working for every function and extreme r', () => {
    for (const fn of HVP_FUNCTIONS)
      for (const logr of [-16, 0]) {
        const v = hvpFigure.view({ ...hvpDefaults, fn: fn.id, logr, x1: 5, x2: -5 }, doc());
        expect(v.charts).toHaveLength(2);
      }
  });
});

describe('HVP explorer bounds, v = 0 and the gentler Rosenbrock', () => {
  it('keeps x inside each function’s view window, and says so when it moves it', () => {
    const rosen = hvpFunction('rosen');
    const w = windowAround(rosen.center[0], rosen.center[1], rosen.halfHeight);
    const b = hvpBounds(rosen);
    expect(b).toEqual({ x: [-2.2, 2.2], y: [-1, 2.5] });
    for (const fn of HVP_FUNCTIONS) {
      const bf = hvpBounds(fn);
      const wf = windowAround(fn.center[0], fn.center[1], fn.halfHeight);
      expect(bf.x[0]).toBeGreaterThanOrEqual(wf.x[0]);
      expect(bf.x[1]).toBeLessThanOrEqual(wf.x[1]);
      expect(bf.y[0]).toBeGreaterThanOrEqual(wf.y[0]);
      expect(bf.y[1]).toBeLessThanOrEqual(wf.y[1]);
    }
    const r = clampHandles(hvpFigure, { ...hvpDefaults, x1: 4, x2: 4 });
    expect([r.state.x1, r.state.x2]).toEqual([2.2, 2.5]);
    expect(r.notice).toContain('Point x (4, 4) is outside this view, so it was moved to (2.2, 2.5)');
    expect(clampHandles(hvpFigure, hvpDefaults)).toEqual({ state: hvpDefaults, notice: null });
    // The view itself draws x inside the window even for an out-of-range state (the static build, old links).
    const m = hvpModel({ ...hvpDefaults, x1: 5, x2: -5 });
    expect(m.x[0]).toBeLessThanOrEqual(w.x[1]);
    expect(m.x[1]).toBeGreaterThanOrEqual(w.y[0]);
  });
  it('with v = 0, says Hv = 0 for every method and skips the sweep', () => {
    const r = computeHvp(hvpFunction('rosen'), [-0.5, 0.5], [0, 0], 1e-5);
    expect(r.sweep).toEqual([]);
    const v = hvpFigure.view({ ...hvpDefaults, v1: 0, v2: 0 }, doc());
    expect(v.status).toContain('v = 0, so Hv = 0 for every method; choose a nonzero direction.');
    expect(v.charts[1].textContent).toContain('v = 0, so Hv = 0 for every method');
    expect(v.charts[1].textContent).not.toContain('smallest');
    expect(v.caption).not.toContain('takes over below');
    expect(v.caption).toContain('choose a nonzero direction');
  });
  it('says the Rosenbrock here uses 10 instead of the usual 100', () => {
    expect(hvpFigure.view(hvpDefaults, doc()).caption).toContain('a gentler Rosenbrock, with 10 instead of the usual 100');
  });
});

describe('HVP explorer data table', () => {
  it('labels every power of ten of the step by its value, never as r = 0', () => {
    const d = doc();
    d.body.innerHTML = hvpFigure.view(hvpDefaults, d).table;
    const labels = Array.from(d.querySelectorAll('tbody th')).map((th) => th.textContent!).filter((t) => t.startsWith('r ='));
    expect(labels).toHaveLength(17);
    expect(new Set(labels).size).toBe(17);
    expect(labels).not.toContain('r = 0');
    expect(labels).toContain('r = 10⁻³');
    expect(labels).toContain('r = 1');
    expect(labels).toContain('r = 10⁻¹⁶');
  });
});
