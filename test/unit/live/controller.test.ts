import { describe, expect, it } from 'vitest';
import { RunController, type RunCallbacks, type WorkerLike } from '../../../src/lib/live/controller.ts';
import { isWorkerMessage, type RunRequest, type WorkerMessage } from '../../../src/lib/live/protocol.ts';

class FakeWorker implements WorkerLike {
  posted: RunRequest[] = [];
  terminated = false;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  postMessage(m: unknown) {
    this.posted.push(m as RunRequest);
  }
  terminate() {
    this.terminated = true;
  }
  addEventListener(type: string, l: (e: never) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  emit(data: unknown) {
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  fail(message: string) {
    for (const l of this.listeners.error ?? []) l({ message, preventDefault() {} } as never);
  }
}

function setup(timeoutMs = 3000) {
  const workers: FakeWorker[] = [];
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const c = new RunController({
    spawn: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    },
    timeoutMs,
    loadTimeoutMs: 20_000,
    now: () => now,
    setTimer: (fn, ms) => {
      const id = nextTimer++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimer: (id) => void timers.delete(id as number),
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...timers]) if (t.at <= now && timers.delete(id)) t.fn();
  };
  const events: string[] = [];
  const messages: WorkerMessage[] = [];
  const cb: RunCallbacks = {
    message: (m) => (messages.push(m), events.push(m.type)),
    stopped: (reason, after) => events.push(`stopped:${reason}:${after}`),
    crashed: (m) => events.push(`crashed:${m}`),
  };
  return { c, workers, advance, events, messages, cb, pending: () => timers.size };
}

describe('RunController', () => {
  it('runs in a warm spare, forwards messages of its run only, and keeps a new spare ready', () => {
    const { c, workers, events, cb, messages } = setup();
    c.warm();
    expect(workers).toHaveLength(1);
    workers[0].emit({ type: 'ready' });
    const id = c.run('console.log(1)', 'a.ts', cb);
    expect(workers[0].posted).toEqual([{ type: 'run', runId: id, source: 'console.log(1)', filename: 'a.ts', limits: { maxLines: 500, maxChars: 50_000 } }]);
    expect(workers).toHaveLength(2); // the next spare
    workers[0].emit({ type: 'console', runId: id, level: 'log', text: '1' });
    workers[0].emit({ type: 'console', runId: id + 99, level: 'log', text: 'other run' });
    workers[0].emit({ type: 'console', runId: id, level: 'shout', text: 'malformed' });
    workers[0].emit('garbage');
    workers[0].emit({ type: 'done', runId: id, ok: true, ms: 3 });
    expect(events).toEqual(['console', 'done']);
    expect(messages[0]).toMatchObject({ text: '1' });
    expect(c.running).toBe(false);
  });

  it('terminates a run that spends its budget, counted from when the worker is ready', () => {
    const { c, workers, advance, events, cb } = setup(3000);
    c.run('while (true) {}', 'a.ts', cb);
    advance(5000); // still loading: the budget has not started
    expect(events).toEqual([]);
    workers[0].emit({ type: 'ready' });
    advance(2999);
    expect(workers[0].terminated).toBe(false);
    advance(1);
    expect(workers[0].terminated).toBe(true);
    expect(events).toEqual(['stopped:timeout:3000']);
    expect(c.running).toBe(false);
    // Messages from the dead worker are ignored; the next run uses a fresh worker.
    workers[0].emit({ type: 'done', runId: 1, ok: true, ms: 1 });
    expect(events).toHaveLength(1);
    c.run('1', 'a.ts', cb);
    expect(workers[1].posted).toHaveLength(1);
    expect(workers[1].terminated).toBe(false);
  });

  it('does not stop a run that finished, and keeps its worker for late output until the next run', () => {
    const { c, workers, advance, events, cb, pending } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('setTimeout(() => console.log(2), 10)', 'a.ts', cb);
    workers[0].emit({ type: 'done', runId: id, ok: true, ms: 1 });
    expect(pending()).toBe(0);
    advance(10_000);
    workers[0].emit({ type: 'console', runId: id, level: 'log', text: '2' });
    expect(events).toEqual(['done', 'console']);
    c.run('x', 'a.ts', cb);
    expect(workers[0].terminated).toBe(true);
  });

  it('stops on request, and reports a worker that fails to load or start', () => {
    const { c, workers, advance, events, cb } = setup();
    c.run('x', 'a.ts', cb);
    workers[0].emit({ type: 'ready' });
    c.stop();
    expect(workers[0].terminated).toBe(true);
    expect(events).toEqual(['stopped:stopped:0']);
    c.run('y', 'a.ts', cb); // takes the spare (workers[1])
    workers[1].fail('network error');
    expect(events.at(-1)).toBe('crashed:network error');
    expect(workers[1].terminated).toBe(true);
    c.run('z', 'a.ts', cb); // workers[2], never ready
    advance(20_000);
    expect(events.at(-1)).toBe('crashed:the runner did not load in time');
  });

  it('uses a worker started before it (by the bootstrap) as its first spare', () => {
    const early = new FakeWorker();
    const spawned: FakeWorker[] = [];
    const c = new RunController({ spawn: () => (spawned.push(new FakeWorker()), spawned.at(-1)!), initialWorker: early, timeoutMs: 1000 });
    const events: string[] = [];
    const id = c.run('x', 'a.ts', { message: (m) => events.push(m.type), stopped: () => {}, crashed: () => {} });
    expect(early.posted).toHaveLength(1);
    expect(spawned).toHaveLength(1); // only the next spare
    early.emit({ type: 'ready' });
    early.emit({ type: 'done', runId: id, ok: true, ms: 1 });
    expect(events).toEqual(['done']);
    c.destroy();
  });

  it('destroy terminates every worker', () => {
    const { c, workers, cb } = setup();
    c.run('x', 'a.ts', cb);
    c.destroy();
    expect(workers.every((w) => w.terminated)).toBe(true);
  });
});

describe('worker messages', () => {
  it('are validated before the page trusts them', () => {
    expect(isWorkerMessage({ type: 'ready' })).toBe(true);
    expect(isWorkerMessage({ type: 'console', runId: 1, level: 'log', text: 'x' })).toBe(true);
    expect(isWorkerMessage({ type: 'plot', runId: 1, name: 'p', spec: { marks: [] } })).toBe(true);
    expect(isWorkerMessage({ type: 'error', runId: 1, phase: 'syntax', error: { name: 'SyntaxError', message: 'x' } })).toBe(true);
    expect(isWorkerMessage({ type: 'done', runId: 1, ok: true, ms: 2 })).toBe(true);
    expect(isWorkerMessage({ type: 'truncated', runId: 1, notice: 'n' })).toBe(true);
    for (const bad of [null, 1, 'x', {}, { type: 'console', level: 'log', text: 'x' }, { type: 'console', runId: 1, level: 'x', text: 'x' }, { type: 'error', runId: 1, phase: 'later', error: { message: 'x' } }, { type: 'eval', runId: 1 }])
      expect(isWorkerMessage(bad), JSON.stringify(bad)).toBe(false);
  });
});
