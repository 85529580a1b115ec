import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { grad, hessian, tensor } from '../../../src/lib/autodiff/index.ts';
import { mamlSine } from '../../../src/content/chapters/calc-17-higher-order-gradients/mlp.ts';
import { decodeState, encodeState } from '../../../src/lib/figures/fields.ts';
import { lossChart, mamlDefaults, predictAt, mamlFigure, mamlFigureDef, mamlModel, mamlSchema, nextTaskSeed, NOT_TRAINED_TEXT, taskOf, type MamlState, type TrainingView } from '../../../src/lib/figures/mamlFigure.ts';
import { mamlStaticParts, trainPanelHtml } from '../../../src/lib/figures/mamlPanel.ts';
import { checkConfig, checkTrainMessage, checkTrainRequest, MAX_STEPS } from '../../../src/lib/figures/mamlProtocol.ts';
import { createTrainingRun, EVALUATION_TASKS, type Snapshot } from '../../../src/lib/figures/mamlRun.ts';
import { addMetaDirection, createTrainer, evaluateAdaptation, evaluationTasks, MAML_METHODS, taskLosses, TRAIN_DEFAULTS, type TrainConfig } from '../../../src/lib/figures/mamlTrain.ts';
import { staticFigure } from '../../../src/lib/figures/staticHtml.ts';
import { mlpInit, mlpLoss, mlpPredict, mlpSize } from '../../../src/lib/meta/mlp.ts';
import { mulberry32, sampleSineTask } from '../../../src/lib/meta/sineTasks.ts';
import { fmt } from '../../../src/lib/figures/format.ts';

