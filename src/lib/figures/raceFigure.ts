/** Figure 2: the race of SGD, L-BFGS, Newton and Newton-CG from a start point the reader drags. */
import * as Plot from '@observablehq/plot';
import { anchorFrame, contourLayer, finishSvg, windowAround, windowOptions, withContours, type Window } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtLogTick, fmtMatrix, fmtPoint } from './format.ts';
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
}

export function raceModel(s: RaceState): RaceModel {
  const q = analyzeProblem(s);
  const c = q.xStar && Math.max(Math.abs(q.xStar[0]), Math.abs(q.xStar[1])) <= 20 ? q.xStar : new Float64Array([0, 0]);
  const cx = (c[0] + s.x0) / 2;
  const cy = (c[1] + s.y0) / 2;
  const hy = Math.max(2.5, 0.65 * Math.max(Math.abs(c[1] - s.y0), Math.abs(c[0] - s.x0) * 0.8) + 0.5);
  // Snap the window so small drags of x₀ reuse the cached contours.
  const snap = (v: number) => Math.round(v * 2) / 2;
  const w = windowAround(snap(cx), snap(cy), Math.ceil(hy));
  return { q, w, results: runRace(q, s) };
}

const px = (r: RaceResult, k: number) => r.trace!.iterates.x[2 * k];
const py = (r: RaceResult, k: number) => r.trace!.iterates.x[2 * k + 1];

export function pathsChart(s: RaceState, model: RaceModel, document: Document): Element {
  const { q, w, results } = model;
  const marks: Plot.Markish[] = [anchorFrame()];
  const diverged: { x: number; y: number; label: string }[] = [];
  for (const r of results) {
    if (!r.trace) continue;
    const st = METHOD_STYLE[r.method];
    const ks = Array.from({ length: r.trace.iterates.count }, (_, k) => k);
    marks.push(
      Plot.dot(r.trials, { x: '0', y: '1', r: 3, stroke: st.color, fill: 'none', strokeWidth: 1, className: `fig-trials-${r.method}` }),
      Plot.line(ks, { x: (k: number) => px(r, k), y: (k: number) => py(r, k), stroke: st.color, strokeWidth: 2, strokeDasharray: st.dash, className: `fig-path fig-path-${r.method}` }),
      Plot.dot(ks, { x: (k: number) => px(r, k), y: (k: number) => py(r, k), r: 2.5, fill: st.color, symbol: st.symbol }),
    );
    if (r.trace.reason === 'diverged' || r.trace.reason === 'non-finite') {
      const k = r.trace.iterates.count - 1;
      diverged.push({ x: px(r, k), y: py(r, k), label: `${st.label} diverged` });
    }
  }
  if (q.xStar) marks.push(Plot.dot([q.xStar], { x: (d: Float64Array) => d[0], y: (d: Float64Array) => d[1], r: 5, symbol: 'star', fill: INK, className: 'fig-optimum' }));
  marks.push(Plot.dot([[s.x0, s.y0]], { x: '0', y: '1', r: 6, stroke: INK, strokeWidth: 2, fill: 'none', className: 'fig-start' }));
  if (diverged.length) {
    marks.push(
      Plot.dot(diverged, { x: 'x', y: 'y', symbol: 'times', r: 7, stroke: DANGER, strokeWidth: 3 }),
      Plot.text(diverged, { x: 'x', y: 'y', text: 'label', dy: -12, fill: DANGER, stroke: 'var(--bg)', strokeWidth: 3, paintOrder: 'stroke', fontWeight: 600 }),
    );
  }
  const svg = Plot.plot({ ...windowOptions(w, document), marks });
  const layer = contourLayer(`race:${Array.from(q.A)}:${Array.from(q.b)}`, (x, y) => quadValue(q.A, q.b, x, y), w, document);
  const label = `Paths of SGD, L-BFGS, Newton and Newton-CG from x₀ = ${fmtPoint([s.x0, s.y0])} over the contours of the quadratic; ${results
    .map((r) => `${METHOD_STYLE[r.method].label} ${r.trace ? `${r.trace.iterations} iterations, ${r.trace.reason}` : 'not run'}`)
    .join('; ')}.`;
  return finishSvg(withContours(svg, layer), label);
}

