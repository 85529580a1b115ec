/**
 * Figure 10 (chapter 17): the ridge problem's hypergradient dV/dλ by unrolling T gradient steps and by implicit
 * differentiation with k CG iterations, each against the closed form: the error against T and k on log axes.
 */
import * as Plot from '@observablehq/plot';
import { AXIS_MARGINS, CHART_STYLE, chartSize, finishSvg, tickCount, type ChartSize } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtLogTick } from './format.ts';
import { absError, implicitModel, RIDGE_N, RIDGE_T_MAX, type ImplicitModel } from './implicitModel.ts';
import { DANGER, INK } from './palette.ts';

export const implicitSchema = {
  loglam: { kind: 'number', label: 'Ridge penalty log₁₀ λ', min: -2, max: 1, step: 0.1, range: true },
  eta: { kind: 'number', label: 'Unrolled step η', min: 0.005, max: 0.2, step: 0.005, range: true },
  T: { kind: 'number', label: 'Marked T', min: 1, max: RIDGE_T_MAX, step: 1, integer: true },
  k: { kind: 'number', label: 'Marked CG iterations k', min: 1, max: RIDGE_N, step: 1, integer: true },
} satisfies Schema;

export interface ImplicitState {
  [k: string]: number;
  loglam: number;
  eta: number;
  T: number;
  k: number;
}

/** The chapter's setting: λ = 1, η = 0.08; T = 100 and k = 2 are among the numbers the text quotes. */
export const implicitDefaults: ImplicitState = { loglam: 0, eta: 0.08, T: 100, k: 2 };

export const IMPLICIT_CHART: ChartSize = { width: 560, height: 360 };

/** Errors below this fraction of |dV/dλ| (round-off, or exactly 0) are drawn at it. */
export const ERROR_FLOOR = 1e-16;
/** Errors above this are drawn on it (a diverged unroll reaches 1e136). */
export const ERROR_CAP = 1e12;

export interface ErrorPoint {
  x: number;
  e: number;
  value: number;
  capped: boolean;
}

/** The two series: unrolled error against T = 1 … RIDGE_T_MAX, implicit error against k = 1 … n, floored and capped. */
export function errorSeries(m: ImplicitModel): { unrolled: ErrorPoint[]; implicit: ErrorPoint[]; floor: number } {
  const floor = ERROR_FLOOR * Math.max(Math.abs(m.exact), 1e-300);
  const point = (x: number, value: number): ErrorPoint => {
    const raw = absError(value, m.exact);
    const capped = !(raw <= ERROR_CAP);
    return { x, value, e: capped ? ERROR_CAP : Math.max(floor, raw), capped };
  };
  return {
    unrolled: m.unrolled.slice(1).map((v, i) => point(i + 1, v)),
    implicit: m.implicit.map((r) => point(r.k, r.value)),
    floor,
  };
}

const lamOf = (s: ImplicitState) => 10 ** s.loglam;

/**
 * The steps T whose errors the line is drawn through: every T up to 30, then every 2nd to 60 and every 4th beyond
 * (on the log axis later steps are ever closer together), always including the last.
 */
export function drawnSteps(max: number): number[] {
  const out: number[] = [];
  for (let T = 1; T <= max; T += T < 30 ? 1 : T < 60 ? 2 : 4) out.push(T);
  if (out[out.length - 1] !== max) out.push(max);
  return out;
}

