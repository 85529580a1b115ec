/**
 * Island entry for figure 9: the figure (mountFigure) plus its training panel. Meta-training runs in a module
 * worker (mamlWorkerClient.ts → mamlTrain.worker.ts), never on this thread; a failed run ends with a message in
 * the panel while the figure stays usable. Reset training, new training settings and leaving the page terminate
 * the worker.
 *
 * The root's `data-train` is the run's phase (idle, running, paused, trained, error) and `data-iteration` the last
 * snapshot's meta-iteration, for tests and the perf script; `data-train-ms` is the time from Train to trained.
 */
import { mountFigure } from './mountFigure.ts';
import { mamlFigureDef, nextTaskSeed, sameTraining, trainConfig, type TrainingView } from './mamlFigure.ts';
import type { CurvePoint } from './mamlProtocol.ts';
import type { TrainConfig } from './mamlTrain.ts';
import { NOT_TRAINED_STATUS, type TrainAction } from './mamlPanel.ts';
import { startTraining, type TrainingClient } from './mamlWorkerClient.ts';

type Phase = 'idle' | 'running' | 'paused' | 'trained' | 'error';

/** Which buttons work in each phase. */
const ENABLED: Record<Phase, readonly TrainAction[]> = {
  idle: ['train', 'resample'],
  running: ['pause', 'reset', 'resample'],
  paused: ['resume', 'reset', 'resample'],
  trained: ['train', 'reset', 'resample'],
  error: ['train', 'reset', 'resample'],
};

/** The panel's buttons, progress bar and status line, switched per phase. */
function trainingPanel(root: HTMLElement) {
  const button = (a: TrainAction) => root.querySelector<HTMLButtonElement>(`[data-train-action="${a}"]`)!;
  const progress = root.querySelector<HTMLProgressElement>('progress')!;
  const statusLine = root.querySelector<HTMLElement>('.fig-train-status')!;
  return {
    button,
    progress,
    say(message: string, bad = false) {
      statusLine.textContent = message;
      statusLine.classList.toggle('fig-bad', bad);
    },
    show(phase: Phase) {
      const focused = root.querySelector(':focus');
      root.dataset.train = phase;
      for (const b of Array.from(root.querySelectorAll<HTMLButtonElement>('[data-train-action]'))) b.disabled = !ENABLED[phase].includes(b.dataset.trainAction as TrainAction);
      // Keep keyboard focus on the panel when the focused button turns off (Pause → Resume and back).
      if (focused instanceof HTMLButtonElement && focused.disabled) button(ENABLED[phase].find((a) => a !== 'resample') ?? 'train').focus();
    },
  };
}

export function mount(root: HTMLElement) {
  const panel = trainingPanel(root);
  let phase: Phase = 'idle';
  let run: { config: TrainConfig; client: TrainingClient; curve: CurvePoint[]; startedAt: number } | null = null;
  let view: TrainingView | null = null;
  let frame = 0;

  const fig = mountFigure(root, mamlFigureDef(() => view), {
    onState(s) {
      // New training settings: the run no longer describes what the figure asks for.
      if (run && !sameTraining(run.config, s)) reset('The training settings changed: press Train to meta-train with them.');
      panel.progress.max = s.iters;
    },
  });
  const redraw = () => {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      fig.render();
    });
  };
  const setPhase = (next: Phase, message?: string, bad = false) => {
    phase = next;
    if (view) view = { ...view, phase: next === 'paused' ? 'paused' : next === 'trained' ? 'trained' : 'running' };
    panel.show(next);
    if (message !== undefined) panel.say(message, bad);
  };
  const setIteration = (i: number) => {
    panel.progress.value = i;
    root.dataset.iteration = String(i);
  };

  function train() {
    run?.client.stop();
    const config = trainConfig(fig.state());
    const current = { config, curve: [] as CurvePoint[], startedAt: performance.now(), client: null as unknown as TrainingClient };
    run = current;
    view = null;
    delete root.dataset.trainMs;
    panel.progress.max = config.iterations;
    setIteration(0);
    setPhase('running', `Meta-training MAML, first-order MAML and Reptile (${config.iterations} meta-iterations each) in a background worker…`);
    current.client = startTraining(config, Math.max(1, Math.round(config.iterations / 100)), {
      onSnapshot(m) {
        current.curve = current.curve.concat(m.points);
        view = { config, phase: m.done ? 'trained' : phase === 'paused' ? 'paused' : 'running', iteration: m.iteration, curve: current.curve, thetas: m.thetas, evaluation: m.evaluation };
        setIteration(m.iteration);
        if (m.done) {
          const seconds = (performance.now() - current.startedAt) / 1000;
          root.dataset.trainMs = String(Math.round(seconds * 1000));
          setPhase('trained', `Trained: ${m.iteration} meta-iterations of each method in ${seconds.toFixed(1)} s.`);
        }
        redraw();
      },
      onPaused(i) {
        if (phase === 'paused') panel.say(`Paused at meta-iteration ${i} of ${config.iterations}.`);
      },
      onFail(message) {
        setPhase('error', `Training stopped: ${message} The figure still shows the last state; press Train to try again.`, true);
      },
    });
    redraw();
  }

  function reset(message = NOT_TRAINED_STATUS) {
    run?.client.stop();
    run = null;
    view = null;
    setIteration(0);
    delete root.dataset.trainMs;
    setPhase('idle', message);
    redraw();
  }

  panel.button('train').addEventListener('click', train);
  panel.button('pause').addEventListener('click', () => {
    if (phase !== 'running') return;
    run?.client.pause();
    setPhase('paused', 'Pausing…');
    redraw();
  });
  panel.button('resume').addEventListener('click', () => {
    if (phase !== 'paused') return;
    run?.client.resume();
    setPhase('running', 'Meta-training resumed…');
  });
  panel.button('reset').addEventListener('click', () => reset());
  panel.button('resample').addEventListener('click', () => fig.set({ task: nextTaskSeed(fig.state().task) }));
  // Leaving the page ends the run (a page restored from the back-forward cache starts idle).
  addEventListener('pagehide', () => {
    if (phase === 'running' || phase === 'paused') reset('Training stopped when the page was left; press Train to start again.');
  });
  panel.progress.max = fig.state().iters;
  setPhase('idle');
  return fig;
}
