import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { analyzeQuadratic } from '../../../src/lib/figures/quadratic.ts';
import { eigenArrows, eigenText, quadraticCaption, quadraticDefaults, quadraticFigure, quadraticWindow } from '../../../src/lib/figures/quadraticFigure.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';
import { fmt, surdPair } from '../../../src/lib/figures/format.ts';
import { roundNumbers } from '../../../src/lib/figures/roundSvg.ts';
import { CHART, NARROW_WIDTH } from '../../../src/lib/figures/chart.ts';

const doc = () => new JSDOM('').window.document;

describe('the quadratic', () => {
  const q = analyzeQuadratic([5, 1, 1, 3], [-4, 2]);
  it('has eigenvalues 4 ± √2 with orthonormal eigenvectors', () => {
    expect(q.values[0]).toBeCloseTo(4 - Math.SQRT2, 14);
    expect(q.values[1]).toBeCloseTo(4 + Math.SQRT2, 14);
    for (const i of [0, 1]) {
      const v = [q.vectors[i], q.vectors[2 + i]];
      const Av = [5 * v[0] + v[1], v[0] + 3 * v[1]];
      expect(Av[0]).toBeCloseTo(q.values[i] * v[0], 12);
      expect(Av[1]).toBeCloseTo(q.values[i] * v[1], 12);
      expect(Math.hypot(v[0], v[1])).toBeCloseTo(1, 14);
    }
    expect(eigenText(q)).toBe('4 ± √2, that is λ₁ = 2.586 and λ₂ = 5.414');
  });
  it('has its minimum at x* = −A⁻¹b = (1, −1), f* = −3', () => {
    expect(q.curvature).toBe('positive-definite');
    expect(q.xStar![0]).toBeCloseTo(1, 14);
    expect(q.xStar![1]).toBeCloseTo(-1, 14);
    expect(q.fStar).toBeCloseTo(-3, 14);
  });
  it('uses the symmetric part of a non-symmetric A and says so', () => {
    const n = analyzeQuadratic([5, 3, -1, 3], [-4, 2]);
    expect(Array.from(n.H)).toEqual([5, 1, 1, 3]);
    expect(n.symmetric).toBe(false);
    expect(quadraticCaption(n)).toContain('H = (A + Aᵀ)/2 = [[5, 1], [1, 3]]');
  });
  it('classifies saddles, domes and singular matrices', () => {
    expect(analyzeQuadratic([1, 0, 0, -2], [0, 0]).curvature).toBe('indefinite');
    expect(analyzeQuadratic([-1, 0, 0, -2], [0, 0]).curvature).toBe('negative-definite');
    const s = analyzeQuadratic([1, 1, 1, 1], [1, 0]);
    expect(s.curvature).toBe('singular');
    expect(s.xStar).toBeNull();
    expect(analyzeQuadratic([0, 0, 0, 0], [0, 0]).curvature).toBe('singular');
  });
  it('draws eigenvector arrows along the eigenvectors, the gentle direction longer', () => {
    const arrows = eigenArrows(q, quadraticWindow(q));
    for (const a of arrows) {
      const dx = a.x2 - a.x1;
      const dy = a.y2 - a.y1;
      const Av = [5 * dx + dy, dx + 3 * dy];
      expect(Av[0] * dy - Av[1] * dx).toBeCloseTo(0, 10); // A·d ∥ d
    }
    expect(Math.hypot(arrows[0].x2 - arrows[0].x1, arrows[0].y2 - arrows[0].y1)).toBeGreaterThan(Math.hypot(arrows[1].x2 - arrows[1].x1, arrows[1].y2 - arrows[1].y1));
  });
});

describe('formatting', () => {
  it('formats with Unicode minus and short exponents', () => {
    expect(fmt(-3)).toBe('−3');
    expect(fmt(2.58578643)).toBe('2.586');
    expect(fmt(1.5e-9)).toBe('1.5e−9');
    expect(fmt(NaN)).toBe('NaN');
    expect(surdPair(5, 1, 3)).toBe('4 ± √2');
    expect(surdPair(2, 0, 2)).toBe('2');
    expect(surdPair(1.1, 0.3, 2)).toBeNull();
    expect(roundNumbers('M1.2345,-0.04L3e-7,12')).toBe('M1.2,0L0,12');
  });
});

