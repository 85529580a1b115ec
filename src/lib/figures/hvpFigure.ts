/** Figure 3: the HVP explorer — v and Hv at a point x, Hv four ways, and the finite-difference error against r. */
import * as Plot from '@observablehq/plot';
import { anchorFrame, AXIS_MARGINS, CHART_STYLE, CHART, chartSize, contourLayer, finishSvg, tickCount, tipLabels, windowAround, windowOptions, type ChartSize, type Window } from './chart.ts';
import { withContours } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { NumberField, Schema } from './fields.ts';
import { esc, fmt, fmtLogTick, fmtMatrix, fmtPoint, fmtPow10 } from './format.ts';
import { computeHvp, type HvpResults } from './hvpCompute.ts';
import { HVP_FUNCTIONS, hvpFunction, type HvpFunction } from './hvpFunctions.ts';
import { ACCENT, INK } from './palette.ts';
import { eigSym2 } from '../linalg/index.ts';

const coord = (label: string): NumberField => ({ kind: 'number', label, min: -5, max: 5, step: 0.1 });

export const hvpSchema = {
  fn: { kind: 'enum', label: 'Function', options: HVP_FUNCTIONS.map((f) => ({ value: f.id, label: f.label })) },
  x1: coord('x first coordinate'),
  x2: coord('x second coordinate'),
  v1: coord('v first coordinate'),
  v2: coord('v second coordinate'),
  logr: { kind: 'number', label: 'Finite-difference step log₁₀ r', min: -16, max: 0, step: 0.25, range: true },
} satisfies Schema;

export interface HvpState {
  [k: string]: number | string;
  fn: string;
  x1: number;
  x2: number;
  v1: number;
  v2: number;
  logr: number;
}

export const hvpDefaults: HvpState = { fn: 'rosen', x1: -0.5, x2: 0.5, v1: 1, v2: 0.5, logr: -5 };

/**
 * Where x may be for a function: its view window, shrunk to multiples of 0.1 (the arrow-key step), so the point and
 * its handle are always on the chart.
 */
export function hvpBounds(fn: HvpFunction): Window {
  const w = windowAround(fn.center[0], fn.center[1], fn.halfHeight);
  const inward = (lo: number, hi: number): [number, number] => [Math.ceil(lo * 10 - 1e-9) / 10, Math.floor(hi * 10 + 1e-9) / 10];
  return { x: inward(w.x[0], w.x[1]), y: inward(w.y[0], w.y[1]) };
}

export interface HvpModel {
  fn: HvpFunction;
  w: Window;
  /** x as used: the state's x moved into {@link hvpBounds} (the island does this before rendering, with a notice). */
  x: [number, number];
  /** v = 0: every method gives Hv = 0 and the finite-difference sweep is skipped. */
  zeroV: boolean;
  res: HvpResults;
  /** Display scale of Hv (1-2-5 sequence) so its arrow fits the window. */
  scale: number;
}

export function displayScale(len: number, target: number): number {
  if (!(len > target)) return 1;
  const steps = [5, 2, 1];
  let p = 10 ** Math.floor(Math.log10(target / len));
  for (const m of steps) if (m * p * len <= target) return m * p;
  p /= 10;
  return 5 * p;
}

export function hvpModel(s: HvpState): HvpModel {
  const fn = hvpFunction(s.fn);
  const w = windowAround(fn.center[0], fn.center[1], fn.halfHeight);
  const b = hvpBounds(fn);
  const x: [number, number] = [Math.min(b.x[1], Math.max(b.x[0], s.x1)), Math.min(b.y[1], Math.max(b.y[0], s.x2))];
  const res = computeHvp(fn, x, [s.v1, s.v2], 10 ** s.logr);
  const hv = res.forwardOverReverse;
  const scale = displayScale(Math.hypot(hv[0], hv[1]), fn.halfHeight * 0.9);
  return { fn, w, x, zeroV: res.sweep.length === 0, res, scale };
}

