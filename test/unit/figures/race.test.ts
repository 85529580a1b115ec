import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { raceDefaults, raceFigure, raceModel, TRIALS_EXAMPLE } from '../../../src/lib/figures/raceFigure.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';
import { EVAL_TRIAL } from '../../../src/lib/optim/index.ts';

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
    // Only L-BFGS searches along its steps: its trials are exactly the trace's evaluations not taken.
    expect(by.newton.trials).toEqual([]);
    expect(by.sgd.trials).toEqual([]);
    const ev = by.lbfgs.trace!.evaluations;
    const notTaken = Array.from(ev.kind.subarray(0, ev.count)).filter((k) => k === EVAL_TRIAL).length;
    expect(by.lbfgs.trials).toHaveLength(notTaken);
    expect(by.lbfgs.trials.flat().every(Number.isFinite)).toBe(true);
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

/** Every number in the chart's geometry (path data, transforms, positions), as drawn. */
function geometryNumbers(svg: Element): number[] {
  const out: number[] = [];
  for (const el of [svg, ...Array.from(svg.querySelectorAll('*'))])
    for (const name of ['d', 'transform', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'points'])
      for (const m of el.getAttribute(name)?.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? []) out.push(Number(m));
  return out;
}

/** The translate(x, y) of an element and its ancestors up to the svg, summed. */
function translateOf(el: Element | null): [number, number] {
  let x = 0;
  let y = 0;
  for (; el && el.tagName.toLowerCase() !== 'svg'; el = el.parentElement) {
    const m = /translate\(\s*(-?[\d.e+-]+)[ ,]+(-?[\d.e+-]+)\s*\)/.exec(el.getAttribute('transform') ?? '');
    if (m) {
      x += Number(m[1]);
      y += Number(m[2]);
    }
  }
  return [x, y];
}

describe('the race off the chart', () => {
  it('draws a diverged run with window-sized coordinates and its marker and label on the chart', () => {
    const s = { ...raceDefaults, lr: 0.5 };
    const svg = raceFigure.view(s, doc()).charts[0];
    for (const n of geometryNumbers(svg)) expect(Math.abs(n)).toBeLessThan(2000);
    const label = Array.from(svg.querySelectorAll('.fig-diverged-label text')).find((t) => t.textContent === 'SGD diverged')!;
    expect(label).toBeTruthy();
    const [x, y] = translateOf(label);
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(560);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(440);
    // The cross sits at the edge of the plotting area, where the path leaves it.
    const [cx, cy] = translateOf(svg.querySelector('.fig-diverged path'));
    expect(cx).toBeGreaterThanOrEqual(40);
    expect(cx).toBeLessThanOrEqual(548);
    expect(cy).toBeGreaterThanOrEqual(12);
    expect(cy).toBeLessThanOrEqual(410);
  });
  it('draws saddles and domes, where runs head to 1e300, with finite window-sized coordinates', () => {
    for (const p of [{ a11: 1, a22: -1 }, { a11: -5, a22: -3 }, { a11: 1, a12: 0, a21: 0, a22: -1 }]) {
      const svg = raceFigure.view({ ...raceDefaults, ...p }, doc()).charts[0];
      const nums = geometryNumbers(svg);
      expect(nums.length).toBeGreaterThan(10);
      for (const n of nums) expect(Number.isFinite(n) && Math.abs(n) < 2000).toBe(true);
    }
  });
  it('labels the error chart of an unbounded f with readable ±10^k ticks', () => {
    const svg = raceFigure.view({ ...raceDefaults, a11: 1e-10 }, doc()).charts[1];
    const ticks = Array.from(svg.querySelectorAll('g[text-anchor="end"][font-variant="tabular-nums"] text')).map((t) => t.textContent!);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const t of ticks) expect(t).toMatch(/^(0|−?(1|10|1e\d+))$/);
    expect(ticks).toContain('0');
    expect(ticks.some((t) => t.startsWith('−1e'))).toBe(true);
  });
  it('never shows a negative error from round-off', () => {
    const s = { ...raceDefaults, lr: 0.2 };
    const v = raceFigure.view(s, doc());
    expect(v.status).toContain('f − f* ≈ 0 (round-off)');
    expect(v.status).not.toMatch(/f − f\* = −/);
    expect(v.table).not.toMatch(/<td>−\d[^<]*e−1\d<\/td>/);
  });
});

describe('the race caption on line-search trials', () => {
  it('says no trial was rejected in the default run and suggests a start that shows one', () => {
    const m = raceModel(raceDefaults);
    expect(m.trials.flat()).toHaveLength(0);
    const c = raceFigure.view(raceDefaults, doc()).caption;
    expect(c).toContain('accepted its first trial at every step');
    expect(c).toContain(`x₀ = (${String(TRIALS_EXAMPLE.x0).replace('-', '−')}, ${TRIALS_EXAMPLE.y0})`);
    expect(c).not.toContain('Small hollow circles are');
  });
  it('counts the trials drawn when there are some, e.g. from the suggested start', () => {
    const s = { ...raceDefaults, ...TRIALS_EXAMPLE };
    const m = raceModel(s);
    const n = m.trials.flat().length;
    expect(n).toBeGreaterThan(0);
    const v = raceFigure.view(s, doc());
    expect(v.caption).toMatch(/(Small hollow circles are the \d+ line-search trials|The small hollow circle is a line-search trial) that (was|were) evaluated but not taken/);
    expect(v.charts[0].querySelectorAll('.fig-trials-lbfgs circle, .fig-trials-lbfgs path').length).toBe(m.trials[1].length);
  });
  it('says there is no line search when L-BFGS takes unit steps', () => {
    expect(raceFigure.view({ ...raceDefaults, ls: false }, doc()).caption).toContain('no line-search trials to draw');
  });
});

describe('the race at a measured width', () => {
  it('draws both charts at the box size it is given', () => {
    const v = raceFigure.view(raceDefaults, doc(), { sizes: [{ width: 300, height: 236 }, { width: 300, height: 171 }] });
    expect(v.charts[0].getAttribute('width')).toBe('300');
    expect(v.charts[1].getAttribute('height')).toBe('171');
  });
});

describe('the race caption counts only the trials in view', () => {
  it('on a saddle, where most trials fly off, says how many lie outside', () => {
    const s = { ...raceDefaults, a22: -1, a11: 1 };
    const m = raceModel(s);
    const all = m.results.reduce((a, r) => a + r.trials.length, 0);
    const shown = m.trials.flat().length;
    expect(all).toBeGreaterThan(shown);
    expect(raceFigure.view(s, doc()).caption).toContain(`${all - shown} more lie outside the view`);
  });
});

describe('the race status says each thing once', () => {
  it('does not repeat the stop reason as a code after the sentence', () => {
    for (const patch of [{}, { lr: 0.5 }, { a11: 1, a22: -1 }, { ls: false }]) {
      const html = raceFigure.view({ ...raceDefaults, ...patch }, doc()).status;
      const d = doc();
      d.body.innerHTML = html;
      for (const li of Array.from(d.querySelectorAll('li'))) {
        const text = li.textContent!;
        expect(text, text).not.toMatch(/\((converged|max-iterations|max-evaluations|no-progress|line-search-failed|diverged|non-finite)\)/);
        for (const word of ['converged', 'diverged', 'iteration limit', 'stopped making progress']) expect(text.split(word).length - 1, text).toBeLessThanOrEqual(1);
      }
    }
  });
});
