/** Figure 2: the race of SGD, L-BFGS, Newton and Newton-CG from a start point the reader drags. */
import * as Plot from '@observablehq/plot';
import { anchorFrame, AXIS_MARGINS, CHART_STYLE, chartSize, CHART, contourLayer, finishSvg, inWindow, pathInView, tickCount, windowAround, windowOptions, withContours, type ChartSize, type ViewPath, type Window } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtError, fmtLogTick, fmtMatrix, fmtPoint, fmtSignedLogTick, signedLogTicks, spaceTicks } from './format.ts';
import { DANGER, INK, METHOD_ORDER, METHOD_STYLE } from './palette.ts';
import { analyzeProblem, curvatureText, problemDefaults, problemFields, quadValue, type ProblemState, type QuadraticAnalysis } from './quadratic.ts';
import { runRace, type RaceResult, type RaceSettings } from './raceRun.ts';

export const raceSchema = {
  x0: { kind: 'number', label: 'x₀ first coordinate', min: -20, max: 20, step: 0.1 },
  y0: { kind: 'number', label: 'x₀ second coordinate', min: -20, max: 20, step: 0.1 },
  lr: { kind: 'number', label: 'SGD learning rate', min: 0, max: 2, step: 0.01, range: true },
  m: { kind: 'number', label: 'SGD momentum', min: 0, max: 0.99, step: 0.01, range: true },
  iters: { kind: 'number', label: 'SGD steps', min: 1, max: 500, step: 1, integer: true },
  hist: { kind: 'number', label: 'L-BFGS history size', min: 1, max: 50, step: 1, integer: true },
  ls: { kind: 'bool', label: 'L-BFGS strong-Wolfe line search' },
  axis: { kind: 'enum', label: 'Error chart against', options: [{ value: 'iter', label: 'iterations' }, { value: 'eval', label: 'function evaluations' }] },
  ...problemFields,
} satisfies Schema;

export interface RaceState extends RaceSettings, ProblemState {
  [k: string]: number | boolean | string;
  axis: string;
}

/** The chapter's settings: x₀ = (2.5, −2), SGD lr 0.1 for 40 steps, L-BFGS with history 10 and strong Wolfe. */
export const raceDefaults: RaceState = { x0: 2.5, y0: -2, lr: 0.1, m: 0, iters: 40, hist: 10, ls: true, axis: 'iter', ...problemDefaults };

export interface RaceModel {
  q: QuadraticAnalysis;
  w: Window;
  results: RaceResult[];
  /** Each run's path cut for the window (same order as results; null when the method did not run). */
  paths: (ViewPath | null)[];
  /** Line-search trials inside the window, per run. */
  trials: [number, number][][];
}

/** The race's view: x₀ and x* (or the origin) with room around them, snapped so small moves reuse cached contours. */
export function raceWindow(s: RaceState, q: QuadraticAnalysis): Window {
  const c = q.xStar && Math.max(Math.abs(q.xStar[0]), Math.abs(q.xStar[1])) <= 20 ? q.xStar : new Float64Array([0, 0]);
  const cx = (c[0] + s.x0) / 2;
  const cy = (c[1] + s.y0) / 2;
  const hy = Math.max(2.5, 0.65 * Math.max(Math.abs(c[1] - s.y0), Math.abs(c[0] - s.x0) * 0.8) + 0.5);
  const snap = (v: number) => Math.round(v * 2) / 2;
  return windowAround(snap(cx), snap(cy), Math.ceil(hy));
}

/** The race's runs and drawing data; `pinned` keeps the view (the island pins it while x₀ is dragged). */
export function raceModel(s: RaceState, pinned?: Window): RaceModel {
  const q = analyzeProblem(s);
  const w = pinned ?? raceWindow(s, q);
  const results = runRace(q, s);
  const paths = results.map((r) => (r.trace ? pathInView(r.trace.iterates.x, r.trace.iterates.count, w) : null));
  const trials = results.map((r) => r.trials.filter(([x, y]) => inWindow(w, x, y)));
  return { q, w, results, paths, trials };
}

/** A marker where a run leaves the view (or where it stopped inside it). */
export interface EdgeMark {
  x: number;
  y: number;
  method: string;
  reason: 'diverged' | 'non-finite';
}

