/**
 * Figure 9: MAML sine regression. The fit chart shows an initialisation θ's prediction on a task, its fit after k
 * adaptation steps on the task's K support points, and the true sine; the loss chart shows each method's meta-loss
 * against meta-iterations (log scale). Training happens in a worker (mamlIsland.ts); this module only draws what a
 * training snapshot says, or the untrained θ₀ when there is none (the build's static SVG).
 */
import * as Plot from '@observablehq/plot';
import { AXIS_MARGINS, CHART_STYLE, chartSize, finishSvg, tickCount, type ChartSize } from './chart.ts';
import { tableHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { Schema } from './fields.ts';
import { esc, fmt, fmtLogTick } from './format.ts';
import { INK } from './palette.ts';
import { adapt, MAML_METHODS, taskLosses, TRAIN_DEFAULTS, type MamlMethod, type TaskLosses, type TrainConfig } from './mamlTrain.ts';
import { MAX_STEPS, TRAIN_BOUNDS, type CurvePoint, type Evaluation } from './mamlProtocol.ts';
import { EVALUATION_TASKS } from './mamlRun.ts';
import { mlpInit } from '../meta/mlp.ts';
import { mulberry32, sampleSineTask, sineValue, type SineTask } from '../meta/sineTasks.ts';

export const MAML_STYLE: Record<MamlMethod, { label: string; color: string; dash: string }> = {
  maml: { label: 'MAML', color: 'var(--fig-lbfgs)', dash: 'none' },
  fomaml: { label: 'first-order MAML', color: 'var(--fig-sgd)', dash: '6,3' },
  reptile: { label: 'Reptile', color: 'var(--fig-newton)', dash: '2,2' },
};

const bound = (k: keyof TrainConfig) => ({ min: TRAIN_BOUNDS[k].min, max: TRAIN_BOUNDS[k].max });

export const mamlSchema = {
  seed: { kind: 'number', label: 'Training seed', ...bound('seed'), step: 1, integer: true },
  hidden: { kind: 'number', label: 'Hidden units', ...bound('hidden'), step: 1, integer: true },
  iters: { kind: 'number', label: 'Meta-iterations', ...bound('iterations'), step: 100, integer: true },
  show: { kind: 'enum', label: 'Initialisation shown', options: MAML_METHODS.map((m) => ({ value: m, label: MAML_STYLE[m].label })) },
  k: { kind: 'number', label: 'Adaptation steps k', min: 0, max: MAX_STEPS, step: 1, integer: true, range: true },
  task: { kind: 'number', label: 'Task seed', min: 1, max: 99999, step: 1, integer: true },
} satisfies Schema;

export interface MamlState {
  [key: string]: number | string;
  seed: number;
  hidden: number;
  iters: number;
  show: string;
  k: number;
  task: number;
}

export const mamlDefaults: MamlState = { seed: TRAIN_DEFAULTS.seed, hidden: TRAIN_DEFAULTS.hidden, iters: TRAIN_DEFAULTS.iterations, show: 'maml', k: 5, task: 2 };

/** The training settings a state asks for (the rest are the defaults). */
export const trainConfig = (s: MamlState): TrainConfig => ({ ...TRAIN_DEFAULTS, seed: s.seed, hidden: s.hidden, iterations: s.iters });

/** Whether a run of `config` is the one the state's training settings (seed, hidden units, meta-iterations) ask for. */
export const sameTraining = (config: TrainConfig, s: MamlState): boolean => config.seed === s.seed && config.hidden === s.hidden && config.iterations === s.iters;

/** The task seed after `seed`: the next value of a seeded generator, in [1, 99999] and never `seed` itself. */
export function nextTaskSeed(seed: number): number {
  const next = 1 + Math.floor(mulberry32(seed * 7919)() * 99999);
  return next === seed ? (seed % 99999) + 1 : next;
}

/** What the island knows about training; null before the first snapshot (the view then shows θ₀). */
export interface TrainingView {
  config: TrainConfig;
  phase: 'running' | 'paused' | 'trained';
  iteration: number;
  curve: readonly CurvePoint[];
  thetas: Record<MamlMethod, ArrayLike<number>>;
  evaluation: Evaluation | null;
}

/** The task a task seed names (support and query points of K = `points` each). */
export const taskOf = (seed: number, points: number): SineTask => sampleSineTask(mulberry32(seed), points);

const lossCache = new Map<string, TaskLosses>();
function lossesFor(hidden: number, points: number): TaskLosses {
  const key = `${hidden}/${points}`;
  let l = lossCache.get(key);
  if (!l) lossCache.set(key, (l = taskLosses(hidden, points)));
  return l;
}

export interface MamlModel {
  config: TrainConfig;
  training: TrainingView | null;
  task: SineTask;
  /** θ₀ and each method's current θ (θ₀ for every method before training). */
  thetas: Record<MamlMethod | 'untrained', Float64Array>;
  /** Query loss on this task after 0 … k steps, per θ. */
  taskLoss: Record<MamlMethod | 'untrained', number[]>;
  /** The shown θ after 0 … k steps. */
  path: Float64Array[];
}

export function mamlModel(s: MamlState, training: TrainingView | null): MamlModel {
  const config = trainConfig(s);
  const t = training && sameTraining(training.config, s) ? training : null;
  const init = mlpInit(config.hidden, mulberry32(config.seed));
  const thetaOf = (m: MamlMethod) => (t ? Float64Array.from(t.thetas[m]) : init);
  const thetas = { untrained: init, maml: thetaOf('maml'), fomaml: thetaOf('fomaml'), reptile: thetaOf('reptile') };
  const task = taskOf(s.task, config.points);
  const losses = lossesFor(config.hidden, config.points);
  losses.load(task);
  const taskLoss = {} as MamlModel['taskLoss'];
  let path: Float64Array[] = [];
  for (const key of ['untrained', ...MAML_METHODS] as const) {
    const p = adapt({ theta: thetas[key], losses, alpha: config.alpha, steps: s.k });
    taskLoss[key] = p.map((th) => losses.val.value(th));
    if (key === s.show) path = p;
  }
  return { config, training: t, task, thetas, taskLoss, path };
}

/** m(x; θ) = w₂ᵀ tanh(W₁x + b₁) + b₂ at each x: mlpPredict's formula over numbers (no tape for 81 points of a redraw). */
export function predictAt(theta: Float64Array, hidden: number, xs: readonly number[]): number[] {
  return xs.map((x) => {
    let y = theta[3 * hidden];
    for (let j = 0; j < hidden; j++) y += theta[2 * hidden + j] * Math.tanh(theta[j] * x + theta[hidden + j]);
    return y;
  });
}

export const FIT_CHART: ChartSize = { width: 560, height: 320 };
export const LOSS_CHART: ChartSize = { width: 560, height: 240 };
const Y_LIMIT = 7;
const XS = Array.from({ length: 81 }, (_, i) => -5 + i / 8);

export function fitChart(s: MamlState, m: MamlModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(FIT_CHART, measured);
  const st = MAML_STYLE[s.show as MamlMethod];
  const clampY = (y: number) => (Number.isFinite(y) ? Math.max(-Y_LIMIT * 1.2, Math.min(Y_LIMIT * 1.2, y)) : NaN);
  const curve = (ys: number[], name: string) => XS.map((x, i) => ({ x, y: clampY(ys[i]), name }));
  const truth = curve(XS.map((x) => sineValue(m.task, x)), 'truth');
  const start = curve(predictAt(m.path[0], m.config.hidden, XS), 'start');
  const end = curve(predictAt(m.path[m.path.length - 1], m.config.hidden, XS), 'end');
  const support = m.task.xTrain.map((x, i) => ({ x, y: m.task.yTrain[i] }));
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 36,
    marginRight: 12,
    ...AXIS_MARGINS,
    style: CHART_STYLE,
    clip: true,
    x: { domain: [-5, 5], label: 'x →', ticks: tickCount(size.width - 48, 10) },
    y: { domain: [-Y_LIMIT, Y_LIMIT], label: '↑ y', ticks: tickCount(size.height - 68, 7) },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      Plot.ruleY([0], { stroke: 'var(--border)' }),
      Plot.line(truth, { x: 'x', y: 'y', stroke: INK, strokeWidth: 1.5, strokeOpacity: 0.75, className: 'fig-truth' }),
      Plot.line(start, { x: 'x', y: 'y', stroke: st.color, strokeWidth: 1.5, strokeDasharray: '5,4', className: 'fig-start' }),
      Plot.line(end, { x: 'x', y: 'y', stroke: st.color, strokeWidth: 2.5, className: 'fig-adapted' }),
      Plot.dot(support, { x: 'x', y: 'y', r: 4, fill: INK, stroke: 'var(--bg)', strokeWidth: 1, className: 'fig-support' }),
    ],
  });
  const who = m.training ? `${st.label}’s meta-learned initialisation` : 'the untrained initialisation θ₀';
  const k = m.path.length - 1;
  const loss = m.taskLoss[s.show as MamlMethod];
  const label = `The task y = ${fmt(m.task.amplitude, 2)} sin(x + ${fmt(m.task.phase, 2)}) with its ${m.task.xTrain.length} support points; ${who} (dashed, query loss ${fmt(loss[0], 3)}) and its fit after ${k} step${k === 1 ? '' : 's'} (solid, query loss ${fmt(loss[k], 3)}).`;
  return finishSvg(svg, label);
}

