/**
 * Messages between the page and a run's worker. One worker runs one listing once; the page terminates it for
 * the next run or when the time budget is spent, so no message needs to say "stop".
 */
import type { LiveError } from './errors.ts';
import type { Level, OutputLimits } from './output.ts';
import type { PlotSpec } from './plotSpec.ts';

/** Page → worker. */
export interface RunRequest {
  type: 'run';
  runId: number;
  source: string;
  /** Shown in error messages and used as the listing's file name (`hvp-demo.ts`). */
  filename: string;
  limits: OutputLimits;
}

/** Worker → page. */
export type WorkerMessage =
  /** The worker has loaded the transpiler and the library and waits for its run. */
  | { type: 'ready' }
  | { type: 'console'; runId: number; level: Level; text: string }
  /** Output hit its limits; nothing more will be printed. */
  | { type: 'truncated'; runId: number; notice: string }
  | { type: 'plot'; runId: number; name: string; spec: PlotSpec }
  /** A syntax error (nothing ran), a runtime error, or an error thrown later by a timer or promise. */
  | { type: 'error'; runId: number; phase: 'syntax' | 'runtime'; error: LiveError }
  /** The listing's top level has finished (timers it started may still print). */
  | { type: 'done'; runId: number; ok: boolean; ms: number };

const levels = new Set(['log', 'info', 'warn', 'error']);

/** isWorkerMessage(m) = m is a well-formed WorkerMessage (the page trusts nothing else). */
export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!m || typeof m !== 'object') return false;
  const x = m as Record<string, unknown>;
  if (x.type === 'ready') return true;
  if (typeof x.runId !== 'number') return false;
  switch (x.type) {
    case 'console':
      return levels.has(x.level as string) && typeof x.text === 'string';
    case 'truncated':
      return typeof x.notice === 'string';
    case 'plot':
      return typeof x.name === 'string' && !!x.spec && typeof x.spec === 'object';
    case 'error':
      return (x.phase === 'syntax' || x.phase === 'runtime') && !!x.error && typeof (x.error as LiveError).message === 'string';
    case 'done':
      return typeof x.ok === 'boolean' && typeof x.ms === 'number';
    default:
      return false;
  }
}
