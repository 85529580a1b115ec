/**
 * Figure 8 (chapter 17): the validation loss after T unrolled SGD steps as a function of the learning rate η, with
 * the hypergradient dV/dη at the reader's η drawn as the tangent, and the blow-up past η = 2/λmax.
 */
import * as Plot from '@observablehq/plot';
import { AXIS_MARGINS, CHART_STYLE, chartSize, finishSvg, tickCount, type ChartSize } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtLogTick } from './format.ts';
import { CENTRAL_H, directValue, ETA_MAX, hyperModel, T_MAX, tangentPoints, type HyperModel } from './hyperModel.ts';
import { hyperProblem } from './hyperProblem.ts';
import { DANGER, INK } from './palette.ts';

export const hyperSchema = {
  eta: { kind: 'number', label: 'Learning rate η', min: 0, max: ETA_MAX, step: 0.001, range: true },
  T: { kind: 'number', label: 'Unrolled steps T', min: 1, max: T_MAX, step: 1, integer: true, range: true },
  y: { kind: 'enum', label: 'Loss axis', options: [{ value: 'log', label: 'logarithmic' }, { value: 'linear', label: 'linear' }] },
} satisfies Schema;

export interface HyperState {
  [k: string]: number | string;
  eta: number;
  T: number;
  y: string;
}

/** η = 0.1 and T = 5: one of the chapter's unrolled cases, so the status repeats a number of the text. */
export const hyperDefaults: HyperState = { eta: 0.1, T: 5, y: 'log' };

/** The chart's natural size (the static SVG's); figures.css gives its box the same aspect (`fig-mid`). */
export const HYPER_CHART: ChartSize = { width: 560, height: 360 };

/** The y window: every sample of the curve on a log axis; on a linear axis from 0 to 1.1·V(x₀) (the blow-up leaves the top). */
export function hyperDomain(m: HyperModel, log: boolean): [number, number] {
  const vs = m.curve.values.filter((v) => Number.isFinite(v) && v > 0);
  if (!log) return [0, 1.1 * m.curve.values[0]];
  return [Math.min(...vs) / 2, Math.max(...vs) * 2];
}

export function hyperChart(s: HyperState, m: HyperModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(HYPER_CHART, measured);
  const log = s.y === 'log';
  const [lo, hi] = hyperDomain(m, log);
  const plotH = size.height - AXIS_MARGINS.marginTop - AXIS_MARGINS.marginBottom;
  const curve = m.curve.etas.map((e, i) => [e, Math.min(hi * 10, m.curve.values[i])] as [number, number]);
  const tangent = tangentPoints({ eta: m.eta, value: m.value, slope: m.slope, half: 0.12 * ETA_MAX, log, lo: lo / 10, hi: hi * 10 });
  const ruleLabel = `2/λmax = ${fmt(m.limit, 3)}`;
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 52,
    marginRight: 14,
    ...AXIS_MARGINS,
    clip: true,
    style: CHART_STYLE,
    x: { domain: [0, ETA_MAX], label: 'learning rate η →', ticks: tickCount(size.width - 66, 8) },
    y: log
      ? { type: 'log', domain: [lo, hi], label: `↑ V(x_T), T = ${m.steps}`, tickFormat: fmtLogTick, ticks: tickCount(plotH, 6) }
      : { domain: [lo, hi], label: `↑ V(x_T), T = ${m.steps}`, ticks: tickCount(plotH, 6), tickFormat: (d: number) => fmt(d, 2) },
    marks: [
      Plot.rectX([{ x1: m.limit, x2: ETA_MAX }], { x1: 'x1', x2: 'x2', fill: DANGER, fillOpacity: 0.07, className: 'fig-unstable' }),
      Plot.frame({ stroke: 'var(--border)' }),
      Plot.ruleX([m.limit], { stroke: DANGER, strokeWidth: 1.5, strokeDasharray: '5,3', className: 'fig-limit' }),
      Plot.text([m.limit], { x: (d: number) => d, text: () => ruleLabel, frameAnchor: 'top', dy: -AXIS_MARGINS.marginTop / 2 + 1, textAnchor: 'end', dx: -4, fill: DANGER, fontWeight: 600, clip: false, className: 'fig-limit-label' }),
      Plot.line(curve, { x: '0', y: '1', stroke: INK, strokeWidth: 2, className: 'fig-curve' }),
      Plot.line(tangent, { x: '0', y: '1', stroke: 'var(--fig-sgd)', strokeWidth: 2.5, strokeDasharray: '7,3', className: 'fig-tangent' }),
      Plot.dot([[m.eta, m.value]], { x: '0', y: '1', r: 4.5, fill: 'var(--fig-sgd)', stroke: 'var(--bg)', strokeWidth: 1.5, className: 'fig-eta' }),
    ],
  });
  const label = `Validation loss V after T = ${m.steps} SGD steps against the learning rate η from 0 to ${fmt(ETA_MAX)} (${log ? 'log' : 'linear'} scale), with a dashed rule at 2/λmax = ${fmt(m.limit, 4)}; at η = ${fmt(m.eta, 4)}, V = ${fmt(m.value, 4)} and the tangent's slope dV/dη = ${fmt(m.slope, 4)}.`;
  return finishSvg(svg, label);
}

