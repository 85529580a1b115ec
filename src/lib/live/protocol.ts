/**
 * Messages between the page and a run's worker. One worker runs one listing once; the page terminates it for
 * the next run or when the time budget is spent, so no message needs to say "stop".
 *
 * Every message of a run carries the run's token: random bytes the page puts in the request and the worker echoes.
 * The page drops any message without the current token, so nothing but the runner that received the request can
 * speak for the run (the listing itself cannot post at all: see lockdown.ts).
 */
import type { LiveError } from './errors.ts';
import type { Level, OutputLimits } from './output.ts';
import type { PlotSpec } from './plotSpec.ts';
import type { CheckResult } from './exercise/checks.ts';

/** Page → worker. */
export interface RunRequest {
  type: 'run';
  runId: number;
  /** Unguessable, fresh for each run ({@link newToken}); echoed in every message of the run. */
  token: string;
  source: string;
  /** Shown in error messages and used as the listing's file name (`hvp-demo.ts`). */
  filename: string;
  limits: OutputLimits;
  /**
   * An exercise to check the run against (`<chapter>/<exercise>`): the worker loads its checks and computes their
   * references before the code runs, and sends one `checks` message after the top level has finished.
   */
  check?: string;
}

type Of<T> = T & { runId: number; token: string };

/** Worker → page. */
export type WorkerMessage =
  /** The worker has loaded the transpiler and the library and waits for its run. */
  | { type: 'ready' }
  /**
   * The worker took its run. `lock` names a Web Lock the worker holds until it ends, so the page learns when the
   * worker ends without finishing (null where Web Locks are unavailable).
   */
  | Of<{ type: 'started'; lock: string | null }>
  | Of<{ type: 'console'; level: Level; text: string }>
  /** Output hit its limits; nothing more will be printed. */
  | Of<{ type: 'truncated'; notice: string }>
  | Of<{ type: 'plot'; name: string; spec: PlotSpec }>
  /** A syntax error (nothing ran), a runtime error, or an error thrown later by a timer or promise. */
  | Of<{ type: 'error'; phase: 'syntax' | 'runtime'; error: LiveError }>
  /** The verdicts of an exercise's checks (one per check), or why they could not run (`problem`). */
  | Of<{ type: 'checks'; results: CheckResult[]; problem: string | null }>
  /** The listing's top level has finished (timers it started may still print). */
  | Of<{ type: 'done'; ok: boolean; ms: number }>;

/** newToken() = 128 random bits as 32 hex digits. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const levels = new Set(['log', 'info', 'warn', 'error']);

/** isWorkerMessage(m) = m is a well-formed WorkerMessage (the page trusts nothing else). */
export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!m || typeof m !== 'object') return false;
  const x = m as Record<string, unknown>;
  if (x.type === 'ready') return true;
  if (typeof x.runId !== 'number' || typeof x.token !== 'string' || !x.token) return false;
  switch (x.type) {
    case 'started':
      return x.lock === null || typeof x.lock === 'string';
    case 'console':
      return levels.has(x.level as string) && typeof x.text === 'string';
    case 'truncated':
      return typeof x.notice === 'string';
    case 'plot':
      return typeof x.name === 'string' && !!x.spec && typeof x.spec === 'object';
    case 'error':
      return (x.phase === 'syntax' || x.phase === 'runtime') && !!x.error && typeof (x.error as LiveError).message === 'string';
    case 'checks':
      return (x.problem === null || typeof x.problem === 'string') && isCheckResults(x.results);
    case 'done':
      return typeof x.ok === 'boolean' && typeof x.ms === 'number';
    default:
      return false;
  }
}

/** isCheckResults(r) = r is a list of at most 20 { label, passed, message } with strings of bounded length. */
export function isCheckResults(r: unknown): r is CheckResult[] {
  if (!Array.isArray(r) || r.length > 20) return false;
  return r.every((c) => {
    if (!c || typeof c !== 'object') return false;
    const { label, passed, message } = c as Record<string, unknown>;
    return typeof label === 'string' && label.length <= 200 && typeof passed === 'boolean' && typeof message === 'string' && message.length <= 1000;
  });
}
