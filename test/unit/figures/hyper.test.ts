import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { grad, tensor } from '../../../src/lib/autodiff/index.ts';
import { eigSym2 } from '../../../src/lib/linalg/index.ts';
import { hyperProblem, unrolledVal } from '../../../src/content/chapters/calc-17-higher-order-gradients/hyper.ts';
import { decodeState, encodeState } from '../../../src/lib/figures/fields.ts';
import { arrowMove, handleLabel, handlePoint } from '../../../src/lib/figures/handles.ts';
import { fmt } from '../../../src/lib/figures/format.ts';
import { hyperDefaults, hyperDomain, hyperFigure, hyperSchema, type HyperState } from '../../../src/lib/figures/hyperFigure.ts';
import { CURVE_SAMPLES, directValue, ETA_MAX, hyperCurve, hyperModel, tangentPoints } from '../../../src/lib/figures/hyperModel.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';

const doc = () => new JSDOM('').window.document;
const decode = (hash: string) => decodeState(hash, 'hyper', hyperSchema, hyperDefaults);

describe('hypergradient figure: state in the URL hash', () => {
  it('round-trips every field and writes only what differs from the defaults', () => {
    const s: HyperState = { eta: 0.385, T: 40, y: 'linear' };
    const hash = encodeState('#code-x=1', 'hyper', hyperSchema, s, hyperDefaults);
    expect(hash).toBe('#code-x=1&hyper.v=1&hyper.eta=0.385&hyper.T=40&hyper.y=linear');
    expect(decode(hash)).toEqual({ state: s, notice: null });
    expect(encodeState('', 'hyper', hyperSchema, hyperDefaults, hyperDefaults)).toBe('');
  });
  it('ignores a bad link as a whole and says what was wrong', () => {
    for (const [hash, says] of [
      ['#hyper.T=0', 'Unrolled steps T: enter a number from 1 to 100'],
      ['#hyper.T=2.5', 'Unrolled steps T: enter a whole number'],
      ['#hyper.eta=abc', 'Learning rate η: “abc” is not a number'],
      [`#hyper.eta=${ETA_MAX + 0.01}`, `Learning rate η: enter a number from 0 to ${ETA_MAX}`],
      ['#hyper.y=cubic', 'Loss axis: unknown choice “cubic”'],
      ['#hyper.speed=2', 'unknown setting “speed”'],
      ['#hyper.v=9&hyper.T=3', 'made for version 9'],
    ]) {
      const r = decode(hash);
      expect(r.state).toEqual(hyperDefaults);
      expect(r.notice).toContain(says);
    }
  });
});

describe('hypergradient figure: numbers', () => {
  it('draws the tangent with the library’s hypergradient, which a central difference of V confirms', () => {
    for (const [eta, T] of [[0.1, 5], [0.25, 20], [0.38, 10], [0.45, 60]]) {
      const m = hyperModel(eta, T);
      const V = unrolledVal({ steps: T });
      expect(m.slope).toBe(grad(V)(eta).item());
      const h = 1e-6;
      const central = (V(tensor(eta + h)).item() - V(tensor(eta - h)).item()) / (2 * h);
      expect(Math.abs(m.slope - central)).toBeLessThan(1e-5 * Math.max(1, Math.abs(m.slope)));
      expect(Math.abs(m.central.value - central)).toBeLessThan(1e-9 * Math.max(1, Math.abs(central)));
      expect(m.central.oneSided).toBe(false);
      // The tangent's points have slope dV/dη on a linear axis and d ln V/dη on a log axis.
      const lin = tangentPoints({ eta, value: m.value, slope: m.slope, half: 0.01, log: false, lo: -Infinity, hi: Infinity });
      expect((lin[lin.length - 1][1] - lin[0][1]) / (lin[lin.length - 1][0] - lin[0][0])).toBeCloseTo(m.slope, 6);
      const lg = tangentPoints({ eta, value: m.value, slope: m.slope, half: 0.01, log: true, lo: 0, hi: Infinity });
      const mid = lg[Math.floor(lg.length / 2)];
      expect(mid[0]).toBeCloseTo(eta, 12);
      expect(mid[1]).toBeCloseTo(m.value, 10);
      const dlog = (Math.log(lg[lg.length - 1][1]) - Math.log(lg[0][1])) / (lg[lg.length - 1][0] - lg[0][0]);
      expect(dlog).toBeCloseTo(m.slope / m.value, 6);
    }
  });
  it('samples the curve with a plain loop that equals the library’s unrolled value at every η', () => {
    for (const T of [1, 7, 100]) {
      const c = hyperCurve(T);
      expect(c.etas).toHaveLength(CURVE_SAMPLES + 1);
      expect(c.etas[CURVE_SAMPLES]).toBe(ETA_MAX);
      const V = unrolledVal({ steps: T });
      c.etas.forEach((e, i) => {
        const lib = V(tensor(e)).item();
        expect(Math.abs(c.values[i] - lib)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(lib)));
      });
    }
    // At η = 0 the check falls back to a forward difference (SGD takes no negative learning rate).
    const zero = hyperModel(0, 3);
    expect(zero.central.oneSided).toBe(true);
    expect(Math.abs(zero.central.value - zero.slope)).toBeLessThan(1e-4 * Math.max(1, Math.abs(zero.slope)));
    expect(hyperFigure.view({ ...hyperDefaults, eta: 0, T: 3 }, doc()).status).toContain('A forward difference of V');
    expect(directValue(0.3, 0)).toBe(unrolledVal({ steps: 0 })(tensor(0.3)).item());
  });
  it('puts the blow-up at 2/λmax of A, inside the η range, and V grows past it as T grows', () => {
    const [, lmax] = eigSym2(hyperProblem.A[0][0], hyperProblem.A[0][1], hyperProblem.A[1][1]).values;
    const m = hyperModel(0.1, 5);
    expect(m.limit).toBe(2 / lmax);
    expect(m.limit).toBeCloseTo(2 / (4 + Math.SQRT2), 14);
    expect(ETA_MAX).toBeGreaterThan(1.2 * m.limit);
    // Just past the limit V grows with T, just before it falls.
    const past = (T: number) => directValue(m.limit * 1.1, T);
    const before = (T: number) => directValue(m.limit * 0.9, T);
    expect(past(40)).toBeGreaterThan(100 * past(10));
    expect(before(40)).toBeLessThan(before(10));
    // The status explains which side the reader is on, with the computed limit.
    const over = hyperFigure.view({ ...hyperDefaults, eta: 0.42, T: 30 }, doc());
    expect(over.status).toContain('η is past 2/λmax = 0.3694');
    expect(over.status).toContain(`|1 − ηλmax| = ${fmt(Math.abs(1 - 0.42 * lmax), 4)}`);
    expect(Math.abs(1 - 0.42 * lmax)).toBeGreaterThan(1);
    expect(hyperFigure.view(hyperDefaults, doc()).status).toContain('η is below 2/λmax = 0.3694');
  });
  it('keeps the log window around every sample, and the linear one from 0', () => {
    const m = hyperModel(0.2, 100);
    const [lo, hi] = hyperDomain(m, true);
    expect(lo).toBeGreaterThan(0);
    for (const v of m.curve.values) {
      expect(v).toBeGreaterThan(lo);
      expect(v).toBeLessThan(hi);
    }
    expect(hi).toBeGreaterThan(1e30);
    expect(hyperDomain(m, false)).toEqual([0, 1.1 * m.curve.values[0]]);
  });
});