export function hvpChart(s: HvpState, m: HvpModel, document: Document, measured?: ChartSize): Element {
  const hv = m.res.forwardOverReverse;
  const [x1, x2] = m.x;
  const size = chartSize(CHART, measured);
  // Zero-length arrows (v = 0, or Hv = 0) are left out: there is no direction to draw.
  const arrows = [
    { name: 'v', x2: x1 + s.v1, y2: x2 + s.v2, color: ACCENT, label: 'v' },
    { name: 'Hv', x2: x1 + m.scale * hv[0], y2: x2 + m.scale * hv[1], color: 'var(--fig-sgd)', label: m.scale === 1 ? 'Hv' : `Hv ×${fmt(m.scale)}` },
  ].filter((a) => a.x2 !== x1 || a.y2 !== x2);
  const svg = Plot.plot({
    ...windowOptions(m.w, document, size),
    marks: [
      anchorFrame(),
      Plot.arrow(arrows, { x1: () => x1, y1: () => x2, x2: 'x2', y2: 'y2', stroke: 'color', strokeWidth: 2.5, headLength: 10, className: 'fig-arrow' }),
      ...tipLabels(
        arrows.map((a) => ({ ...a, x1, y1: x2 })),
        m.w,
        size,
        { fill: INK, stroke: 'var(--bg)', strokeWidth: 3, paintOrder: 'stroke', fontWeight: 600 },
      ),
      Plot.dot([[x1, x2]], { x: '0', y: '1', r: 4, fill: INK, className: 'fig-x' }),
    ],
  });
  const layer = contourLayer(`hvp:${m.fn.id}`, m.fn.value, m.w, document, size);
  const label = `Contours of ${m.fn.formula}; at x = ${fmtPoint(m.x)} the direction v = ${fmtPoint([s.v1, s.v2])} and the Hessian-vector product Hv = ${fmtPoint(hv, 3)}${m.scale === 1 ? '' : `, drawn at ${fmt(m.scale)} times its length`}.`;
  return finishSvg(withContours(svg, layer), label);
}

/** The error chart's natural size (the static SVG's). */
export const HVP_ERROR_CHART: ChartSize = { width: 560, height: 240 };

export const ZERO_V_TEXT = 'v = 0, so Hv = 0 for every method; choose a nonzero direction.';

export function errorChart(m: HvpModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(HVP_ERROR_CHART, measured);
  if (m.zeroV) {
    // Nothing to sweep: every difference quotient is exactly 0, like Hv. Say so instead of drawing a flat line.
    const svg = Plot.plot({
      document,
      width: size.width,
      height: size.height,
      margin: 12,
      style: CHART_STYLE,
      x: { axis: null, domain: [0, 1] },
      y: { axis: null, domain: [0, 1] },
      marks: [Plot.frame({ stroke: 'var(--border)' }), Plot.text([ZERO_V_TEXT], { x: 0.5, y: 0.5, text: (d: string) => d, fill: INK, lineWidth: Math.max(12, (size.width - 40) / 7), className: 'fig-zero-v' })],
    });
    return finishSvg(svg, `No finite-difference error to show: ${ZERO_V_TEXT}`);
  }
  const floor = 1e-17;
  const data = m.res.sweep.map((d) => ({ r: d.r, e: Math.max(floor, d.error) }));
  const chosen = { r: m.res.r, e: Math.max(floor, m.res.fdError) };
  const best = { r: m.res.best.r, e: Math.max(floor, m.res.best.error) };
  const lowest = Math.min(best.e, chosen.e);
  const highest = Math.max(...data.map((d) => d.e), chosen.e);
  const plotH = size.height - AXIS_MARGINS.marginTop - AXIS_MARGINS.marginBottom;
  const decades = Math.log10(highest / lowest);
  const roomDecades = Math.max(2, Math.ceil((28 * decades) / Math.max(1, plotH - 28)));
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 56,
    marginRight: 16,
    ...AXIS_MARGINS,
    style: CHART_STYLE,
    x: { type: 'log', domain: [1e-16, 1], label: 'step r →', tickFormat: fmtLogTick, ticks: tickCount(size.width - 72, 6) },
    // Room below the smallest error for its label (the V rises on both sides of it): k decades such that
    // k · plotH / (D + k) ≥ 28 px, where D decades are the data's range.
    y: { type: 'log', domain: [lowest / 10 ** roomDecades, highest], label: '↑ relative error', tickFormat: fmtLogTick, ticks: tickCount(plotH, 6) },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      Plot.line(data, { x: 'r', y: 'e', stroke: INK, strokeWidth: 1.5 }),
      Plot.dot([best], { x: 'r', y: 'e', r: 4, stroke: 'var(--fig-newton)', strokeWidth: 2, fill: 'none' }),
      Plot.text([best], { x: 'r', y: 'e', text: () => `smallest: r = ${fmt(best.r, 1)}`, dy: 9, lineAnchor: 'top', textAnchor: best.r >= 1e-3 ? 'end' : best.r <= 1e-13 ? 'start' : 'middle', fill: INK, stroke: 'var(--bg)', strokeWidth: 3, paintOrder: 'stroke' }),
      Plot.dot([chosen], { x: 'r', y: 'e', r: 5, fill: 'var(--fig-sgd)', className: 'fig-chosen' }),
    ],
  });
  const label = `Relative error of the central finite difference against r from 10⁻¹⁶ to 1, log-log; smallest error ${fmt(m.res.best.error, 2)} at r = ${fmt(m.res.best.r, 2)}; at the chosen r = ${fmt(m.res.r, 2)} it is ${fmt(m.res.fdError, 2)}.`;
  return finishSvg(svg, label);
}

