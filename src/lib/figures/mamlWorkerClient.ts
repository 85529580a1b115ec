/**
 * The page's side of a training run: starts the worker, sends it requests, and passes on only messages that pass
 * `checkTrainMessage` for this run. Anything else (a malformed message, a worker `error` or `messageerror`, a
 * worker that cannot be started) ends the run: the worker is terminated and `onFail` says why.
 */
import workerUrl from './mamlTrain.worker.ts?worker&url';
import { checkTrainMessage, type TrainMessage } from './mamlProtocol.ts';
import type { TrainConfig } from './mamlTrain.ts';

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

export interface TrainingClient {
  pause(): void;
  resume(): void;
  /** Terminates the worker; no callback is called after this. */
  stop(): void;
}

export interface TrainingCallbacks {
  onSnapshot(m: Extract<TrainMessage, { type: 'snapshot' }>): void;
  onPaused(iteration: number): void;
  /** The run ended abnormally (the worker is already terminated). */
  onFail(message: string): void;
}

/** Starts a run of `config` with a snapshot every `every` meta-iterations; the worker is terminated when it is done. */
export function startTraining(config: TrainConfig, every: number, cb: TrainingCallbacks): TrainingClient {
  let worker: Worker | null = null;
  const stop = () => {
    worker?.terminate();
    worker = null;
  };
  const fail = (message: string) => {
    if (!worker) return;
    stop();
    cb.onFail(message);
  };
  try {
    worker = spawnTrainer();
  } catch (err) {
    queueMicrotask(() => cb.onFail(err instanceof Error ? err.message : String(err)));
    return { pause() {}, resume() {}, stop() {} };
  }
  worker.addEventListener('message', (e: MessageEvent) => {
    if (!worker) return;
    const checked = checkTrainMessage(e.data, config);
    if (!checked.ok) return fail(checked.message);
    const m = checked.value;
    if (m.type === 'error') return fail(m.message);
    if (m.type === 'paused') return cb.onPaused(m.iteration);
    if (m.done) stop();
    cb.onSnapshot(m);
  });
  worker.addEventListener('messageerror', () => fail('a message from the training worker could not be read.'));
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    fail(e.message ? `${e.message}.` : 'the training worker failed to load.');
  });
  worker.postMessage({ type: 'start', config, every });
  return {
    pause: () => worker?.postMessage({ type: 'pause' }),
    resume: () => worker?.postMessage({ type: 'resume' }),
    stop,
  };
}
