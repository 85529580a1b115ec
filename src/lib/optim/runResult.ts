import type { StopReason } from './objective.ts';

/** What each algorithm's run function hands to minimize(). */
export interface RunResult {
  reason: StopReason;
  message: string;
  x: Float64Array;
  f: number;
  gradNorm: number;
  iterations: number;
  lineSearchFailures?: number;
  notPositiveDefinite?: number;
}