const doc = () => new JSDOM('').window.document;
const small: TrainConfig = { ...TRAIN_DEFAULTS, hidden: 8, iterations: 40 };
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('MAML figure: meta-training (the worker’s step functions, under Node)', () => {
  it('every method lowers the meta-loss on held-out tasks from the seed’s θ₀, and one step helps MAML’s start but not θ₀', () => {
    const config = { ...TRAIN_DEFAULTS, hidden: 10 };
    const trainer = createTrainer(config);
    const losses = taskLosses(config.hidden, config.points);
    const tasks = evaluationTasks(10, config.points);
    const metaLoss = (theta: Float64Array) => evaluateAdaptation({ theta, tasks, losses, alpha: config.alpha, maxSteps: 1 });
    const before = metaLoss(trainer.init);
    for (let i = 0; i < 300; i++) trainer.step();
    expect(trainer.iteration()).toBe(300);
    const after = Object.fromEntries(MAML_METHODS.map((m) => [m, metaLoss(trainer.thetas[m])]));
    for (const m of MAML_METHODS) expect(after[m][1]).toBeLessThan(0.9 * before[1]);
    // From the same start, one step of adaptation helps MAML's initialisation, and θ₀ not at all.
    expect(after.maml[1]).toBeLessThan(after.maml[0]);
    expect(before[1]).toBeGreaterThan(before[0]);
  });

  it('the default settings (what `npm run perf` times) train MAML to less than half of θ₀’s held-out loss after k = 5 steps', () => {
    const run = createTrainingRun({ config: TRAIN_DEFAULTS, every: TRAIN_DEFAULTS.iterations });
    const s = run.next();
    expect(s.done).toBe(true);
    const ev = s.evaluation!;
    expect(ev.maml[5]).toBeLessThan(0.5 * ev.untrained[5]);
    for (const m of MAML_METHODS) expect(ev[m][5]).toBeLessThan(ev.untrained[5]);
  });

  it('the batch meta-loss of the first iterations is above that of iterations 281–300 for each method (same seed, same tasks)', () => {
    const trainer = createTrainer({ ...TRAIN_DEFAULTS, hidden: 10 });
    const first = { maml: 0, fomaml: 0, reptile: 0 };
    const last = { maml: 0, fomaml: 0, reptile: 0 };
    for (let i = 0; i < 300; i++) {
      const r = trainer.step();
      for (const m of MAML_METHODS) {
        if (i < 20) first[m] += r[m] / 20;
        if (i >= 280) last[m] += r[m] / 20;
      }
    }
    for (const m of MAML_METHODS) expect(last[m]).toBeLessThan(first[m]);
  });

  it('the MAML direction (I − αH)∇L_val(θ′) with one HVP is the chapter’s mamlSine meta-gradient (differentiated through the step)', () => {
    const hidden = 5;
    const alpha = 0.05;
    const rand = mulberry32(11);
    const theta = mlpInit(hidden, rand);
    const tasks = [sampleSineTask(rand, 6), sampleSineTask(rand, 6)];
    const losses = taskLosses(hidden, 6);
    const acc = { maml: new Float64Array(theta.length), fomaml: new Float64Array(theta.length) };
    let loss = 0;
    for (const task of tasks) {
      losses.load(task);
      loss += addMetaDirection({ method: 'maml', theta, losses, alpha, reptileSteps: 1, acc: acc.maml }) / 2;
      addMetaDirection({ method: 'fomaml', theta, losses, alpha, reptileSteps: 1, acc: acc.fomaml });
    }
    const asColumn = (xs: number[]) => xs.map((x) => [x]);
    const ref = mamlSine({ theta: Array.from(theta), alpha, hidden, tasks: tasks.map((t) => ({ xTrain: asColumn(t.xTrain), yTrain: t.yTrain, xVal: asColumn(t.xVal), yVal: t.yVal })) });
    expect(Math.abs(loss - ref.metaLoss)).toBeLessThan(1e-12 * ref.metaLoss);
    expect(maxDiff(acc.maml.map((x) => x / 2), ref.metaGrad)).toBeLessThan(1e-11);
    expect(maxDiff(acc.fomaml.map((x) => x / 2), ref.firstOrderGrad)).toBeLessThan(1e-11);
    // The HVP term is really there: first-order MAML differs.
    expect(maxDiff(ref.metaGrad, ref.firstOrderGrad)).toBeGreaterThan(1e-3);
  });

  it('the MAML direction equals (I − αH)u with H the library’s dense Hessian, and Reptile’s is θ − θ̃ after its SGD steps', () => {
    const hidden = 4;
    const alpha = 0.1;
    const rand = mulberry32(5);
    const theta = mlpInit(hidden, rand);
    const task = sampleSineTask(rand, 5);
    const losses = taskLosses(hidden, 5);
    losses.load(task);
    const Ltr = mlpLoss(tensor(task.xTrain.map((x) => [x])), tensor(task.yTrain), hidden);
    const Lval = mlpLoss(tensor(task.xVal.map((x) => [x])), tensor(task.yVal), hidden);
    const t = tensor(theta);
    const adapted = t.sub(grad(Ltr)(t).mul(alpha));
    const u = grad(Lval)(adapted).data;
    const H = hessian(Ltr)(t).data;
    const n = theta.length;
    const expected = Array.from({ length: n }, (_, i) => u[i] - alpha * Array.from({ length: n }, (_, j) => H[i * n + j] * u[j]).reduce((a, b) => a + b));
    const acc = new Float64Array(n);
    addMetaDirection({ method: 'maml', theta, losses, alpha, reptileSteps: 1, acc });
    expect(maxDiff(acc, expected)).toBeLessThan(1e-12);
    let x = t;
    for (let s = 0; s < 3; s++) x = x.sub(grad(Ltr)(x).mul(alpha));
    const reptile = new Float64Array(n);
    addMetaDirection({ method: 'reptile', theta, losses, alpha, reptileSteps: 3, acc: reptile });
    expect(maxDiff(reptile, t.sub(x).data)).toBeLessThan(1e-13);
  });

  it('a run posts snapshots every `every` iterations, the last one done with the held-out evaluation, and is deterministic', () => {
    const run = createTrainingRun({ config: small, every: 15 });
    const snaps: Snapshot[] = [];
    do snaps.push(run.next());
    while (!snaps[snaps.length - 1].done);
    expect(snaps.map((s) => s.iteration)).toEqual([15, 30, 40]);
    expect(snaps.map((s) => s.evaluation === null)).toEqual([true, true, false]);
    const ev = snaps[2].evaluation!;
    expect(ev.untrained).toHaveLength(MAX_STEPS + 1);
    // The meta-loss curve starts at θ₀ (iteration 0) and is M(θ) on the held-out tasks: its last point is the
    // evaluation after one step.
    expect(snaps.flatMap((s) => s.points.map((p) => p.iteration))).toEqual([0, 15, 30, 40]);
    for (const m of MAML_METHODS) expect(snaps[0].points[0].loss[m]).toBe(ev.untrained[1]);
    for (const m of MAML_METHODS) expect(snaps[2].points[0].loss[m]).toBe(ev[m][1]);
    for (const s of snaps) expect(checkTrainMessage(s, small)).toEqual({ ok: true, value: s });
    const again = createTrainingRun({ config: small, every: 40 }).next();
    expect(again.thetas).toEqual(snaps[2].thetas);
  });
});

