/// <reference lib="webworker" />
/**
 * The MAML figure's training worker: runs meta-training in chunks (a snapshot to the page after each) with a
 * macrotask between chunks, so "pause" is handled within one chunk. Every request is checked (mamlProtocol.ts);
 * a malformed one is answered with an error message and changes nothing.
 */
import { checkTrainRequest, type TrainMessage } from './mamlProtocol.ts';
import { createTrainingRun, type TrainingRun } from './mamlRun.ts';

declare const self: DedicatedWorkerGlobalScope;
const post = (m: TrainMessage) => self.postMessage(m);

let run: TrainingRun | null = null;
let paused = false;
let scheduled = false;

function schedule() {
  if (scheduled || paused || !run) return;
  scheduled = true;
  setTimeout(chunk, 0);
}

function chunk() {
  scheduled = false;
  if (paused || !run) return;
  try {
    const snap = run.next();
    post(snap);
    if (snap.done) run = null;
    else schedule();
  } catch (err) {
    run = null;
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

self.addEventListener('message', (e: MessageEvent) => {
  const r = checkTrainRequest(e.data);
  if (!r.ok) {
    post({ type: 'error', message: r.message });
    return;
  }
  const m = r.value;
  if (m.type === 'start') {
    run = createTrainingRun({ config: m.config, every: m.every });
    paused = false;
  } else {
    paused = m.type === 'pause';
    // Chunks run between messages, so none is running now: after this answer, nothing is posted until "resume".
    if (paused) post({ type: 'paused', iteration: run?.iteration() ?? 0 });
  }
  schedule();
});
