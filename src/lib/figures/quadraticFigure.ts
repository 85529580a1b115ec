/** Figure 1: the quadratic f(x) = ½xᵀAx + bᵀx, its Hessian's eigenvectors and its stationary point. */
import * as Plot from '@observablehq/plot';
import { ACCENT, DANGER, INK } from './palette.ts';
import { anchorFrame, CHART, chartSize, clampToWindow, contourLayer, type ChartSize, finishSvg, withContours, windowAround, windowOptions, type Window } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtMatrix, fmtPoint, surdPair } from './format.ts';
import { analyzeProblem, curvatureText, problemDefaults, problemFields, quadValue, type ProblemState, type QuadraticAnalysis } from './quadratic.ts';

export const quadraticSchema = {
  ...problemFields,
} satisfies Schema;

export interface QuadraticState extends ProblemState {
  [k: string]: number;
}

export const quadraticDefaults: QuadraticState = { ...problemDefaults };

/** The view window: centred on x* when it is reasonably close, else on the origin. */
export function quadraticWindow(q: QuadraticAnalysis): Window {
  const c = q.xStar && Math.max(Math.abs(q.xStar[0]), Math.abs(q.xStar[1])) <= 20 ? q.xStar : [0, 0];
  return windowAround(c[0], c[1], 3);
}