describe('MAML figure: the worker protocol rejects malformed messages', () => {
  const start = { type: 'start', config: small, every: 5 };
  it('accepts well-formed requests', () => {
    expect(checkTrainRequest(start)).toEqual({ ok: true, value: start });
    expect(checkTrainRequest({ type: 'pause' })).toEqual({ ok: true, value: { type: 'pause' } });
    expect(checkTrainRequest({ type: 'resume' })).toEqual({ ok: true, value: { type: 'resume' } });
  });
  it.each([
    [null, 'request: expected an object'],
    [[1], 'request: expected an object'],
    [{ type: 'stop' }, 'request: unknown type "stop"'],
    [{ type: 'pause', now: true }, 'request “pause”: unknown key “now”'],
    [{ ...start, extra: 1 }, 'request “start”: unknown key “extra”'],
    [{ ...start, every: 0 }, 'request “start”: every must be a whole number ≥ 1, got 0'],
    [{ ...start, config: { ...small, hidden: 2.5 } }, 'config.hidden: expected a whole number, got 2.5'],
    [{ ...start, config: { ...small, hidden: 65 } }, 'config.hidden: 65 is outside [4, 64]'],
    [{ ...start, config: { ...small, alpha: Number.NaN } }, 'config.alpha: expected a finite number, got null'],
    [{ ...start, config: { ...small, seed: '1' } }, 'config.seed: expected a finite number, got "1"'],
    [{ ...start, config: { ...small, lr: 1 } }, 'config: unknown key “lr”'],
    [{ ...start, config: (({ seed: _, ...rest }) => rest)(small) }, 'config.seed: expected a finite number, got undefined'],
  ])('rejects %j', (m, message) => {
    expect(checkTrainRequest(m)).toEqual({ ok: false, message });
  });
  it('checkConfig accepts the defaults', () => expect(checkConfig(TRAIN_DEFAULTS).ok).toBe(true));

  it('the page rejects worker messages of the wrong shape or size for its run', () => {
    const snap = createTrainingRun({ config: small, every: 40 }).next();
    const n = mlpSize(small.hidden);
    const bad: unknown[] = [
      null,
      { type: 'log', text: 'x' },
      { type: 'error' },
      { type: 'paused', iteration: small.iterations + 1 },
      { ...snap, extra: 1 },
      { ...snap, iteration: small.iterations + 1 },
      { ...snap, total: 7 },
      { ...snap, done: 'yes' },
      { ...snap, thetas: { ...snap.thetas, maml: snap.thetas.maml.slice(1) } },
      { ...snap, thetas: { ...snap.thetas, maml: Array(n).fill('1') } },
      { ...snap, thetas: { maml: snap.thetas.maml, fomaml: snap.thetas.fomaml } },
      { ...snap, points: [{ iteration: 99, loss: snap.points[0].loss }] },
      { ...snap, points: [{ iteration: 40, loss: { maml: 1 } }] },
      { ...snap, evaluation: { ...snap.evaluation, maml: [1, 2] } },
    ];
    for (const m of bad) {
      const r = checkTrainMessage(m, small);
      expect(r.ok, JSON.stringify(m)?.slice(0, 80)).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^The training worker sent a malformed message \(.+\)\.$/);
    }
    expect(checkTrainMessage({ type: 'error', message: 'x' }, small)).toEqual({ ok: true, value: { type: 'error', message: 'x' } });
    expect(checkTrainMessage({ type: 'paused', iteration: 3 }, small)).toEqual({ ok: true, value: { type: 'paused', iteration: 3 } });
    // A snapshot of another run (another hidden size) does not fit this one.
    expect(checkTrainMessage(snap, { ...small, hidden: 9 }).ok).toBe(false);
  });
});

describe('MAML figure: URL hash state', () => {
  const state: MamlState = { seed: 42, hidden: 12, iters: 500, show: 'reptile', k: 3, task: 9 };
  it('round-trips through the hash next to other keys', () => {
    const h = encodeState('#code-x=1', 'maml', mamlSchema, state, mamlDefaults);
    expect(h).toBe('#code-x=1&maml.v=1&maml.seed=42&maml.hidden=12&maml.iters=500&maml.show=reptile&maml.k=3&maml.task=9');
    expect(decodeState(h, 'maml', mamlSchema, mamlDefaults)).toEqual({ state, notice: null });
  });
  it.each([
    ['#maml.v=1&maml.hidden=3', 'Hidden units: enter a number from 4 to 64.'],
    ['#maml.v=1&maml.iters=1e9', 'Meta-iterations: enter a number from 10 to 20000.'],
    ['#maml.v=1&maml.k=2.5', 'Adaptation steps k: enter a whole number.'],
    ['#maml.v=1&maml.show=sgd', 'Initialisation shown: unknown choice “sgd”.'],
    ['#maml.v=1&maml.task=abc', 'Task seed: “abc” is not a number.'],
    ['#maml.v=1&maml.lr=1', 'unknown setting “lr”'],
  ])('answers %s with a notice and the defaults', (hash, message) => {
    const d = decodeState(hash, 'maml', mamlSchema, mamlDefaults);
    expect(d.state).toEqual(mamlDefaults);
    expect(d.notice).toContain(message);
  });
  it('a new task seed is deterministic, in range and never the same', () => {
    for (const s of [1, 2, 99999, 12345]) {
      const n = nextTaskSeed(s);
      expect(n).toBe(nextTaskSeed(s));
      expect(n).not.toBe(s);
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(99999);
      expect(taskOf(n, 10).amplitude).not.toBe(taskOf(s, 10).amplitude);
    }
  });
});

