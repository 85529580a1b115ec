/**
 * The page side of running: one fresh worker per run (so no state leaks between runs and a stuck run costs
 * nothing but a terminate), terminated as soon as the run is done (timers a listing leaves behind die with it), a
 * spare started once a run has ended so the next run starts at once, and a time budget that terminates the worker
 * when spent. Environment-neutral: tests pass a fake worker and fake timers.
 *
 * A run's messages count only with its token (random per run): the page ignores anything else, and only a
 * genuine "done" ends the budget. Every message from the run's worker counts against a message and byte budget
 * (budget.ts); past it the worker is terminated.
 */
import { runLimits } from './budget.ts';
import { isWorkerMessage, newToken, type RunRequest, type WorkerMessage } from './protocol.ts';
import { defaultLimits, type OutputLimits } from './output.ts';

export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string; preventDefault?: () => void }) => void): void;
}

export interface RunCallbacks {
  /** A message of the run; `elapsedMs` is the page's own clock since the run started (for "done": the run's real length). */
  message(m: Exclude<WorkerMessage, { type: 'ready' } | { type: 'started' }>, elapsedMs: number): void;
  /**
   * The run was stopped: its time budget was spent (`timeout`), its worker sent more than a run may (`flood`, with
   * what), or the reader stopped it.
   */
  stopped(reason: 'timeout' | 'stopped' | 'flood', afterMs: number, detail?: string): void;
  /** The worker ended while the run was going, without "done" (it failed, ran out of memory, or closed). */
  exited(detail: string | undefined, afterMs: number): void;
  /** The worker failed before it could run anything (script failed to load, or took too long). */
  crashed(message: string): void;
}

export interface ControllerOptions {
  spawn: () => WorkerLike;
  /** A worker already started (by the bootstrap, on the click) to use as the first spare. */
  initialWorker?: WorkerLike;
  /** The run's time budget in ms, counted from the moment the worker is ready to run it. */
  timeoutMs: number;
  /** How long a worker may take to load before it counts as crashed. */
  loadTimeoutMs?: number;
  /** Messages and bytes a run's worker may send (default: budget.ts). */
  messageLimits?: { maxMessages: number; maxBytes: number };
  limits?: OutputLimits;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /** The run's token (default: 128 random bits). */
  token?: () => string;
  /**
   * Calls onEnd once the worker holding the Web Lock `lock` has ended (default: waits for that lock with
   * `navigator.locks`, which the browser grants when the worker goes away; nothing where locks are unavailable).
   */
  watchLock?: (lock: string, onEnd: () => void) => void;
}

function watchLockDefault(lock: string, onEnd: () => void): void {
  const locks = (globalThis.navigator as (Navigator & { locks?: LockManager }) | undefined)?.locks;
  locks?.request(lock, () => onEnd()).catch(() => {});
}

interface Slot {
  worker: WorkerLike;
  ready: boolean;
  onReady: (() => void) | null;
  listener: ((m: WorkerMessage) => void) | null;
  onCrash: ((message: string | undefined) => void) | null;
  /** Sees every message, well-formed or not (the budget counts them all). */
  onAny: ((data: unknown) => void) | null;
}

/** messageBytes(m) = an estimate of what a message costs to carry: its text, and 16 bytes per figure datum. */
export function messageBytes(data: unknown): number {
  if (!data || typeof data !== 'object') return 8;
  const m = data as Record<string, unknown>;
  let n = 64;
  if (typeof m.text === 'string') n += 2 * m.text.length;
  if (typeof m.notice === 'string') n += 2 * m.notice.length;
  const e = m.error as { message?: unknown } | undefined;
  if (e && typeof e.message === 'string') n += 2 * e.message.length;
  const marks = (m.spec as { marks?: unknown } | undefined)?.marks;
  if (Array.isArray(marks))
    for (const mark of marks) {
      const d = (mark as { data?: { length?: unknown } } | null)?.data;
      if (d && typeof d.length === 'number') n += 16 * d.length;
    }
  return n;
}

export class RunController {
  private spare: Slot | null = null;
  private current: { slot: Slot; runId: number; token: string; timer: unknown; running: boolean; cb: RunCallbacks; t0: number } | null = null;
  private nextId = 1;
  private readonly o: Required<Omit<ControllerOptions, 'initialWorker'>>;

  constructor(options: ControllerOptions) {
    const { initialWorker, ...rest } = options;
    this.o = {
      loadTimeoutMs: 20_000,
      limits: defaultLimits,
      now: () => performance.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      token: newToken,
      watchLock: watchLockDefault,
      messageLimits: runLimits,
      ...rest,
    };
    if (initialWorker) this.spare = this.spawnSlot(initialWorker);
  }