export const NOT_TRAINED_TEXT = 'Not trained yet: press Train to meta-train the three methods here.';

export function lossChart(m: MamlModel, document: Document, measured?: ChartSize): Element {
  const size = chartSize(LOSS_CHART, measured);
  const curve = m.training?.curve ?? [];
  if (!curve.length) {
    const svg = Plot.plot({
      document, width: size.width, height: size.height, margin: 12, style: CHART_STYLE,
      x: { axis: null, domain: [0, 1] },
      y: { axis: null, domain: [0, 1] },
      marks: [Plot.frame({ stroke: 'var(--border)' }), Plot.text([NOT_TRAINED_TEXT], { x: 0.5, y: 0.5, text: (d: string) => d, fill: INK, lineWidth: Math.max(12, (size.width - 40) / 7) })],
    });
    return finishSvg(svg, `Meta-loss against meta-iterations: ${NOT_TRAINED_TEXT}`);
  }
  const data = curve.flatMap((p) => MAML_METHODS.map((method) => ({ iteration: p.iteration, loss: p.loss[method], method }))).filter((d) => d.loss > 0 && Number.isFinite(d.loss));
  const losses = data.map((d) => d.loss);
  const lo = Math.min(...losses);
  const hi = Math.max(...losses);
  const plotH = size.height - AXIS_MARGINS.marginTop - AXIS_MARGINS.marginBottom;
  const svg = Plot.plot({
    document,
    width: size.width,
    height: size.height,
    marginLeft: 48,
    marginRight: 16,
    ...AXIS_MARGINS,
    style: CHART_STYLE,
    x: { domain: [0, m.config.iterations], label: 'meta-iteration →', ticks: tickCount(size.width - 64, 6) },
    y: { type: 'log', domain: [lo / 1.15, hi * 1.15], label: '↑ meta-loss', tickFormat: fmtLogTick, ticks: tickCount(plotH, 5) },
    marks: [
      Plot.frame({ stroke: 'var(--border)' }),
      ...MAML_METHODS.map((method) =>
        Plot.line(data.filter((d) => d.method === method), { x: 'iteration', y: 'loss', stroke: MAML_STYLE[method].color, strokeWidth: 2, strokeDasharray: MAML_STYLE[method].dash, className: `fig-loss-${method}` }),
      ),
    ],
  });
  const last = curve[curve.length - 1];
  const label = `Meta-loss (mean query loss after one step on ${EVALUATION_TASKS} held-out tasks, log scale) against meta-iterations up to ${last.iteration}: ${MAML_METHODS.map((k) => `${MAML_STYLE[k].label} ${fmt(last.loss[k], 3)}`).join(', ')}.`;
  return finishSvg(svg, label);
}