const vec = (v: ArrayLike<number>) => `(${fmt(v[0], 10)}, ${fmt(v[1], 10)})`;

export function hvpStatus(m: HvpModel): string {
  const ref = m.res.forwardOverReverse;
  const diff = (v: ArrayLike<number>) => fmt(Math.hypot(v[0] - ref[0], v[1] - ref[1]), 2);
  const rows: [string, Float64Array, string][] = [
    ['Double backward (reverse-over-reverse)', m.res.reverseOverReverse, diff(m.res.reverseOverReverse)],
    ['Forward-over-reverse', ref, '0 (reference)'],
    ['Explicit H·v (dense Hessian)', m.res.explicit, diff(m.res.explicit)],
    [`Central difference, r = ${fmt(m.res.r, 2)}`, m.res.finiteDifference, diff(m.res.finiteDifference)],
  ];
  return tableHtml('Hv four ways at this x and v', ['method', 'Hv', '‖· − forward-over-reverse‖'], rows.map(([name, v, d]) => [name, vec(v), d]), 'fig-hvp-table');
}

/**
 * The curvature at x: H's eigenvalues, vᵀHv / ‖v‖² (the second derivative of f along v), and, where H is not
 * positive definite, why Newton's method fails there: its step −H⁻¹∇f aims at the stationary point of the local
 * quadratic model, which is then a saddle (or a maximum), not a minimum.
 */
export function curvatureHtml(m: HvpModel, v: readonly [number, number]): string {
  const H = m.res.H;
  const { values } = eigSym2(H[0], H[1], H[3]);
  const [l1, l2] = values;
  const kind = l1 > 0 ? 'positive definite' : l2 < 0 ? 'negative definite' : l1 < 0 && l2 > 0 ? 'indefinite' : 'singular';
  const eig = `H(x) has eigenvalues λ₁ = ${fmt(l1, 1)} and λ₂ = ${fmt(l2, 1)}: it is ${kind}.`;
  const vv = v[0] * v[0] + v[1] * v[1];
  const hv = m.res.forwardOverReverse;
  const along = vv > 0 ? (v[0] * hv[0] + v[1] * hv[1]) / vv : NaN;
  const curv =
    vv > 0 ? ` Along v the curvature is vᵀHv / ‖v‖² = ${fmt(along, 1)}${along < 0 ? ': f bends down along v' : along > 0 ? ': f bends up along v' : ''}.` : '';
  if (kind === 'positive definite') return `<p class="fig-curv">${esc(eig + curv)}</p>`;
  const g = m.res.grad;
  const det = H[0] * H[3] - H[1] * H[2];
  let newton = ' Newton’s method fails here: the local quadratic model has no minimum to step to.';
  if (det !== 0) {
    const p: [number, number] = [-(H[3] * g[0] - H[1] * g[1]) / det, -(-H[2] * g[0] + H[0] * g[1]) / det];
    const slope = g[0] * p[0] + g[1] * p[1];
    newton =
      ` Newton’s method fails here: its step −H⁻¹∇f = ${fmtPoint(p, 3)} aims at the quadratic model’s ${kind === 'negative definite' ? 'maximum' : 'saddle point'}, not a minimum` +
      `, and nothing makes it go downhill (here ∇fᵀp = ${fmt(slope, 3)}${slope < 0 ? ', downhill by luck' : ', uphill'}). Newton-CG stops at the first negative curvature it meets; a trust region or H + τI repairs the step.`;
  }
  return `<p class="fig-curv fig-warn">${esc(eig + curv + newton)}</p>`;
}