  private spawnSlot(worker: WorkerLike = this.o.spawn()): Slot {
    const slot: Slot = { worker, ready: false, onReady: null, listener: null, onCrash: null, onAny: null };
    slot.worker.addEventListener('message', (e) => {
      slot.onAny?.(e.data);
      if (!isWorkerMessage(e.data)) return;
      if (e.data.type === 'ready') {
        slot.ready = true;
        slot.onReady?.();
        slot.onReady = null;
      } else slot.listener?.(e.data);
    });
    slot.worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      slot.onCrash?.(e.message || undefined);
    });
    return slot;
  }

  /** Starts a spare worker if there is none, so the next run does not wait for loading. */
  warm(): void {
    if (!this.spare) this.spare = this.spawnSlot();
  }

  /** Whether a run's top level is still executing. */
  get running(): boolean {
    return !!this.current?.running;
  }

  /**
   * Runs source in a fresh worker, stopping whatever ran before; returns the run id. `options.check` names an
   * exercise (`<chapter>/<exercise>`) whose checks the worker runs after the code (one `checks` message).
   */
  run(source: string, filename: string, cb: RunCallbacks, options: { check?: string } = {}): number {
    for (const k of Object.keys(options)) if (k !== 'check') throw new TypeError(`RunController.run: unknown option '${k}' (expected check)`);
    this.dispose();
    const slot = this.spare ?? this.spawnSlot();
    this.spare = null;
    const runId = this.nextId++;
    const token = this.o.token();
    const cur = { slot, runId, token, timer: null as unknown, running: true, cb, t0: this.o.now() };
    this.current = cur;
    let messages = 0;
    let bytes = 0;
    slot.onAny = (data) => {
      if (this.current !== cur) return;
      messages++;
      bytes += messageBytes(data);
      const { maxMessages, maxBytes } = this.o.messageLimits;
      if (messages > maxMessages) this.stopCurrent('flood', this.o.now() - cur.t0, `more than ${maxMessages.toLocaleString('en-US')} messages`);
      else if (bytes > maxBytes) this.stopCurrent('flood', this.o.now() - cur.t0, `more than ${(maxBytes / 1e6).toFixed(0)} MB`);
    };
    const finish = () => {
      if (cur.timer !== null) this.o.clearTimer(cur.timer);
      cur.timer = null;
      cur.running = false;
    };
    /** The worker is gone without "done": report it (once) and never use it again. */
    const exited = (detail?: string) => {
      if (this.current !== cur || !cur.running) return;
      finish();
      slot.worker.terminate();
      this.current = null;
      cb.exited(detail, this.o.now() - cur.t0);
      this.warm();
    };
    slot.listener = (m) => {
      if (this.current !== cur || m.type === 'ready' || m.token !== token || m.runId !== runId) return;
      if (m.type === 'started') {
        if (m.lock) this.o.watchLock(m.lock, () => exited());
        return;
      }
      if (m.type === 'done') {
        if (!cur.running) return; // only one "done" per run
        finish();
        // The run is over: whatever it left behind (timers, intervals) ends with its worker.
        slot.worker.terminate();
        this.current = null;
        cb.message(m, this.o.now() - cur.t0);
        this.warm();
        return;
      }
      cb.message(m, this.o.now() - cur.t0);
    };
    slot.onCrash = (message) => {
      if (this.current !== cur) return;
      // Once the worker has loaded, a failure is the run's worker ending (e.g. out of memory), not a load failure.
      if (slot.ready) {
        if (cur.running) exited(message);
        return;
      }
      finish();
      slot.worker.terminate();
      this.current = null;
      cb.crashed(message ?? 'the runner failed to start');
      this.warm();
    };
    const startBudget = () => {
      if (this.current !== cur || !cur.running) return;
      if (cur.timer !== null) this.o.clearTimer(cur.timer);
      const t0 = this.o.now();
      cur.t0 = t0;
      cur.timer = this.o.setTimer(() => {
        if (this.current !== cur || !cur.running) return;
        this.stopCurrent('timeout', this.o.now() - t0);
      }, this.o.timeoutMs);
    };
    if (slot.ready) startBudget();
    else {
      slot.onReady = startBudget;
      cur.timer = this.o.setTimer(() => slot.onCrash?.('the runner did not load in time'), this.o.loadTimeoutMs);
    }
    const req: RunRequest = { type: 'run', runId, token, source, filename, limits: this.o.limits, ...(options.check === undefined ? {} : { check: options.check }) };
    slot.worker.postMessage(req);
    // The spare for the next run is started when this one ends, not now: a first click starts one worker.
    return runId;
  }

  private stopCurrent(reason: 'timeout' | 'stopped' | 'flood', afterMs: number, detail?: string): void {
    const cur = this.current;
    if (!cur) return;
    if (cur.timer !== null) this.o.clearTimer(cur.timer);
    cur.slot.worker.terminate();
    this.current = null;
    if (cur.running) cur.cb.stopped(reason, afterMs, detail);
    this.warm();
  }

  /** Stops the current run (the reader pressed Stop). */
  stop(): void {
    this.stopCurrent('stopped', 0);
  }

  /** Terminates the current worker quietly (its output is over; timers it left behind die with it). */
  private dispose(): void {
    const cur = this.current;
    if (!cur) return;
    if (cur.timer !== null) this.o.clearTimer(cur.timer);
    cur.slot.worker.terminate();
    this.current = null;
  }

  /** Terminates every worker (the editor goes away). */
  destroy(): void {
    this.dispose();
    this.spare?.worker.terminate();
    this.spare = null;
  }
}