/**
 * Markers for runs that diverged or produced non-finite values: at the point where the drawn path leaves the window
 * (an edge marker), or at its last point when it stops inside.
 */
export function divergedMarks(model: RaceModel): EdgeMark[] {
  const { w, results, paths } = model;
  const out: EdgeMark[] = [];
  results.forEach((r, i) => {
    const p = paths[i];
    if (!r.trace || !p || !p.points.length) return;
    if (r.trace.reason !== 'diverged' && r.trace.reason !== 'non-finite') return;
    const at = p.exit ?? p.points[p.points.length - 1];
    const inset = [(w.x[1] - w.x[0]) * 0.015, (w.y[1] - w.y[0]) * 0.015];
    const x = Math.min(w.x[1] - inset[0], Math.max(w.x[0] + inset[0], at[0]));
    const y = Math.min(w.y[1] - inset[1], Math.max(w.y[0] + inset[1], at[1]));
    out.push({ x, y, method: METHOD_STYLE[r.method].label, reason: r.trace.reason });
  });
  return out;
}

const andList = (xs: string[]) => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * The one label for the red crosses, written in the chart's top margin (right-aligned), where no path runs:
 * "SGD diverged", "SGD and L-BFGS diverged; Newton stopped: non-finite value", or, when that does not fit in
 * `room` pixels (7 px per character), a count that points to the status lines.
 */
export function divergedLabel(marks: readonly EdgeMark[], room: number): string {
  const names = (reason: EdgeMark['reason']) => marks.filter((m) => m.reason === reason).map((m) => m.method);
  const d = names('diverged');
  const n = names('non-finite');
  const parts = [d.length ? `${andList(d)} diverged` : '', n.length ? `${andList(n)} stopped: non-finite value` : ''].filter(Boolean);
  const full = parts.join('; ');
  return full.length * 7 <= room ? full : `✕ ${marks.length} runs stopped (see below)`;
}

const px = (r: RaceResult, k: number) => r.trace!.iterates.x[2 * k];
const py = (r: RaceResult, k: number) => r.trace!.iterates.x[2 * k + 1];

export function pathsChart(s: RaceState, model: RaceModel, document: Document, measured?: ChartSize): Element {
  const { q, w, results } = model;
  const size = chartSize(CHART, measured);
  const marks: Plot.Markish[] = [anchorFrame()];
  results.forEach((r, i) => {
    const path = model.paths[i];
    if (!r.trace || !path) return;
    const st = METHOD_STYLE[r.method];
    marks.push(
      Plot.dot(model.trials[i], { x: '0', y: '1', r: 3, stroke: st.color, fill: 'none', strokeWidth: 1, className: `fig-trials-${r.method}` }),
      Plot.line(path.points, { x: '0', y: '1', stroke: st.color, strokeWidth: 2, strokeDasharray: st.dash, className: `fig-path fig-path-${r.method}` }),
      Plot.dot(path.points.slice(0, path.iterates), { x: '0', y: '1', r: 2.5, fill: st.color, symbol: st.symbol }),
    );
  });
  const diverged = divergedMarks(model);
  if (q.xStar) marks.push(Plot.dot([q.xStar], { x: (d: Float64Array) => d[0], y: (d: Float64Array) => d[1], r: 5, symbol: 'star', fill: INK, className: 'fig-optimum' }));
  marks.push(Plot.dot([[s.x0, s.y0]], { x: '0', y: '1', r: 6, stroke: INK, strokeWidth: 2, fill: 'none', className: 'fig-start' }));
  if (diverged.length) {
    const room = size.width - CHART.marginLeft - CHART.marginRight - 40; // the y label "↑ x₂" holds the left end
    marks.push(
      Plot.dot(diverged, { x: 'x', y: 'y', symbol: 'times', r: 7, stroke: DANGER, strokeWidth: 3, className: 'fig-diverged' }),
      Plot.text([divergedLabel(diverged, room)], { text: (d: string) => d, frameAnchor: 'top-right', dy: -CHART.marginTop / 2, textAnchor: 'end', fill: DANGER, fontWeight: 600, clip: false, className: 'fig-diverged-label' }),
    );
  }
  const svg = Plot.plot({ ...windowOptions(w, document, size), marks });
  const layer = contourLayer(`race:${Array.from(q.A)}:${Array.from(q.b)}`, (x, y) => quadValue(q.A, q.b, x, y), w, document, size);
  const label = `Paths of SGD, L-BFGS, Newton and Newton-CG from x₀ = ${fmtPoint([s.x0, s.y0])} over the contours of the quadratic; ${results
    .map((r) => `${METHOD_STYLE[r.method].label} ${r.trace ? `${r.trace.iterations} iterations, ${r.summary}` : 'not run'}`)
    .join('; ')}.`;
  return finishSvg(withContours(svg, layer), label);
}