describe('hypergradient figure: handle and view', () => {
  const h = hyperFigure.handles![0];
  it('has one handle on the curve: it moves η only, with every arrow key, and sits at V(η)', () => {
    expect(h.keys).toEqual(['eta']);
    expect(handlePoint(h, hyperDefaults)).toEqual([0.1, directValue(0.1, 5)]);
    expect(arrowMove(h, 'ArrowUp', 0.005)).toEqual([0.005, 0]);
    expect(arrowMove(h, 'ArrowLeft', 0.005)).toEqual([-0.005, 0]);
    expect(arrowMove(h, 'ArrowDown', 0.02)).toEqual([-0.02, 0]);
    expect(arrowMove(h, 'Enter', 0.02)).toBeNull();
    expect(handleLabel(h, [0.1, 0.05])).toBe('Learning rate η at 0.1. Arrow keys move it by 0.005, Shift+arrow by 0.02.');
    // A point handle still moves in two dimensions.
    const point = { keys: ['a', 'b'] as const, label: 'P', chart: 0, step: 0.1, coarse: 0.5 };
    expect(arrowMove(point, 'ArrowUp', 0.1)).toEqual([0, 0.1]);
  });
  it('renders a static SVG with the curve, the tangent, the marked η and the labelled 2/λmax rule', () => {
    const parts = staticFigure(hyperFigure, doc());
    expect(parts.charts).toHaveLength(1);
    const d = doc();
    d.body.innerHTML = parts.charts[0];
    const svg = d.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toContain('2/λmax = 0.3694');
    expect(svg.querySelectorAll('.fig-curve path')).toHaveLength(1);
    expect(svg.querySelectorAll('.fig-tangent path')).toHaveLength(1);
    expect(svg.querySelectorAll('.fig-eta circle')).toHaveLength(1);
    expect(svg.querySelector('.fig-limit-label')!.textContent).toBe('2/λmax = 0.369');
    expect(svg.querySelectorAll('.fig-limit line')).toHaveLength(1);
    // Coordinates rounded to one decimal, theme colours only.
    const geometry = [...parts.charts[0].matchAll(/\s(?:d|x|y|x1|x2|y1|y2|cx|cy|width|height|transform)="([^"]*)"/g)].map((g) => g[1]);
    expect(geometry.length).toBeGreaterThan(20);
    for (const g of geometry) expect(g.replace(/[\d.]+em/g, '')).not.toMatch(/\d\.\d{2,}/);
    expect(parts.charts[0]).not.toMatch(/#[0-9a-f]{3,6}\b/i);
    expect(parts.status).toContain('dV/dη = <b>−0.724619</b>');
    expect(parts.table).toContain('2/λmax');
    console.log(`figure 8 static SVG: ${parts.charts[0].length} bytes`);
  });
  it('draws at a measured width and on a linear axis too, with no coordinate far outside the chart', () => {
    for (const s of [{ ...hyperDefaults, y: 'linear' }, { ...hyperDefaults, eta: 0.47, T: 100 }, { ...hyperDefaults, eta: 0, T: 1 }]) {
      const v = hyperFigure.view(s, doc(), { sizes: [{ width: 302, height: 194 }] });
      const svg = v.charts[0];
      expect(svg.getAttribute('width')).toBe('302');
      const labels = Array.from(svg.querySelectorAll('g[font-variant="tabular-nums"] text'), (t) => t.textContent);
      expect(labels.length).toBeGreaterThan(4);
      expect(labels).not.toContain('');
      const nums = (svg.querySelector('.fig-tangent path')?.getAttribute('d') ?? '').match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? [];
      for (const n of nums) expect(Math.abs(Number(n))).toBeLessThan(5000);
    }
  });
});
