import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { ridgeClosedForm, ridgeImplicit, ridgeLambdaMax, ridgeUnrolled } from '../../../src/content/chapters/calc-17-higher-order-gradients/ridge.ts';
import { decodeState, encodeState } from '../../../src/lib/figures/fields.ts';
import { drawnSteps, ERROR_CAP, errorSeries, implicitDefaults, implicitFigure, implicitSchema, type ImplicitState } from '../../../src/lib/figures/implicitFigure.ts';
import { implicitModel, RIDGE_N, RIDGE_T_MAX, ridgeSpectrum, unrolledHypergradients, unrolledRecursion } from '../../../src/lib/figures/implicitModel.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';

const doc = () => new JSDOM('').window.document;
const decode = (hash: string) => decodeState(hash, 'implicit', implicitSchema, implicitDefaults);

describe('implicit-vs-unrolled figure: state in the URL hash', () => {
  it('round-trips every field and writes only what differs from the defaults', () => {
    const s: ImplicitState = { loglam: -1.5, eta: 0.12, T: 37, k: 3 };
    const hash = encodeState('#hyper.v=1&hyper.T=9', 'implicit', implicitSchema, s, implicitDefaults);
    expect(hash).toBe('#hyper.v=1&hyper.T=9&implicit.v=1&implicit.loglam=-1.5&implicit.eta=0.12&implicit.T=37&implicit.k=3');
    expect(decode(hash)).toEqual({ state: s, notice: null });
    expect(encodeState('', 'implicit', implicitSchema, implicitDefaults, implicitDefaults)).toBe('');
  });
  it('ignores a bad link as a whole and says what was wrong', () => {
    for (const [hash, says] of [
      ['#implicit.k=5', `Marked CG iterations k: enter a number from 1 to ${RIDGE_N}`],
      ['#implicit.T=0', `Marked T: enter a number from 1 to ${RIDGE_T_MAX}`],
      ['#implicit.loglam=NaN', 'Ridge penalty log₁₀ λ: “NaN” is not a number'],
      ['#implicit.eta=0', 'Unrolled step η: enter a number from 0.005 to 0.2'],
      ['#implicit.constructor=1', 'unknown setting “constructor”'],
    ]) {
      const r = decode(hash);
      expect(r.state).toEqual(implicitDefaults);
      expect(r.notice).toContain(says);
    }
  });
});

describe('implicit-vs-unrolled figure: numbers', () => {
  it('takes the unrolled hypergradient for every T in one forward pass, equal to reverse mode through T steps', () => {
    const all = unrolledHypergradients(1, 0.08, 40);
    expect(all).toHaveLength(41);
    expect(all[0]).toBe(0); // x₀ = 0 does not depend on λ
    for (const T of [1, 10, 40]) expect(all[T]).toBeCloseTo(ridgeUnrolled(1, { eta: 0.08, steps: T }), 12);
  });
  it('draws the forward-mode recursion over numbers, which equals the library’s jvp through unroll at every T', () => {
    for (const [lam, eta, T] of [[1, 0.08, RIDGE_T_MAX], [0.01, 0.15, 60], [10, 0.15, 40]]) {
      const lib = unrolledHypergradients(lam, eta, T);
      const fast = unrolledRecursion(lam, eta, T);
      expect(fast).toHaveLength(T + 1);
      fast.forEach((v, t) => expect(Math.abs(v - lib[t])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(lib[t]))));
    }
    expect(implicitModel(1, 0.08).unrolled).toEqual(unrolledRecursion(1, 0.08, RIDGE_T_MAX));
    // And reverse mode through T steps (the chapter's ridgeUnrolled) at a few T.
    const fast = unrolledRecursion(0.3, 0.1, 50);
    for (const T of [3, 50]) expect(fast[T]).toBeCloseTo(ridgeUnrolled(0.3, { eta: 0.1, steps: T }), 11);
  });
  it('compares with the closed form, and implicitGrad with k CG iterations', () => {
    const m = implicitModel(1, 0.08);
    expect(m.exact).toBe(ridgeClosedForm(1).dVdLam);
    expect(m.implicit.map((r) => r.value)).toEqual([1, 2, 3, 4].map((k) => ridgeImplicit(1, k).dVdLam));
    expect(m.unrolled).toHaveLength(RIDGE_T_MAX + 1);
    expect(m.limit).toBeCloseTo(2 / ridgeLambdaMax(1), 12);
  });
  it('errors fall with k as CG theory says: exact after n iterations, none before', () => {
    for (const lam of [0.01, 1, 10]) {
      const m = implicitModel(lam, 0.05);
      const err = m.implicit.map((r) => Math.abs(r.value - m.exact));
      expect(err[RIDGE_N - 1]).toBeLessThan(1e-13 * Math.abs(m.exact) + 1e-15);
      for (let k = 0; k < RIDGE_N - 1; k++) expect(err[k]).toBeGreaterThan(1e-8);
      expect(m.implicit[RIDGE_N - 1].reason).toBe('converged');
    }
  });
  it('errors fall with T like T·ρᵀ, ρ = max |1 − ηλᵢ| over the eigenvalues of XᵀX + λI', () => {
    for (const [lam, eta] of [[1, 0.08], [0.1, 0.05], [3, 0.12]]) {
      const m = implicitModel(lam, eta);
      const spec = ridgeSpectrum(lam);
      expect(spec[spec.length - 1]).toBeCloseTo(ridgeLambdaMax(lam), 10);
      expect(m.rate).toBe(Math.max(...spec.map((l) => Math.abs(1 - eta * l))));
      const e = (T: number) => Math.abs(m.unrolled[T] - m.exact);
      // The slowest mode bounds the decay: from T = 40 on, never slower than T·ρᵀ (faster modes only help).
      for (const b of [80, 120, 200]) expect(e(b)).toBeLessThanOrEqual(3 * (b / 40) * m.rate ** (b - 40) * e(40) + 1e-15);
      expect(e(200)).toBeLessThan(1e-3 * e(1));
    }
    // Where the slowest mode is well separated (λ = 1, η = 0.08: 0.834 against 0.797), the decay is that rate.
    const m = implicitModel(1, 0.08);
    const ratio = Math.abs(m.unrolled[120] - m.exact) / Math.abs(m.unrolled[60] - m.exact);
    const predicted = 2 * m.rate ** 60;
    expect(ratio).toBeGreaterThan(predicted / 2);
    expect(ratio).toBeLessThan(predicted * 2);
  });
  it('past 2/λmax the unrolled errors explode and are drawn on the cap, with a warning', () => {
    const lam = 10;
    const eta = 0.15;
    const m = implicitModel(lam, eta);
    expect(eta).toBeGreaterThan(m.limit);
    const s = errorSeries(m);
    expect(s.unrolled.some((p) => p.capped)).toBe(true);
    expect(Math.max(...s.unrolled.map((p) => p.e))).toBe(ERROR_CAP);
    const v = implicitFigure.view({ ...implicitDefaults, loglam: 1, eta }, doc());
    expect(v.status).toContain('the unrolled steps diverge');
    expect(v.charts[0].querySelectorAll('.fig-cap line')).toHaveLength(1);
  });
});