export function implicitChart(s: ImplicitState, m: ImplicitModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(IMPLICIT_CHART, measured);
  const { unrolled, implicit, floor } = errorSeries(m);
  const all = [...unrolled, ...implicit].map((p) => p.e);
  const lo = Math.min(...all) / 3;
  const hi = Math.max(...all) * 3;
  const plotH = size.height - AXIS_MARGINS.marginTop - AXIS_MARGINS.marginBottom;
  const markedT = unrolled[s.T - 1];
  const markedK = implicit[Math.min(s.k, implicit.length) - 1];
  const labelStyle = { fill: INK, stroke: 'var(--bg)', strokeWidth: 3, paintOrder: 'stroke', fontWeight: 600, clip: false } as const;
  const lastU = unrolled[unrolled.length - 1];
  const lastI = implicit[implicit.length - 1];
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 52,
    marginRight: 14,
    ...AXIS_MARGINS,
    clip: true,
    style: CHART_STYLE,
    // Explicit ticks: on 2.3 decades Plot's log axis would add unlabelled minor ticks.
    x: { type: 'log', domain: [1, RIDGE_T_MAX], label: 'unrolled steps T, or CG iterations k →', ticks: [1, 2, 5, 10, 20, 50, 100, 200].filter((t) => t <= RIDGE_T_MAX), tickFormat: (d: number) => String(d) },
    y: { type: 'log', domain: [lo, hi], label: '↑ |error in dV/dλ|', tickFormat: fmtLogTick, ticks: tickCount(plotH, 6) },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      Plot.ruleY([floor], { stroke: 'var(--muted)', strokeDasharray: '2,3', className: 'fig-floor' }),
      ...(unrolled.some((p) => p.capped) ? [Plot.ruleY([ERROR_CAP], { stroke: DANGER, strokeDasharray: '4,3', strokeWidth: 1.5, className: 'fig-cap' })] : []),
      Plot.line(drawnSteps(RIDGE_T_MAX).map((T) => unrolled[T - 1]), { x: 'x', y: 'e', stroke: 'var(--fig-sgd)', strokeWidth: 2, strokeDasharray: '6,3', className: 'fig-unrolled' }),
      Plot.line(implicit, { x: 'x', y: 'e', stroke: 'var(--fig-lbfgs)', strokeWidth: 2, className: 'fig-implicit' }),
      Plot.dot(implicit, { x: 'x', y: 'e', r: 3.5, fill: 'var(--fig-lbfgs)', symbol: 'square' }),
      Plot.dot([markedT], { x: 'x', y: 'e', r: 5.5, stroke: 'var(--fig-sgd)', strokeWidth: 2.5, fill: 'var(--bg)', className: 'fig-marked-T' }),
      Plot.dot([markedK], { x: 'x', y: 'e', r: 5.5, stroke: 'var(--fig-lbfgs)', strokeWidth: 2.5, fill: 'var(--bg)', symbol: 'square', className: 'fig-marked-k' }),
      Plot.text([lastU], { x: 'x', y: 'e', text: () => 'unrolled', textAnchor: 'end', dx: -4, dy: -12, ...labelStyle, className: 'fig-label-unrolled' }),
      Plot.text([lastI], { x: 'x', y: 'e', text: () => 'implicit (CG)', textAnchor: 'start', dx: 8, dy: -10, ...labelStyle, className: 'fig-label-implicit' }),
    ],
  });
  const label = `Absolute error of dV/dλ at λ = ${fmt(m.lam, 3)} against the closed form ${fmt(m.exact, 6)}, log-log: unrolled through T = 1 to ${RIDGE_T_MAX} steps of η = ${fmt(m.eta, 3)} (error ${fmt(absError(m.unrolled[RIDGE_T_MAX], m.exact), 2)} at T = ${RIDGE_T_MAX}), and implicit with k = 1 to ${RIDGE_N} CG iterations (error ${fmt(absError(m.implicit[RIDGE_N - 1].value, m.exact), 2)} at k = ${RIDGE_N}).`;
  return finishSvg(svg, label);
}

const errText = (h: number, exact: number) => {
  const e = absError(h, exact);
  return Number.isFinite(e) && e <= ERROR_FLOOR * Math.abs(exact) ? `≈ 0 (round-off)` : fmt(e, 2);
};

