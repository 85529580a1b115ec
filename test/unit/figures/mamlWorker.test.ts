import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainMessage } from '../../../src/lib/figures/mamlProtocol.ts';
import { TRAIN_DEFAULTS } from '../../../src/lib/figures/mamlTrain.ts';

/** The worker module loaded under Node with a stand-in `self`: what it posts, and a way to send it messages. */
async function loadWorker() {
  const target = new EventTarget();
  const posted: TrainMessage[] = [];
  const self = Object.assign(target, { postMessage: (m: TrainMessage) => posted.push(structuredClone(m)) });
  vi.stubGlobal('self', self);
  vi.resetModules();
  await import('../../../src/lib/figures/mamlTrain.worker.ts');
  const send = (data: unknown) => target.dispatchEvent(new MessageEvent('message', { data }));
  return { posted, send };
}

const until = (cond: () => boolean) => vi.waitFor(() => expect(cond()).toBe(true), { timeout: 30_000, interval: 5 });

describe('the MAML training worker (its message loop, under Node)', () => {
  beforeEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.unstubAllGlobals());

  it('answers a malformed request with an error and does nothing else', async () => {
    const w = await loadWorker();
    w.send({ type: 'start', config: { ...TRAIN_DEFAULTS, hidden: 1000 }, every: 1 });
    w.send('start');
    expect(w.posted).toEqual([
      { type: 'error', message: 'config.hidden: 1000 is outside [4, 64]' },
      { type: 'error', message: 'request: expected an object' },
    ]);
  });

  it('streams snapshots, stops on pause (answered with the iteration), continues on resume, and ends with the evaluation', async () => {
    const w = await loadWorker();
    const config = { ...TRAIN_DEFAULTS, hidden: 4, iterations: 60 };
    w.send({ type: 'start', config, every: 5 });
    // The start request only schedules the first chunk.
    expect(w.posted).toEqual([]);
    await until(() => w.posted.length >= 2);
    w.send({ type: 'pause' });
    const paused = w.posted[w.posted.length - 1];
    expect(paused.type).toBe('paused');
    const snapshots = () => w.posted.filter((m): m is Extract<TrainMessage, { type: 'snapshot' }> => m.type === 'snapshot');
    const at = snapshots().length;
    expect(paused).toEqual({ type: 'paused', iteration: snapshots()[at - 1].iteration });
    // While paused, the chunk that was already scheduled runs (timers of equal delay run in order), finds the flag
    // and posts nothing.
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(snapshots().length).toBe(at);
    w.send({ type: 'resume' });
    await until(() => snapshots().some((s) => s.done));
    const its = snapshots().map((s) => s.iteration);
    expect(its).toEqual(Array.from({ length: 12 }, (_, i) => 5 * (i + 1)));
    expect(snapshots().filter((s) => s.evaluation !== null).map((s) => s.iteration)).toEqual([60]);
  });
});