export function errorChart(s: RaceState, model: RaceModel, document: Document): Element {
  const { q, results } = model;
  const hasMin = q.curvature === 'positive-definite';
  const byEval = s.axis === 'eval';
  const rows: { method: string; x: number; y: number }[] = [];
  for (const r of results) {
    for (let k = 0; k < r.errors.length; k++) {
      const e = r.errors[k];
      if (!Number.isFinite(e)) continue;
      rows.push({ method: r.method, x: byEval ? r.evals[k] : k, y: hasMin ? Math.min(1e12, Math.max(1e-16, e)) : Math.max(-1e12, Math.min(1e12, e)) });
    }
  }
  const marks: Plot.Markish[] = [Plot.frame({ stroke: 'var(--border)' })];
  for (const m of METHOD_ORDER) {
    const st = METHOD_STYLE[m];
    const data = rows.filter((d) => d.method === m);
    marks.push(
      Plot.line(data, { x: 'x', y: 'y', stroke: st.color, strokeWidth: 2, strokeDasharray: st.dash }),
      Plot.dot(data, { x: 'x', y: 'y', r: 2.5, fill: st.color, symbol: st.symbol }),
    );
  }
  const svg = Plot.plot({
    document,
    width: 560,
    height: 240,
    marginLeft: 56,
    marginRight: 12,
    marginTop: 12,
    marginBottom: 34,
    style: { background: 'transparent', color: 'var(--fg)', fontSize: '12px' },
    x: { label: byEval ? 'function evaluations →' : 'iteration k →', nice: true },
    y: hasMin ? { type: 'log', label: '↑ f(xₖ) − f*', tickFormat: fmtLogTick, ticks: 5 } : { type: 'symlog', label: '↑ f(xₖ)', tickFormat: (d: number) => fmt(d, 0), ticks: 5 },
    marks,
  });
  const label = hasMin
    ? `Error f(xₖ) − f* on a log scale against ${byEval ? 'function evaluations' : 'iterations'}; final errors: ${results.map((r) => `${METHOD_STYLE[r.method].label} ${fmt(r.finalError, 2)}`).join(', ')}.`
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
    const err = hasMin ? `f − f* = ${fmt(r.finalError, 2)}` : `f = ${fmt(r.finalError, 3)}`;
    const bad = t.reason === 'diverged' || t.reason === 'non-finite' || t.reason === 'line-search-failed';
    return `<li data-method="${r.method}">${sw}<b>${st.label}</b>: ${t.iterations} iteration${t.iterations === 1 ? '' : 's'}, ${evals}, ${err}; <span class="${bad ? 'fig-bad' : ''}">${esc(r.summary)}</span> <span class="fig-reason">(${t.reason})</span></li>`;
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
    for (const k of show) rows.push([`${METHOD_STYLE[r.method].label} k = ${k}`, fmtPoint([px(r, k), py(r, k)], 4), fmt(r.errors[k], 3), String(r.evals[k])]);
  }
  return tableHtml('Iterates of each method (first and last few)', ['method, iteration', 'xₖ', hasMin ? 'f(xₖ) − f*' : 'f(xₖ)', 'evaluations so far'], rows);
}

export function raceCaption(s: RaceState, model: RaceModel): string {
  const { q } = model;
  const star = q.xStar ? ` The star is x* = ${fmtPoint(q.xStar, 3)}.` : '';
  return esc(
    `From x₀ = ${fmtPoint([s.x0, s.y0])}: SGD with learning rate ${fmt(s.lr)} and momentum ${fmt(s.m)}, L-BFGS with history ${s.hist} ${s.ls ? 'and a strong-Wolfe line search' : 'and fixed unit steps (no line search)'}, Newton and Newton-CG. Small hollow circles are line-search trials that were not taken.${star} Drag the start point, or focus it and use the arrow keys (Shift for larger steps).`,
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
  view(state, document) {
    const model = raceModel(state);
    return {
      charts: [pathsChart(state, model, document), errorChart(state, model, document)],
      caption: raceCaption(state, model),
      status: raceStatus(model),
      table: raceTable(model),
    };
  },
};