export interface EigenArrow {
  /** 0 = smaller eigenvalue. */
  index: number;
  lambda: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The eigenvector arrows drawn from the centre: length ∝ 1/√|λ| (the semi-axes of a level set of a bowl), the longer
 * one 2 units; a zero eigenvalue gets the full length.
 */
export function eigenArrows(q: QuadraticAnalysis, w: Window): EigenArrow[] {
  const cx = (w.x[0] + w.x[1]) / 2;
  const cy = (w.y[0] + w.y[1]) / 2;
  const abs = [Math.abs(q.values[0]), Math.abs(q.values[1])];
  const minAbs = Math.min(...abs.filter((a) => a > 0), Infinity);
  return [0, 1].map((i) => {
    const len = abs[i] === 0 || !Number.isFinite(minAbs) ? 2 : 2 * Math.sqrt(minAbs / abs[i]);
    const L = Math.max(0.6, len);
    // Column i of the row-major vectors; orient it to point right (or up) for a stable picture.
    let vx = q.vectors[i];
    let vy = q.vectors[2 + i];
    if (vx < -1e-12 || (Math.abs(vx) <= 1e-12 && vy < 0)) {
      vx = -vx;
      vy = -vy;
    }
    return { index: i, lambda: q.values[i], x1: cx, y1: cy, x2: cx + L * vx, y2: cy + L * vy };
  });
}

const sub = ['₁', '₂'];

export function eigenText(q: QuadraticAnalysis): string {
  const closed = surdPair(q.H[0], q.H[1], q.H[3]);
  const nums = `λ₁ = ${fmt(q.values[0])} and λ₂ = ${fmt(q.values[1])}`;
  return closed && closed.includes('±') ? `${closed}, that is ${nums}` : nums;
}

export function quadraticChart(s: QuadraticState, document: Document, measured?: ChartSize): Element {
  const q = analyzeProblem(s);
  const size = chartSize(CHART, measured);
  const w = quadraticWindow(q);
  const arrows = eigenArrows(q, w);
  const star = q.xStar && q.xStar[0] >= w.x[0] && q.xStar[0] <= w.x[1] && q.xStar[1] >= w.y[0] && q.xStar[1] <= w.y[1] ? q.xStar : null;
  const starLabel = q.curvature === 'positive-definite' ? 'x* (minimum)' : q.curvature === 'negative-definite' ? 'x* (maximum)' : 'x* (saddle point)';
  const svg = Plot.plot({
    ...windowOptions(w, document, size),
    marks: [
      anchorFrame(),
      Plot.arrow(arrows, { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', stroke: ACCENT, strokeWidth: 2, headLength: 10 }),
      Plot.text(arrows, {
        x: 'x2',
        y: 'y2',
        text: (d: EigenArrow) => `λ${sub[d.index]} = ${fmt(d.lambda)}`,
        dy: -8,
        fill: INK,
        stroke: 'var(--bg)',
        strokeWidth: 3,
        paintOrder: 'stroke',
        fontWeight: 600,
      }),
      ...(star
        ? [
            Plot.dot([star], { x: (d: Float64Array) => d[0], y: (d: Float64Array) => d[1], r: 5, fill: q.curvature === 'positive-definite' ? INK : DANGER, stroke: 'var(--bg)', strokeWidth: 1.5, className: 'fig-optimum' }),
            Plot.text([star], { x: (d: Float64Array) => d[0], y: (d: Float64Array) => d[1], text: () => starLabel, dx: 8, dy: 12, textAnchor: 'start', fill: INK, stroke: 'var(--bg)', strokeWidth: 3, paintOrder: 'stroke' }),
          ]
        : []),
      ...(q.xStar && !star
        ? [Plot.text([clampToWindow(w, q.xStar[0], q.xStar[1])], { text: () => `x* ${fmtPoint(q.xStar!)} is outside the view`, fill: INK, frameAnchor: 'bottom', dy: -6 })]
        : []),
    ],
  });
  const layer = contourLayer(`quad:${Array.from(q.A)}:${Array.from(q.b)}`, (x, y) => quadValue(q.A, q.b, x, y), w, document, size);
  return finishSvg(withContours(svg, layer), quadraticLabel(q));
}

export function quadraticLabel(q: QuadraticAnalysis): string {
  const star = q.xStar ? `stationary point x* at ${fmtPoint(q.xStar)}` : 'no unique stationary point';
  return `Filled contours of f(x) = ½xᵀAx + bᵀx with the Hessian's eigenvectors drawn from the centre, eigenvalues ${fmt(q.values[0])} and ${fmt(q.values[1])}; ${star}.`;
}

export function quadraticCaption(q: QuadraticAnalysis): string {
  const parts: string[] = [];
  parts.push(`f(x) = ½xᵀAx + bᵀx with A = ${fmtMatrix(q.A)} and b = (${fmt(q.b[0])}, ${fmt(q.b[1])}).`);
  if (!q.symmetric)
    parts.push(
      `A is not symmetric. Only its symmetric part matters, since xᵀAx = xᵀ((A + Aᵀ)/2)x: the Hessian is H = (A + Aᵀ)/2 = ${fmtMatrix(q.H)}, and ∇f(x) = Hx + b.`,
    );
  else parts.push(`The Hessian is H = A.`);
  parts.push(`Its eigenvalues are ${eigenText(q)}: ${curvatureText(q)}.`);
  if (q.xStar) {
    const what = q.curvature === 'positive-definite' ? 'The minimum is' : 'The stationary point is';
    parts.push(`${what} x* = −H⁻¹b = ${fmtPoint(q.xStar, 3)}, where f(x*) = ${fmt(q.fStar)}.`);
  }
  parts.push('The arrows are the eigenvectors, with length proportional to 1/√|λ|: the long one is the direction of gentle curvature.');
  return esc(parts.join(' '));
}

export function quadraticStatus(q: QuadraticAnalysis): string {
  if (q.curvature === 'positive-definite') return '';
  return `<span class="fig-warn">${esc(curvatureText(q)[0].toUpperCase() + curvatureText(q).slice(1))}.</span>`;
}

export function quadraticTable(q: QuadraticAnalysis): string {
  const rows: string[][] = [
    ['H = (A + Aᵀ)/2', fmtMatrix(q.H)],
    ['λ₁, eigenvector', `${fmt(q.values[0])}, ${fmtPoint([q.vectors[0], q.vectors[2]], 3)}`],
    ['λ₂, eigenvector', `${fmt(q.values[1])}, ${fmtPoint([q.vectors[1], q.vectors[3]], 3)}`],
    ['curvature', q.curvature],
    ['x* = −H⁻¹b', q.xStar ? fmtPoint(q.xStar, 4) : 'none (H singular)'],
    ['f(x*)', q.xStar ? fmt(q.fStar, 4) : '—'],
  ];
  return tableHtml('The quadratic in numbers', ['quantity', 'value'], rows);
}

export const quadraticFigure: FigureDef<QuadraticState> = {
  ns: 'quad',
  title: 'The quadratic and its Hessian',
  schema: quadraticSchema,
  defaults: quadraticDefaults,
  groups: [
    ['Matrix A', ['a11', 'a12', 'a21', 'a22']],
    ['Vector b', ['b1', 'b2']],
  ],
  view(state, document, { sizes } = {}) {
    const q = analyzeProblem(state);
    return {
      charts: [quadraticChart(state, document, sizes?.[0])],
      caption: quadraticCaption(q),
      status: quadraticStatus(q),
      table: quadraticTable(q),
      windows: [quadraticWindow(q)],
    };
  },
};