export function hyperStatus(m: HyperModel): string {
  const diff = Math.abs(m.central.value - m.slope);
  const main =
    `<p class="fig-hyper-values">After T = ${m.steps} step${m.steps === 1 ? '' : 's'} with η = ${esc(fmt(m.eta, 4))}: V(x_T) = ${esc(fmt(m.value, 4))}, ` +
    `and the hypergradient by reverse mode through the ${m.steps} unrolled step${m.steps === 1 ? '' : 's'} is dV/dη = <b>${esc(fmt(m.slope, 6))}</b>. ` +
    `A ${m.central.oneSided ? 'forward' : 'central'} difference of V with h = ${esc(fmt(CENTRAL_H))} gives ${esc(fmt(m.central.value, 6))} (difference ${esc(fmt(diff, 2))}).</p>`;
  const rate = esc(fmt(m.topRate, 4));
  const stability =
    m.eta > m.limit
      ? `<p class="fig-warn fig-hyper-blowup">η is past 2/λmax = ${esc(fmt(m.limit, 4))}: |1 − ηλmax| = ${rate} > 1, so each step multiplies the error along A’s top eigenvector by ${rate} instead of shrinking it. V grows like ${rate}^(2T) and dV/dη faster still (one more factor T): the curve shoots up right of the red rule, and the longer the unroll, the steeper.</p>`
      : `<p class="fig-hyper-stable">η is below 2/λmax = ${esc(fmt(m.limit, 4))}: every factor |1 − ηλ| is at most ${esc(fmt(m.rate, 4))} < 1, so the steps converge and dV/dη dies out as T grows.</p>`;
  return main + stability;
}

export function hyperTable(m: HyperModel): string {
  const rows: string[][] = [];
  m.curve.etas.forEach((e, i) => {
    if (i % 8 === 0) rows.push([`η = ${fmt(e, 4)}`, fmt(m.curve.values[i], 4), '']);
  });
  rows.push([`η = ${fmt(m.eta, 4)} (chosen)`, fmt(m.value, 4), fmt(m.slope, 6)]);
  rows.push(['2/λmax', fmt(m.limit, 6), '']);
  return tableHtml(`Validation loss after T = ${m.steps} steps, and the hypergradient at the chosen η`, ['learning rate', 'V(x_T)', 'dV/dη'], rows);
}

export function hyperCaption(s: HyperState, m: HyperModel): string {
  const log = s.y === 'log';
  return esc(
    `V(x_T) = ½(x_T − c)ᵀB(x_T − c) after T = ${m.steps} SGD steps x ← x − η∇f(x) on chapter 16’s quadratic f from x₀ = (${hyperProblem.x0.map((v) => fmt(v)).join(', ')}), against η. ` +
      `The dashed orange line is the tangent at the chosen η: its slope is the hypergradient dV/dη, computed by differentiating through the unrolled steps` +
      (log ? ' (on the log axis the tangent that looks straight has slope d ln V/dη = (dV/dη)/V). ' : '. ') +
      `Right of the red rule at η = 2/λmax = ${fmt(m.limit, 4)} (λmax = ${fmt(m.lambdaMax, 4)}, the largest eigenvalue of A), |1 − ηλmax| > 1 and training diverges: V blows up, by more the more steps are unrolled.`,
  );
}

export const hyperFigure: FigureDef<HyperState> = {
  ns: 'hyper',
  title: 'The hypergradient: validation loss after T unrolled steps, and its tangent in η',
  schema: hyperSchema,
  defaults: hyperDefaults,
  groups: [
    ['Learning rate', ['eta']],
    ['Unroll', ['T']],
    ['Chart', ['y']],
  ],
  handles: [{ keys: ['eta'], label: 'Learning rate η', chart: 0, step: 0.005, coarse: 0.02, along: (s) => directValue(s.eta as number, s.T as number) }],
  view(state, document, { sizes } = {}) {
    const m = hyperModel(state.eta, state.T);
    return { charts: [hyperChart(state, m, document, sizes?.[0])], caption: hyperCaption(state, m), status: hyperStatus(m), table: hyperTable(m) };
  },
};