/** The error chart's natural size (the static SVG's). */
export const ERROR_CHART: ChartSize = { width: 560, height: 240 };

/** The error chart draws |values| up to 10¹² (a run to 1e290 would flatten every other line); beyond, on the cap. */
export const ERROR_CAP = 1e12;

/** How many finite values of the runs lie above +ERROR_CAP and below −ERROR_CAP (the chart draws them on the cap). */
export function cappedValues(model: RaceModel): { above: number; below: number } {
  let above = 0;
  let below = 0;
  for (const r of model.results)
    for (const e of r.errors) {
      if (e > ERROR_CAP && Number.isFinite(e)) above++;
      else if (e < -ERROR_CAP && Number.isFinite(e)) below++;
    }
  return { above, below };
}

function capNote(c: { above: number; below: number }, hasMin: boolean): string {
  const what = hasMin ? 'errors' : 'values';
  if (c.above && c.below) return `${what} beyond ±10¹² drawn at ±10¹²`;
  return c.above ? `${what} above 10¹² drawn at 10¹²` : `${what} below −10¹² drawn at −10¹²`;
}

export function errorChart(s: RaceState, model: RaceModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(ERROR_CHART, measured);
  const { q, results } = model;
  const hasMin = q.curvature === 'positive-definite';
  const byEval = s.axis === 'eval';
  const rows: { method: string; x: number; y: number }[] = [];
  for (const r of results) {
    for (let k = 0; k < r.errors.length; k++) {
      const e = r.errors[k];
      if (!Number.isFinite(e)) continue;
      rows.push({ method: r.method, x: byEval ? r.evals[k] : k, y: hasMin ? Math.min(ERROR_CAP, Math.max(1e-16, e)) : Math.max(-ERROR_CAP, Math.min(ERROR_CAP, e)) });
    }
  }
  const marks: Plot.Markish[] = [Plot.frame({ stroke: 'var(--border)' })];
  // Values beyond the cap are drawn on it: a dashed line at the cap and a note in the top margin say so.
  const capped = cappedValues(model);
  if (capped.above || capped.below) {
    const at = [...(capped.above ? [ERROR_CAP] : []), ...(capped.below ? [-ERROR_CAP] : [])];
    marks.push(
      Plot.ruleY(at, { stroke: DANGER, strokeDasharray: '4,3', strokeWidth: 1.5, className: 'fig-cap' }),
      Plot.text([capNote(capped, hasMin)], { text: (d: string) => d, frameAnchor: 'top-right', dy: -AXIS_MARGINS.marginTop / 2, textAnchor: 'end', fill: DANGER, className: 'fig-cap-note' }),
    );
  }
  for (const m of METHOD_ORDER) {
    const st = METHOD_STYLE[m];
    const data = rows.filter((d) => d.method === m);
    marks.push(
      Plot.line(data, { x: 'x', y: 'y', stroke: st.color, strokeWidth: 2, strokeDasharray: st.dash }),
      Plot.dot(data, { x: 'x', y: 'y', r: 2.5, fill: st.color, symbol: st.symbol }),
    );
  }
  // Without a minimum, f(xₖ) runs off to −1e12: a symmetric log scale with exact ±10^k ticks, the sign in each label.
  let lo = 0;
  let hi = 0;
  for (const d of rows) {
    lo = Math.min(lo, d.y);
    hi = Math.max(hi, d.y);
  }
  // The domain includes 0, where the sign changes; one tick per ~28 px at most.
  const plotH = size.height - AXIS_MARGINS.marginTop - AXIS_MARGINS.marginBottom;
  // Plot's symlog (constant 1): t(v) = sign(v)·log1p(|v|), mapped linearly onto the plot height.
  const t = (v: number) => Math.sign(v) * Math.log1p(Math.abs(v));
  const toPx = (v: number) => (hi === lo ? 0 : ((t(v) - t(lo)) / (t(hi) - t(lo))) * plotH);
  const signed = spaceTicks(signedLogTicks(lo, hi, Math.max(4, Math.min(8, Math.floor(plotH / 28)))), toPx, 16);
  const yNoMin =
    signed.length >= 3
      ? { type: 'symlog' as const, label: '↑ f(xₖ)', domain: [lo, hi], ticks: signed, tickFormat: fmtSignedLogTick }
      : { type: 'symlog' as const, label: '↑ f(xₖ)', ticks: 5, tickFormat: (d: number) => fmt(d, 2) };
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 56,
    marginRight: 12,
    ...AXIS_MARGINS,
    style: CHART_STYLE,
    x: { label: byEval ? 'function evaluations →' : 'iteration k →', nice: true, ticks: tickCount(size.width - 68, 10) },
    y: hasMin ? { type: 'log', label: '↑ f(xₖ) − f*', tickFormat: fmtLogTick, ticks: tickCount(plotH, 5) } : yNoMin,
    marks,
  });
  const label = hasMin
    ? `Error f(xₖ) − f* on a log scale against ${byEval ? 'function evaluations' : 'iterations'}; final errors: ${results.map((r) => `${METHOD_STYLE[r.method].label} ${fmtError(r.finalError, q.fStar)}`).join(', ')}.`
    : `f(xₖ) on a symmetric log scale against ${byEval ? 'function evaluations' : 'iterations'} (f has no minimum).`;
  return finishSvg(svg, label);
}

