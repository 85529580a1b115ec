import type { Trace } from './trace.ts';

/** What each algorithm's run function hands to minimize(): the trace's summary fields, and failure counts. */
export interface RunResult extends Pick<Trace, 'reason' | 'message' | 'x' | 'f' | 'gradNorm' | 'iterations'> {
  lineSearchFailures?: number;
  notPositiveDefinite?: number;
}