export function implicitStatus(s: ImplicitState, m: ImplicitModel): string {
  const T = s.T;
  const k = Math.min(s.k, m.implicit.length);
  const ik = m.implicit[k - 1];
  const last = m.implicit[m.implicit.length - 1];
  const lines = [
    `<li class="fig-closed"><b>Closed form</b> (Cholesky of XᵀX + λI), λ = ${esc(fmt(m.lam, 4))}: dV/dλ = ${esc(fmt(m.exact, 10))}</li>`,
    `<li class="fig-implicit-k"><b>Implicit, k = ${k}</b> CG iteration${k === 1 ? '' : 's'} (${k} HVP${k === 1 ? '' : 's'} and one mixed VJP): ${esc(fmt(ik.value, 10))}, error ${esc(errText(ik.value, m.exact))}; CG stops after ${last.iterations} (${esc(last.reason)}), at most n = ${RIDGE_N}.</li>`,
    `<li class="fig-unrolled-T"><b>Unrolled, T = ${T}</b> steps of η = ${esc(fmt(m.eta, 4))} from x = 0: ${esc(fmt(m.unrolled[T], 10))}, error ${esc(errText(m.unrolled[T], m.exact))}.</li>`,
  ];
  const rate = esc(fmt(m.rate, 4));
  const note =
    m.eta >= m.limit
      ? `<p class="fig-warn fig-diverged">η = ${esc(fmt(m.eta, 4))} is at or past 2/λmax(XᵀX + λI) = ${esc(fmt(m.limit, 4))}: |1 − ηλmax| = ${rate} ≥ 1, so the unrolled steps diverge and their hypergradient with them (errors above 10¹² are drawn on the dashed red line).</p>`
      : `<p class="fig-rate">The unrolled error falls like ρᵀ (times a factor T), with ρ = max |1 − ηλᵢ| = ${rate} over the eigenvalues of XᵀX + λI (from ${esc(fmt(m.spectrum[0], 3))} to ${esc(fmt(m.spectrum[m.spectrum.length - 1], 3))}); CG needs no step size and is exact after n = ${RIDGE_N} iterations.</p>`;
  return `<ul class="fig-methods">${lines.join('')}</ul>${note}`;
}

export function implicitTable(m: ImplicitModel): string {
  const rows: string[][] = [['closed form', fmt(m.exact, 10), '0']];
  for (const r of m.implicit) rows.push([`implicit, k = ${r.k}`, fmt(r.value, 10), errText(r.value, m.exact)]);
  for (const T of [1, 2, 5, 10, 20, 50, 100, 150, 200].filter((t) => t <= RIDGE_T_MAX)) rows.push([`unrolled, T = ${T}`, fmt(m.unrolled[T], 10), errText(m.unrolled[T], m.exact)]);
  return tableHtml(`dV/dλ at λ = ${fmt(m.lam, 4)} three ways`, ['method', 'dV/dλ', '|error|'], rows);
}

export function implicitCaption(m: ImplicitModel): string {
  return esc(
    `Ridge regression, L(x, λ) = ½‖Xx − y‖² + ½λ‖x‖², validation loss V(x) = ½‖Zx − u‖². The dashed orange curve is the error of the unrolled hypergradient, ` +
      `differentiated through T gradient steps from x = 0 (the figure takes every T in one forward-mode pass, ∂x_{t+1}/∂λ = ∂x_t/∂λ − η((XᵀX + λI)∂x_t/∂λ + x_t); reverse mode through the library’s unroll gives the same numbers). ` +
      `The blue squares are implicit differentiation: k CG iterations on Hessian-vector products solve H s = ∇V(x⋆), then one mixed VJP. ` +
      `Both are measured against the closed form −∇V(x⋆)ᵀ(XᵀX + λI)⁻¹x⋆; the dotted line is 10⁻¹⁶·|dV/dλ|, where round-off begins, and errors at or below it are drawn on it. ` +
      `Unrolling converges only as training does; CG is exact after n = ${RIDGE_N} iterations for n = ${RIDGE_N} weights.`,
  );
}

export const implicitFigure: FigureDef<ImplicitState> = {
  ns: 'implicit',
  title: 'Implicit against unrolled: the ridge hypergradient’s error against T and k',
  schema: implicitSchema,
  defaults: implicitDefaults,
  groups: [
    ['Ridge penalty', ['loglam']],
    ['Unrolled', ['eta', 'T']],
    ['Implicit', ['k']],
  ],
  view(state, document, { sizes } = {}) {
    const m = implicitModel(lamOf(state), state.eta);
    return { charts: [implicitChart(state, m, document, sizes?.[0])], caption: implicitCaption(m), status: implicitStatus(state, m), table: implicitTable(m) };
  },
};
