/**
 * The page side of running: one fresh worker per run (so no state leaks between runs and a stuck run costs
 * nothing but a terminate), a spare kept warm so the next run starts at once, and a time budget that terminates
 * the worker when spent. Environment-neutral: tests pass a fake worker and fake timers.
 */
import { isWorkerMessage, type RunRequest, type WorkerMessage } from './protocol.ts';
import { defaultLimits, type OutputLimits } from './output.ts';

export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string; preventDefault?: () => void }) => void): void;
}

export interface RunCallbacks {
  message(m: Exclude<WorkerMessage, { type: 'ready' }>): void;
  /** The run was stopped: its budget was spent (`reason: 'timeout'`) or the reader stopped it. */
  stopped(reason: 'timeout' | 'stopped', afterMs: number): void;
  /** The worker itself failed (script failed to load, out of memory). */
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
  limits?: OutputLimits;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

interface Slot {
  worker: WorkerLike;
  ready: boolean;
  onReady: (() => void) | null;
  listener: ((m: WorkerMessage) => void) | null;
  onCrash: ((message: string) => void) | null;
}

export class RunController {
  private spare: Slot | null = null;
  private current: { slot: Slot; runId: number; timer: unknown; running: boolean; cb: RunCallbacks } | null = null;
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
      ...rest,
    };
    if (initialWorker) this.spare = this.spawnSlot(initialWorker);
  }

  private spawnSlot(worker: WorkerLike = this.o.spawn()): Slot {
    const slot: Slot = { worker, ready: false, onReady: null, listener: null, onCrash: null };
    slot.worker.addEventListener('message', (e) => {
      if (!isWorkerMessage(e.data)) return;
      if (e.data.type === 'ready') {
        slot.ready = true;
        slot.onReady?.();
        slot.onReady = null;
      } else slot.listener?.(e.data);
    });
    slot.worker.addEventListener('error', (e) => {
      e.preventDefault?.();
      slot.onCrash?.(e.message || 'the runner failed to start');
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

  /** Runs source in a fresh worker, stopping whatever ran before; returns the run id. */
  run(source: string, filename: string, cb: RunCallbacks): number {
    this.dispose();
    const slot = this.spare ?? this.spawnSlot();
    this.spare = null;
    const runId = this.nextId++;
    const cur = { slot, runId, timer: null as unknown, running: true, cb };
    this.current = cur;
    const finish = () => {
      if (cur.timer !== null) this.o.clearTimer(cur.timer);
      cur.timer = null;
      cur.running = false;
    };
    slot.listener = (m) => {
      if (this.current !== cur || m.type === 'ready' || m.runId !== runId) return;
      if (m.type === 'done') finish();
      cb.message(m);
    };
    slot.onCrash = (message) => {
      if (this.current !== cur) return;
      finish();
      slot.worker.terminate();
      this.current = null;
      cb.crashed(message);
    };
    const startBudget = () => {
      if (this.current !== cur || !cur.running) return;
      if (cur.timer !== null) this.o.clearTimer(cur.timer);
      const t0 = this.o.now();
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
    const req: RunRequest = { type: 'run', runId, source, filename, limits: this.o.limits };
    slot.worker.postMessage(req);
    // The spare for the run after this one.
    this.warm();
    return runId;
  }

  private stopCurrent(reason: 'timeout' | 'stopped', afterMs: number): void {
    const cur = this.current;
    if (!cur) return;
    if (cur.timer !== null) this.o.clearTimer(cur.timer);
    cur.slot.worker.terminate();
    this.current = null;
    if (cur.running) cur.cb.stopped(reason, afterMs);
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