describe('figure 1 static SVG', () => {
  const parts = staticFigure(quadraticFigure, doc());
  const svg = new JSDOM(parts.charts[0]).window.document.querySelector('svg')!;
  it('is an image with an accessible name bound to the numbers', () => {
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toContain('eigenvalues 2.586 and 5.414');
    expect(svg.getAttribute('aria-label')).toContain('(1, −1)');
  });
  it('marks the optimum at x* = (1, −1), the centre of the window', () => {
    const dot = svg.querySelector('.fig-optimum circle, g.fig-optimum circle, circle')!;
    const cx = Number(dot.getAttribute('cx') ?? dot.getAttribute('transform')?.match(/translate\(([^,]+)/)?.[1]);
    const cy = Number(dot.getAttribute('cy') ?? dot.getAttribute('transform')?.match(/,([^)]+)\)/)?.[1]);
    // The static chart is drawn at the phone size; the margins are the chart's usual ones.
    const width = Number(svg.getAttribute('width'));
    const height = Number(svg.getAttribute('height'));
    expect(width).toBe(NARROW_WIDTH);
    const midX = CHART.marginLeft + (width - CHART.marginLeft - CHART.marginRight) / 2;
    const midY = CHART.marginTop + (height - CHART.marginTop - CHART.marginBottom) / 2;
    expect(Math.abs(cx - midX)).toBeLessThan(0.2);
    expect(Math.abs(cy - midY)).toBeLessThan(0.2);
    expect(svg.textContent).toContain('x* (minimum)');
    expect(svg.textContent).toContain('λ₁ = 2.586');
    expect(svg.textContent).toContain('λ₂ = 5.414');
  });
  it('uses theme colours only and stays small', () => {
    expect(parts.charts[0]).not.toMatch(/fill="(#|rgb|white|black)|stroke="(#|rgb|white|black)/);
    expect(parts.charts[0].length).toBeLessThan(30_000);
    console.log(`figure 1 static SVG: ${parts.charts[0].length} bytes`);
  });
  it('renders the controls with the default state, and a data table', () => {
    expect(parts.controls).toContain('name="a11" value="5"');
    expect(parts.controls).toContain('name="b1" value="-4"');
    expect(parts.table).toContain('<table>');
    expect(parts.caption).toContain('x* = −H⁻¹b = (1, −1)');
  });
  it('keeps rendering for a saddle, a dome, a singular and a far-away optimum', () => {
    for (const patch of [{ a22: -3 }, { a11: -5, a22: -3 }, { a11: 1, a12: 1, a21: 1, a22: 1 }, { b1: -50, a11: 0.5, a12: 0, a21: 0 }]) {
      const v = quadraticFigure.view({ ...quadraticDefaults, ...patch }, doc());
      expect(v.charts[0].tagName.toLowerCase()).toBe('svg');
      expect(v.caption.length).toBeGreaterThan(50);
    }
  });
});

describe('what the eigenvector arrows mean', () => {
  const caption = (patch: Record<string, number>) => quadraticFigure.view({ ...quadraticDefaults, ...patch }, new JSDOM('').window.document).caption;
  it('says the lengths are ∝ 1/√|λ| when both are drawn to scale', () => {
    expect(caption({})).toContain('proportional to 1/√|λ|');
    expect(caption({})).not.toContain('minimum length');
  });
  it('says when an eigenvalue is 0 (no curvature) and how that arrow is drawn', () => {
    const c = caption({ a11: 0, a12: 0, a21: 0 });
    expect(c).toMatch(/λ₁ = 0 means no curvature/);
    expect(c).toContain('full length');
    expect(c).not.toContain('proportional to 1/√|λ|');
  });
  it('says when an arrow is drawn longer than its proportion (clamped)', () => {
    expect(caption({ a11: 60, a12: 0, a21: 0 })).toMatch(/The arrow for λ₂ is drawn at the minimum length 0\.6/);
  });
});
