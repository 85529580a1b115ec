/**
 * Island entry for figure 9: the figure (mountFigure) plus its training controller. Meta-training runs in a module
 * worker (mamlTrain.worker.ts), never on this thread; every message from it is checked (mamlProtocol.ts) and a
 * malformed one, a worker error or a failed load ends the run with a message while the figure stays usable. Reset,
 * new training settings and leaving the page terminate the worker.
 *
 * The root's `data-train` is the run's phase (idle, running, paused, trained, error) and `data-iteration` the last
 * snapshot's meta-iteration, for tests and the perf script; `data-train-ms` is the time from Train to trained.
 */
import workerUrl from './mamlTrain.worker.ts?worker&url';
import { mountFigure } from './mountFigure.ts';
import { mamlFigureDef, nextTaskSeed, trainConfig, type MamlState, type TrainingView } from './mamlFigure.ts';
import { checkTrainMessage, type CurvePoint, type TrainRequest } from './mamlProtocol.ts';
import type { TrainConfig } from './mamlTrain.ts';
import { NOT_TRAINED_STATUS, type TrainAction } from './mamlPanel.ts';

type Phase = 'idle' | 'running' | 'paused' | 'trained' | 'error';

/** Which buttons work in each phase. */
const ENABLED: Record<Phase, readonly TrainAction[]> = {
  idle: ['train', 'resample'],
  running: ['pause', 'reset', 'resample'],
  paused: ['resume', 'reset', 'resample'],
  trained: ['train', 'reset', 'resample'],
  error: ['train', 'reset', 'resample'],
};

/** A module worker started from a one-line blob: module, so it inherits the page's Content-Security-Policy. */
function spawnTrainer(): Worker {
  const src = `import ${JSON.stringify(new URL(workerUrl, location.href).href)};\n`;
  const blob = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  const worker = new Worker(blob, { type: 'module', name: 'maml-training' });
  const revoke = () => URL.revokeObjectURL(blob);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}

const sameRun = (a: TrainConfig, s: MamlState) => a.seed === s.seed && a.hidden === s.hidden && a.iterations === s.iters;

export function mount(root: HTMLElement) {
  const button = (a: TrainAction) => root.querySelector<HTMLButtonElement>(`[data-train-action="${a}"]`)!;
  const progress = root.querySelector<HTMLProgressElement>('progress')!;
  const statusLine = root.querySelector<HTMLElement>('.fig-train-status')!;
  let phase: Phase = 'idle';
  let worker: Worker | null = null;
  let config: TrainConfig | null = null;
  let view: TrainingView | null = null;
  let curve: CurvePoint[] = [];
  let startedAt = 0;
  let frame = 0;

  const fig = mountFigure(root, mamlFigureDef(() => view), {
    onState(s) {
      // New training settings: the run no longer describes what the figure asks for.
      if (config && !sameRun(config, s)) reset('The training settings changed: press Train to meta-train with them.');
      progress.max = s.iters;
    },
  });

  function redraw() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fig.render();
    });
  }

  function setPhase(next: Phase, message?: string, bad = false) {
    const focused = root.querySelector(':focus');
    phase = next;
    root.dataset.train = next;
    for (const b of Array.from(root.querySelectorAll<HTMLButtonElement>('[data-train-action]'))) b.disabled = !ENABLED[next].includes(b.dataset.trainAction as TrainAction);
    if (message !== undefined) {
      statusLine.textContent = message;
      statusLine.classList.toggle('fig-bad', bad);
    }
    // Keep keyboard focus on the panel when the focused button turns off (Pause → Resume and back).
    if (focused instanceof HTMLButtonElement && focused.disabled) {
      const to = ENABLED[next].find((a) => a !== 'resample') ?? 'train';
      button(to).focus();
    }
  }

  function stopWorker() {
    worker?.terminate();
    worker = null;
  }

  function fail(message: string) {
    stopWorker();
    setPhase('error', `Training stopped: ${message} The figure still shows the last state; press Train to try again.`, true);
  }

  function send(m: TrainRequest) {
    worker?.postMessage(m);
  }

  function onMessage(e: MessageEvent) {
    if (!config || e.currentTarget !== worker) return;
    const checked = checkTrainMessage(e.data, config);
    if (!checked.ok) return fail(checked.message);
    const m = checked.value;
    if (m.type === 'error') return fail(m.message);
    if (m.type === 'paused') {
      if (phase === 'paused') statusLine.textContent = `Paused at meta-iteration ${m.iteration} of ${config.iterations}.`;
      return;
    }
    curve = curve.concat(m.points);
    view = { config, phase: m.done ? 'trained' : phase === 'paused' ? 'paused' : 'running', iteration: m.iteration, curve, thetas: m.thetas, evaluation: m.evaluation };
    progress.value = m.iteration;
    root.dataset.iteration = String(m.iteration);
    if (m.done) {
      const seconds = (performance.now() - startedAt) / 1000;
      root.dataset.trainMs = String(Math.round(seconds * 1000));
      stopWorker();
      setPhase('trained', `Trained: ${m.iteration} meta-iterations of each method in ${seconds.toFixed(1)} s.`);
    }
    redraw();
  }

  function train() {
    stopWorker();
    const s = fig.state();
    config = trainConfig(s);
    curve = [];
    view = null;
    delete root.dataset.trainMs;
    root.dataset.iteration = '0';
    progress.max = config.iterations;
    progress.value = 0;
    startedAt = performance.now();
    try {
      worker = spawnTrainer();
    } catch (err) {
      return fail(err instanceof Error ? err.message : String(err));
    }
    const current = worker;
    worker.addEventListener('message', onMessage);
    // Only the current run's worker may end the run (an ended one can still have events queued).
    worker.addEventListener('messageerror', () => {
      if (current === worker) fail('a message from the training worker could not be read.');
    });
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      if (current === worker) fail(e.message ? `${e.message}.` : 'the training worker failed to load.');
    });
    send({ type: 'start', config, every: Math.max(1, Math.round(config.iterations / 100)) });
    setPhase('running', `Meta-training MAML, first-order MAML and Reptile (${config.iterations} meta-iterations each) in a background worker…`);
    redraw();
  }

  function reset(message = NOT_TRAINED_STATUS) {
    stopWorker();
    config = null;
    view = null;
    curve = [];
    progress.value = 0;
    root.dataset.iteration = '0';
    delete root.dataset.trainMs;
    setPhase('idle', message, false);
    redraw();
  }

  button('train').addEventListener('click', train);
  button('pause').addEventListener('click', () => {
    if (phase !== 'running') return;
    send({ type: 'pause' });
    setPhase('paused', 'Pausing…');
    if (view) view = { ...view, phase: 'paused' };
    redraw();
  });
  button('resume').addEventListener('click', () => {
    if (phase !== 'paused') return;
    send({ type: 'resume' });
    setPhase('running', 'Meta-training resumed…');
    if (view) view = { ...view, phase: 'running' };
  });
  button('reset').addEventListener('click', () => reset());
  button('resample').addEventListener('click', () => fig.set({ task: nextTaskSeed(fig.state().task) }));
  // Leaving the page ends the run (a page restored from the back-forward cache starts idle).
  addEventListener('pagehide', () => {
    if (worker) reset('Training stopped when the page was left; press Train to start again.');
  });
  progress.max = fig.state().iters;
  setPhase('idle');
  return fig;
}
