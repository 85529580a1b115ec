import { describe, expect, it } from 'vitest';
import { RunController, type RunCallbacks, type WorkerLike } from '../../../src/lib/live/controller.ts';
import { isWorkerMessage, newToken, type RunRequest, type WorkerMessage } from '../../../src/lib/live/protocol.ts';

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
  const watched = new Map<string, () => void>();
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
    watchLock: (lock, onEnd) => void watched.set(lock, onEnd),
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
    exited: (detail, after) => events.push(`exited:${detail}:${after}`),
    crashed: (m) => events.push(`crashed:${m}`),
  };
  /** The token of the run the worker was last asked to do. */
  const tokenOf = (w: FakeWorker) => w.posted.at(-1)!.token;
  /** What a worker's lock ending looks like to the page (the browser grants the lock once the worker is gone). */
  const lockReleased = (lock: string) => watched.get(lock)?.();
  return { c, workers, advance, events, messages, cb, pending: () => timers.size, tokenOf, lockReleased, watched };
}

describe('RunController', () => {
  it('runs in a warm spare, forwards messages of its run only, ends the worker at "done", then warms the next', () => {
    const { c, workers, events, cb, messages, tokenOf } = setup();
    c.warm();
    expect(workers).toHaveLength(1);
    workers[0].emit({ type: 'ready' });
    const id = c.run('console.log(1)', 'a.ts', cb);
    const token = tokenOf(workers[0]);
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(workers[0].posted).toEqual([{ type: 'run', runId: id, token, source: 'console.log(1)', filename: 'a.ts', limits: { maxLines: 500, maxChars: 50_000 } }]);
    expect(workers).toHaveLength(1); // one worker while the run goes: the next spare waits for its end
    workers[0].emit({ type: 'console', runId: id, token, level: 'log', text: '1' });
    workers[0].emit({ type: 'console', runId: id + 99, token, level: 'log', text: 'other run' });
    workers[0].emit({ type: 'console', runId: id, token, level: 'shout', text: 'malformed' });
    workers[0].emit('garbage');
    workers[0].emit({ type: 'done', runId: id, token, ok: true, ms: 3 });
    expect(events).toEqual(['console', 'done']);
    expect(messages[0]).toMatchObject({ text: '1' });
    expect(c.running).toBe(false);
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(2); // the spare for the next run
    expect(workers[1].terminated).toBe(false);
  });

  it('terminates a run that spends its budget, counted from when the worker is ready', () => {
    const { c, workers, advance, events, cb, tokenOf } = setup(3000);
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
    workers[0].emit({ type: 'done', runId: 1, token: tokenOf(workers[0]), ok: true, ms: 1 });
    expect(events).toHaveLength(1);
    c.run('1', 'a.ts', cb);
    expect(workers[1].posted).toHaveLength(1);
    expect(workers[1].terminated).toBe(false);
  });

  it('ends a finished run\'s worker at once: timers it left behind cannot reach the page', () => {
    const { c, workers, advance, events, cb, pending, tokenOf } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('setInterval(() => console.log(2), 10)', 'a.ts', cb);
    const token = tokenOf(workers[0]);
    advance(250);
    workers[0].emit({ type: 'done', runId: id, token, ok: true, ms: 1 });
    expect(workers[0].terminated).toBe(true);
    expect(pending()).toBe(0);
    advance(10_000);
    workers[0].emit({ type: 'console', runId: id, token, level: 'log', text: '2' });
    expect(events).toEqual(['done']);
  });

  it('reports the page\'s own elapsed time with "done", not the worker\'s', () => {
    const { c, workers, advance, cb, tokenOf } = setup(3000);
    const elapsed: number[] = [];
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('1', 'a.ts', { ...cb, message: (m, ms) => void (m.type === 'done' && elapsed.push(ms)) });
    advance(1234);
    workers[0].emit({ type: 'done', runId: id, token: tokenOf(workers[0]), ok: true, ms: 5 });
    expect(elapsed).toEqual([1234]);
  });

  it('ends a run whose worker sends more messages or bytes than a run may', () => {
    for (const [flood, detail] of [
      [(w: FakeWorker, id: number, token: string) => { for (let i = 0; i < 2_001; i++) w.emit({ type: 'console', runId: id, token, level: 'log', text: 'x' }); }, 'more than 2,000 messages'],
      [(w: FakeWorker) => { for (let i = 0; i < 1_000; i++) w.emit('junk without a token'); w.emit({ type: 'x', text: 'y'.repeat(4_000_000) }); }, 'more than 8 MB'],
    ] as const) {
      const { c, workers, events, cb, tokenOf } = setup(3000);
      const details: string[] = [];
      c.warm();
      workers[0].emit({ type: 'ready' });
      const id = c.run('1', 'a.ts', { ...cb, stopped: (r, ms, d) => (cb.stopped(r, ms), details.push(d ?? '')) });
      flood(workers[0], id, tokenOf(workers[0]));
      expect(workers[0].terminated).toBe(true);
      expect(events.filter((e) => e === 'console').length).toBeLessThanOrEqual(2_000);
      expect(events.at(-1)).toBe('stopped:flood:0');
      expect(details).toEqual([detail]);
    }
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
    const id = c.run('x', 'a.ts', { message: (m) => events.push(m.type), stopped: () => {}, exited: () => {}, crashed: () => {} });
    expect(early.posted).toHaveLength(1);
    expect(spawned).toHaveLength(0); // the click started one worker, not two
    early.emit({ type: 'ready' });
    early.emit({ type: 'done', runId: id, token: early.posted[0].token, ok: true, ms: 1 });
    expect(events).toEqual(['done']);
    expect(spawned).toHaveLength(1); // the next run's spare, once this one is over
    c.destroy();
  });

  it('gives each run a fresh random token and drops messages without it, so only a genuine "done" ends the budget', () => {
    const { c, workers, advance, events, cb, tokenOf } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('while (true) {}', 'a.ts', cb);
    const token = tokenOf(workers[0]);
    c.run('while (true) {}', 'a.ts', cb);
    workers[1].emit({ type: 'ready' });
    const next = tokenOf(workers[1]);
    expect(next).not.toBe(token);
    const id2 = id + 1;
    // Forged "done": no token, an empty one, the previous run's, a guess.
    for (const t of [undefined, '', token, '0'.repeat(32)]) {
      workers[1].emit({ type: 'console', runId: id2, token: t, level: 'log', text: 'forged' });
      workers[1].emit({ type: 'done', runId: id2, token: t, ok: true, ms: 0 });
    }
    expect(events).toEqual([]);
    expect(c.running).toBe(true);
    advance(3000);
    expect(events).toEqual(['stopped:timeout:3000']);
    expect(workers[1].terminated).toBe(true);
  });

  it('takes only the first "done" of a run', () => {
    const { c, workers, events, cb, tokenOf } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('1', 'a.ts', cb);
    const token = tokenOf(workers[0]);
    workers[0].emit({ type: 'done', runId: id, token, ok: true, ms: 1 });
    workers[0].emit({ type: 'done', runId: id, token, ok: true, ms: 2 });
    expect(events).toEqual(['done']);
  });

  it('reports a worker that ends without "done" (its lock is released) as exited, at once', () => {
    const { c, workers, advance, events, cb, tokenOf, lockReleased, watched } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('close()', 'a.ts', cb);
    const token = tokenOf(workers[0]);
    // A "started" without the token does not arm the watch.
    workers[0].emit({ type: 'started', runId: id, token: 'f'.repeat(32), lock: 'forged' });
    expect(watched.has('forged')).toBe(false);
    workers[0].emit({ type: 'started', runId: id, token, lock: 'life-1' });
    expect(watched.has('life-1')).toBe(true);
    advance(400);
    lockReleased('life-1');
    expect(events).toEqual(['exited:undefined:400']);
    expect(workers[0].terminated).toBe(true);
    expect(c.running).toBe(false);
    advance(10_000); // the budget was cleared: no "went past its budget" later
    expect(events).toHaveLength(1);
  });

  it('does not report an exit for a worker the page ended itself, or one that had finished', () => {
    const { c, workers, events, cb, tokenOf, lockReleased } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    const id = c.run('x', 'a.ts', cb);
    workers[0].emit({ type: 'started', runId: id, token: tokenOf(workers[0]), lock: 'a' });
    c.stop();
    lockReleased('a');
    expect(events).toEqual(['stopped:stopped:0']);
    workers[1].emit({ type: 'ready' });
    const id2 = c.run('y', 'a.ts', cb);
    const t2 = tokenOf(workers[1]);
    workers[1].emit({ type: 'started', runId: id2, token: t2, lock: 'b' });
    workers[1].emit({ type: 'done', runId: id2, token: t2, ok: true, ms: 1 });
    lockReleased('b');
    expect(events).toEqual(['stopped:stopped:0', 'done']);
  });

  it('reports a worker error during a run (out of memory) as an exit, not a load failure', () => {
    const { c, workers, advance, events, cb } = setup(3000);
    c.warm();
    workers[0].emit({ type: 'ready' });
    c.run('x', 'a.ts', cb);
    advance(100);
    workers[0].fail('Worker terminated due to reaching memory limit');
    expect(events).toEqual(['exited:Worker terminated due to reaching memory limit:100']);
    expect(workers[0].terminated).toBe(true);
    advance(10_000);
    expect(events).toHaveLength(1);
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
    const token = 'a'.repeat(32);
    expect(isWorkerMessage({ type: 'ready' })).toBe(true);
    expect(isWorkerMessage({ type: 'started', runId: 1, token, lock: 'l' })).toBe(true);
    expect(isWorkerMessage({ type: 'started', runId: 1, token, lock: null })).toBe(true);
    expect(isWorkerMessage({ type: 'console', runId: 1, token, level: 'log', text: 'x' })).toBe(true);
    expect(isWorkerMessage({ type: 'plot', runId: 1, token, name: 'p', spec: { marks: [] } })).toBe(true);
    expect(isWorkerMessage({ type: 'error', runId: 1, token, phase: 'syntax', error: { name: 'SyntaxError', message: 'x' } })).toBe(true);
    expect(isWorkerMessage({ type: 'done', runId: 1, token, ok: true, ms: 2 })).toBe(true);
    expect(isWorkerMessage({ type: 'truncated', runId: 1, token, notice: 'n' })).toBe(true);
    for (const bad of [
      null, 1, 'x', {},
      { type: 'console', token, level: 'log', text: 'x' },
      { type: 'console', runId: 1, token, level: 'x', text: 'x' },
      { type: 'error', runId: 1, token, phase: 'later', error: { message: 'x' } },
      { type: 'eval', runId: 1, token },
      // Without a token, nothing but "ready" is a message.
      { type: 'console', runId: 1, level: 'log', text: 'x' },
      { type: 'done', runId: 1, ok: true, ms: 0 },
      { type: 'done', runId: 1, token: '', ok: true, ms: 0 },
      { type: 'done', runId: 1, token: 7, ok: true, ms: 0 },
      { type: 'started', runId: 1, token, lock: 3 },
    ])
      expect(isWorkerMessage(bad), JSON.stringify(bad)).toBe(false);
  });

  it('tokens are 128 random bits, fresh each time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{32}$/);
  });
});