export function raceStatus(model: RaceModel): string {
  const { q, results } = model;
  const hasMin = q.curvature === 'positive-definite';
  const lines = results.map((r) => {
    const st = METHOD_STYLE[r.method];
    const sw = `<span class="fig-swatch" style="--c:${st.color}" aria-hidden="true"></span>`;
    if (!r.trace) return `<li>${sw}<b>${st.label}</b>: <span class="fig-bad">${esc(r.summary)}</span></li>`;
    const t = r.trace;
    const evals = `${t.evaluations.count} evaluation${t.evaluations.count === 1 ? '' : 's'}${t.counts.hvp ? `, ${t.counts.hvp} Hv` : ''}${t.counts.hessian ? `, ${t.counts.hessian} Hessian${t.counts.hessian > 1 ? 's' : ''}` : ''}`;
    const e = fmtError(r.finalError, q.fStar);
    const err = hasMin ? `f − f* ${e.startsWith('≈') ? e : `= ${e}`}` : `f = ${fmt(r.finalError, 3)}`;
    const bad = t.reason === 'diverged' || t.reason === 'non-finite' || t.reason === 'line-search-failed';
    return `<li data-method="${r.method}">${sw}<b>${st.label}</b>: ${t.iterations} iteration${t.iterations === 1 ? '' : 's'}, ${evals}, ${err}; <span class="${bad ? 'fig-bad' : ''}">${esc(r.summary)}</span></li>`;
  });
  const head = hasMin ? '' : `<p class="fig-warn">${esc(curvatureText(q)[0].toUpperCase() + curvatureText(q).slice(1))}.</p>`;
  const sym = q.symmetric ? '' : `<p class="fig-warn">A is not symmetric; the optimizers see the Hessian H = (A + Aᵀ)/2 = ${esc(fmtMatrix(q.H))}.</p>`;
  return `${head}${sym}<ul class="fig-methods">${lines.join('')}</ul>`;
}