export function mamlStatus(m: MamlModel): string {
  const items = MAML_METHODS.map((k) => `<li><span class="fig-swatch" style="--c:${MAML_STYLE[k].color}" aria-hidden="true"></span>${esc(MAML_STYLE[k].label)}${MAML_STYLE[k].dash === 'none' ? ' (solid)' : MAML_STYLE[k].dash === '6,3' ? ' (dashed)' : ' (dotted)'}</li>`);
  const bad = (['maml', 'fomaml', 'reptile'] as const).filter((k) => m.taskLoss[k].some((x) => !Number.isFinite(x)));
  const warn = bad.length ? `<p class="fig-warn">${esc(`${bad.map((k) => MAML_STYLE[k].label).join(' and ')} diverged (a loss is not finite); try another seed or fewer hidden units.`)}</p>` : '';
  return `${warn}<ul class="fig-methods" aria-label="Meta-loss curves">${items.join('')}</ul>`;
}

const ROWS = ['untrained', ...MAML_METHODS] as const;
const rowLabel = (k: (typeof ROWS)[number]) => (k === 'untrained' ? 'untrained θ₀' : MAML_STYLE[k].label);

export function mamlTable(s: MamlState, m: MamlModel): string {
  const ev = m.training?.evaluation;
  const head = ['initialisation', 'query loss before adapting', `after k = ${s.k} step${s.k === 1 ? '' : 's'}`, `mean over ${EVALUATION_TASKS} unseen tasks after k = ${s.k}`];
  const rows = ROWS.map((k) => [rowLabel(k), fmt(m.taskLoss[k][0], 4), fmt(m.taskLoss[k][s.k], 4), ev ? fmt(ev[k][s.k], 4) : 'after training']);
  const summary = tableHtml(`Losses on this task (a = ${fmt(m.task.amplitude, 3)}, φ = ${fmt(m.task.phase, 3)})`, head, rows);
  const curve = m.training?.curve ?? [];
  const stride = Math.max(1, Math.ceil(curve.length / 10));
  const shown = curve.filter((_, i) => i % stride === stride - 1 || i === curve.length - 1);
  const curveTable = shown.length ? tableHtml(`Meta-loss: mean query loss after one step on ${EVALUATION_TASKS} held-out tasks`, ['meta-iteration', ...MAML_METHODS.map((k) => MAML_STYLE[k].label)], shown.map((p) => [String(p.iteration), ...MAML_METHODS.map((k) => fmt(p.loss[k], 4))])) : '';
  return summary + curveTable;
}