describe('implicit-vs-unrolled figure: view', () => {
  it('renders a static SVG with both series, the marked T and k, and labels; status and table from the model', () => {
    const parts = staticFigure(implicitFigure, doc());
    expect(parts.charts).toHaveLength(1);
    const d = doc();
    d.body.innerHTML = parts.charts[0];
    const svg = d.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelectorAll('.fig-unrolled path')).toHaveLength(1);
    expect(svg.querySelectorAll('.fig-implicit path')).toHaveLength(1);
    expect(svg.querySelectorAll('.fig-marked-T circle')).toHaveLength(1);
    expect(svg.querySelectorAll('.fig-marked-k path')).toHaveLength(1);
    expect(svg.querySelector('.fig-label-unrolled')!.textContent).toBe('unrolled');
    expect(svg.querySelector('.fig-label-implicit')!.textContent).toBe('implicit (CG)');
    expect(parts.charts[0]).not.toMatch(/#[0-9a-f]{3,6}\b/i);
    const m = implicitModel(1, 0.08);
    expect(parts.status).toContain(`Unrolled, T = 100</b>`);
    expect(parts.status).toContain('CG stops after 4 (converged)');
    expect(parts.table).toContain('implicit, k = 4');
    expect(parts.table).toContain('unrolled, T = 200');
    expect(parts.status).toContain(`ρ = max |1 − ηλᵢ| = ${m.rate.toFixed(4)}`);
    console.log(`figure 10 static SVG: ${parts.charts[0].length} bytes`);
  });
  it('draws the unrolled line through every T to 30, then thinner, always to the last', () => {
    const t = drawnSteps(200);
    expect(t.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(t[t.length - 1]).toBe(200);
    expect(t.length).toBeLessThan(90);
    expect(drawnSteps(7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(drawnSteps(63).slice(-3)).toEqual([58, 60, 63]);
  });
  it('draws at a measured width, and every tick it draws has a label', () => {
    const v = implicitFigure.view(implicitDefaults, doc(), { sizes: [{ width: 302, height: 194 }] });
    expect(v.charts[0].getAttribute('width')).toBe('302');
    for (const loglam of [-2, 0, 1])
      for (const size of [undefined, { width: 302, height: 194 }]) {
        const svg = implicitFigure.view({ ...implicitDefaults, loglam }, doc(), { sizes: [size] }).charts[0];
        const labels = Array.from(svg.querySelectorAll('g[font-variant="tabular-nums"] text'), (t) => t.textContent);
        expect(labels.length).toBeGreaterThan(6);
        expect(labels).not.toContain('');
        expect(labels).toEqual(expect.arrayContaining(['1', '10', '100', '200']));
      }
  });
});