describe('MAML figure: the view', () => {
  it('draws predictions with mlpPredict’s formula', () => {
    const theta = mlpInit(7, mulberry32(3));
    const xs = [-5, -1.25, 0, 0.3, 4.875];
    const ref = mlpPredict(tensor(theta), tensor(xs.map((x) => [x])), 7).data;
    expect(maxDiff(predictAt(theta, 7, xs), ref)).toBeLessThan(1e-14);
  });

  it('renders static SVG at build time: the task, its K support points, θ₀ and its fit, and an untrained loss chart', () => {
    const p = staticFigure(mamlFigure, doc());
    expect(p.charts).toHaveLength(2);
    const d = new JSDOM(`<body>${p.charts.join('')}</body>`).window.document;
    const [fit, loss] = Array.from(d.querySelectorAll('svg'));
    expect(fit.getAttribute('role')).toBe('img');
    expect(fit.querySelectorAll('.fig-support circle')).toHaveLength(10);
    for (const c of ['fig-truth', 'fig-start', 'fig-adapted']) expect(fit.querySelectorAll(`.${c} path`)).toHaveLength(1);
    expect(loss.textContent).toContain(NOT_TRAINED_TEXT);
    // Every number in the caption comes from the model.
    const m = mamlModel(mamlDefaults, null);
    expect(p.caption).toContain(`Here the query loss goes from ${fmt(m.taskLoss.untrained[0], 3)} to ${fmt(m.taskLoss.untrained[mamlDefaults.k], 3)}.`);
    expect(p.caption).toContain(`y = ${fmt(m.task.amplitude, 3)} sin(x + ${fmt(m.task.phase, 3)})`);
    expect(p.table).toContain('after training');
    // Coordinates are rounded for the page (one decimal).
    for (const path of Array.from(fit.querySelectorAll('path'))) expect(path.getAttribute('d')).not.toMatch(/\d\.\d\d/);
  });

  it('the build-time parts carry the training panel: inert buttons, a labelled progress bar and a status line', () => {
    const parts = mamlStaticParts(doc());
    const d = new JSDOM(`<body>${parts.buttons}</body>`).window.document;
    expect(Array.from(d.querySelectorAll('button'), (b) => b.textContent)).toEqual(['Train', 'Pause', 'Resume', 'Reset training', 'New task']);
    for (const b of Array.from(d.querySelectorAll('button'))) expect(b.getAttribute('aria-disabled')).toBe('true');
    expect(d.querySelector('label[for="fig-maml-progress"]')?.textContent).toBe('Meta-training progress');
    expect(d.querySelector('progress')?.getAttribute('max')).toBe(String(mamlDefaults.iters));
    expect(d.querySelector('[role="status"]')?.textContent).toBe('Not trained yet.');
    expect(trainPanelHtml('x', 7)).toContain('max="7"');
  });

  it('draws a trained run: three meta-loss curves, the chosen method’s start, and the held-out evaluation in the caption', () => {
    const state: MamlState = { ...mamlDefaults, hidden: small.hidden, iters: small.iterations, k: 2 };
    const run = createTrainingRun({ config: { ...small }, every: 10 });
    const points = [];
    let s: Snapshot;
    do {
      s = run.next();
      points.push(...s.points);
    } while (!s.done);
    const training: TrainingView = { config: small, phase: 'trained', iteration: s.iteration, curve: points, thetas: s.thetas, evaluation: s.evaluation };
    const view = mamlFigureDef(() => training).view(state, doc());
    for (const m of MAML_METHODS) expect(view.charts[1].querySelectorAll(`.fig-loss-${m} path`)).toHaveLength(1);
    const ev = s.evaluation!;
    expect(view.caption).toContain(`Over ${EVALUATION_TASKS} unseen tasks, the mean query loss after 2 steps is untrained θ₀ ${fmt(ev.untrained[2], 3)}, MAML ${fmt(ev.maml[2], 3)}`);
    expect(view.caption).toContain('after 40 meta-iterations');
    const m = mamlModel(state, training);
    expect(Array.from(m.path[0])).toEqual(s.thetas.maml);
    // A run of other settings is not drawn: the view falls back to θ₀.
    expect(mamlModel({ ...state, seed: 2 }, training).training).toBeNull();
    expect(lossChart(mamlModel({ ...state, seed: 2 }, training), doc()).textContent).toContain(NOT_TRAINED_TEXT);
  });
});