export function raceTable(model: RaceModel): string {
  const rows: string[][] = [];
  const hasMin = model.q.curvature === 'positive-definite';
  for (const r of model.results) {
    if (!r.trace) continue;
    const n = r.trace.iterates.count;
    const show = n <= 8 ? [...Array(n).keys()] : [0, 1, 2, 3, 4, n - 3, n - 2, n - 1];
    for (const k of show) rows.push([`${METHOD_STYLE[r.method].label} k = ${k}`, fmtPoint([px(r, k), py(r, k)], 4), hasMin ? fmtError(r.errors[k], model.q.fStar, 3) : fmt(r.errors[k], 3), String(r.evals[k])]);
  }
  return tableHtml('Iterates of each method (first and last few)', ['method, iteration', 'xₖ', hasMin ? 'f(xₖ) − f*' : 'f(xₖ)', 'evaluations so far'], rows);
}

/**
 * A start point on the chapter's problem from which L-BFGS's strong-Wolfe search rejects a trial step (its first
 * step, t = 1/‖∇f‖₁, falls short from far out): the caption suggests it when the current run shows none. A unit
 * test checks that it does show trials.
 */
export const TRIALS_EXAMPLE = { x0: -2.5, y0: 7.5 } as const;

/** What the caption says about line-search trials: how many are drawn, or why there are none. */
export function trialsText(s: RaceState, model: RaceModel): string {
  const n = model.trials.reduce((a, t) => a + t.length, 0);
  if (n > 0) {
    const all = model.results.reduce((a, r) => a + r.trials.length, 0);
    const where = all > n ? ` (${all - n} more lie outside the view)` : '';
    return n === 1
      ? `The small hollow circle is a line-search trial that was evaluated but not taken${where}.`
      : `Small hollow circles are the ${n} line-search trials that were evaluated but not taken${where}.`;
  }
  const chapterProblem = (['a11', 'a12', 'a21', 'a22', 'b1', 'b2'] as const).every((k) => s[k] === raceDefaults[k]);
  const hint = chapterProblem ? ` Start farther out, e.g. x₀ = ${fmtPoint([TRIALS_EXAMPLE.x0, TRIALS_EXAMPLE.y0])}, to see a rejected trial drawn as a hollow circle.` : '';
  if (!s.ls) return `L-BFGS takes fixed unit steps here (no line search), and no other method searches, so there are no line-search trials to draw.`;
  return `No line-search trials to draw: the strong-Wolfe search accepted its first trial at every step here.${hint}`;
}

export function raceCaption(s: RaceState, model: RaceModel): string {
  const { q } = model;
  const star = q.xStar ? ` The star is x* = ${fmtPoint(q.xStar, 3)}.` : '';
  const c = cappedValues(model);
  const cap = c.above || c.below ? ` The error chart stops at ${c.above && c.below ? '±' : c.above ? '' : '−'}10¹²: ${c.above + c.below} larger value${c.above + c.below > 1 ? 's are' : ' is'} drawn on the dashed line at the cap, and the status lines give the true final values.` : '';
  return esc(
    `From x₀ = ${fmtPoint([s.x0, s.y0])}: SGD with learning rate ${fmt(s.lr)} and momentum ${fmt(s.m)}, L-BFGS with history ${s.hist} ${s.ls ? 'and a strong-Wolfe line search' : 'and fixed unit steps (no line search)'}, Newton and Newton-CG. ${trialsText(s, model)}${star}${cap}`,
  );
}

export const raceFigure: FigureDef<RaceState> = {
  ns: 'race',
  title: 'The race: first- and second-order methods from the same start',
  schema: raceSchema,
  defaults: raceDefaults,
  groups: [
    ['Start point x₀', ['x0', 'y0']],
    ['SGD', ['lr', 'm', 'iters']],
    ['L-BFGS', ['hist', 'ls']],
    ['Chart', ['axis']],
    ['Problem: A and b', ['a11', 'a12', 'a21', 'a22', 'b1', 'b2']],
  ],
  handles: [{ keys: ['x0', 'y0'], label: 'Start point x₀', chart: 0, step: 0.1, coarse: 0.5 }],
  view(state, document, { sizes, windows } = {}) {
    const model = raceModel(state, windows?.[0]);
    return {
      charts: [pathsChart(state, model, document, sizes?.[0]), errorChart(state, model, document, sizes?.[1])],
      caption: raceCaption(state, model),
      status: raceStatus(model),
      table: raceTable(model),
      windows: [model.w],
    };
  },
};