export function hvpStatusWithV(m: HvpModel, v: readonly [number, number]): string {
  return (m.zeroV ? `<p class="fig-warn">${esc(ZERO_V_TEXT)}</p>` : '') + curvatureHtml(m, v) + hvpStatus(m);
}

export function hvpTable(m: HvpModel): string {
  const rows: string[][] = [['H(x)', fmtMatrix(m.res.H, 4), '']];
  for (const d of m.res.sweep) {
    const power = fmtPow10(d.r);
    if (power) rows.push([`r = ${power}`, '', fmt(d.error, 2)]);
  }
  return tableHtml('The Hessian at x, and the finite-difference error at each power of ten', ['quantity', 'value', 'relative error'], rows);
}

export function hvpCaption(m: HvpModel): string {
  const quadratic = m.fn.id === 'quad';
  const intro = m.fn.note ? `${m.fn.formula}: ${m.fn.note}.` : `${m.fn.formula}.`;
  const errorText = m.zeroV
    ? 'With v = 0, Hv = 0 for every method and every finite difference is exactly 0 too, so there is no error curve; choose a nonzero direction.'
    : `The error curve falls as r shrinks (truncation error, ∝ r²) until round-off, ∝ ε/r, takes over below r = ${fmt(m.res.best.r, 1)}${
        quadratic ? '; for a quadratic the central difference has no truncation error at all, so only round-off remains' : ''
      }.`;
  const v = `${intro} ${quadratic ? 'On a quadratic, Hv = Av wherever x is; only v changes it.' : 'The Hessian changes from point to point, so Hv turns as x moves.'} ${errorText}`;
  return esc(v);
}

export const hvpFigure: FigureDef<HvpState> = {
  ns: 'hvp',
  title: 'The HVP explorer: Hv exactly, three ways, and by finite differences',
  schema: hvpSchema,
  defaults: hvpDefaults,
  groups: [
    ['Function', ['fn']],
    ['Point x', ['x1', 'x2']],
    ['Direction v', ['v1', 'v2']],
    ['Finite differences', ['logr']],
  ],
  handles: [
    { keys: ['x1', 'x2'], label: 'Point x', chart: 0, step: 0.1, coarse: 0.5 },
    { keys: ['x1', 'x2'], offsetKeys: ['v1', 'v2'], label: 'Tip of v', chart: 0, step: 0.1, coarse: 0.5 },
  ],
  bounds: (state) => hvpBounds(hvpFunction(state.fn)),
  presets: [
    // The point and direction of the text's finite-difference study, where Rosenbrock's Hessian is indefinite.
    { label: 'Go to the text’s indefinite point (−0.5, 0.8)', patch: { fn: 'rosen100', x1: -0.5, x2: 0.8, v1: 0.6, v2: -1 } },
  ],
  view(state, document, { sizes } = {}) {
    const m = hvpModel(state);
    return {
      charts: [hvpChart(state, m, document, sizes?.[0]), errorChart(m, document, sizes?.[1])],
      caption: hvpCaption(m),
      status: hvpStatusWithV(m, [state.v1, state.v2]),
      table: hvpTable(m),
      windows: [m.w],
    };
  },
};