export function mamlCaption(s: MamlState, m: MamlModel): string {
  const c = m.config;
  const net = `a 1-${c.hidden}-1 tanh network`;
  const task = `The task is y = ${fmt(m.task.amplitude, 3)} sin(x + ${fmt(m.task.phase, 3)}), seen only through its K = ${c.points} support points (dots); the loss is measured on ${c.points} other points of the same task.`;
  const steps = `k = ${s.k} step${s.k === 1 ? '' : 's'} of size α = ${fmt(c.alpha)}`;
  const show = s.show as MamlMethod;
  const t = m.training;
  if (!t) {
    return esc(
      `Before meta-training: the dashed curve is the untrained initialisation θ₀ of ${net} (seed ${c.seed}); the solid curve is its fit after ${steps}. ${task} ` +
        `Here the query loss goes from ${fmt(m.taskLoss.untrained[0], 3)} to ${fmt(m.taskLoss.untrained[s.k], 3)}. Train runs ${c.iterations} meta-iterations of MAML, first-order MAML and Reptile on batches of ${c.metaBatch} tasks, in a background worker; look for the meta-learned initialisation's fit after a few steps against θ₀'s.`,
    );
  }
  const state = t.phase === 'trained' ? `after ${t.iteration} meta-iterations` : `at meta-iteration ${t.iteration} of ${c.iterations}${t.phase === 'paused' ? ' (paused)' : ''}`;
  const here = `On this task, after ${steps}, ${MAML_STYLE[show].label}'s initialisation reaches query loss ${fmt(m.taskLoss[show][s.k], 3)}, against ${fmt(m.taskLoss.untrained[s.k], 3)} from θ₀.`;
  const ev = t.evaluation;
  const best = ev ? MAML_METHODS.reduce((a, b) => (ev[b][s.k] < ev[a][s.k] ? b : a)) : null;
  const unseen = ev && best
    ? ` Over ${EVALUATION_TASKS} unseen tasks, the mean query loss after ${s.k} step${s.k === 1 ? '' : 's'} is ${ROWS.map((k) => `${rowLabel(k)} ${fmt(ev[k][s.k], 3)}`).join(', ')}: lowest for ${MAML_STYLE[best].label}${ev[best][s.k] < ev.untrained[s.k] ? `, ${fmt(ev.untrained[s.k] / ev[best][s.k], 2)} times below θ₀'s` : ''}.`
    : '';
  const curve = ` The lower chart is each method's meta-loss, the mean query loss after one step on the same ${EVALUATION_TASKS} held-out tasks, as training goes on.`;
  return esc(`${MAML_STYLE[show].label}'s initialisation of ${net} ${state}: its prediction (dashed) and its fit after ${steps} (solid). ${task} ${here}${unseen}${curve}`);
}

/** The figure drawing what `training()` reports (null: θ₀, as at build time). */
export function mamlFigureDef(training: () => TrainingView | null): FigureDef<MamlState> {
  return {
    ns: 'maml',
    title: 'MAML sine regression: a meta-learned initialisation, adapted in k steps',
    schema: mamlSchema,
    defaults: mamlDefaults,
    groups: [
      ['Meta-training', ['seed', 'hidden', 'iters']],
      ['Shown', ['show', 'k']],
      ['New task', ['task']],
    ],
    view(state, document, { sizes } = {}) {
      const m = mamlModel(state, training());
      return {
        charts: [fitChart(state, m, document, sizes?.[0]), lossChart(m, document, sizes?.[1])],
        caption: mamlCaption(state, m),
        status: mamlStatus(m),
        table: mamlTable(state, m),
      };
    },
  };
}

/** The build-time figure: θ₀, nothing trained. */
export const mamlFigure = mamlFigureDef(() => null);
