import type { Evaluator } from './evaluator.ts';
import type { RunResult } from './runResult.ts';
import { EVAL_INITIAL } from './trace.ts';

/** What every run knows after its first evaluation. */
export interface RunStart {
  /** f(x₀). */
  f: number;
  /** ‖∇f(x₀)‖₂. */
  gradNorm: number;
  /** The run's result when f or ∇f is already non-finite at x₀ (the run stops there), else null. */
  failed: RunResult | null;
}

/**
 * The start-up every method shares: evaluate f(x₀) and ∇f(x₀) (into g), record x₀ as iterate 0, and
 * stop at once with 'non-finite' when either is not finite there.
 */
export function startRun(ev: Evaluator, x: Float64Array, g: Float64Array): RunStart {
  const f = ev.fg(x, g, EVAL_INITIAL);
  const gradNorm = ev.lastGradNorm;
  ev.rec?.iterate({ x, f, gradNorm, evaluation: ev.lastIndex });
  const failed: RunResult | null = ev.nonFinite ? { reason: 'non-finite', message: 'f or ∇f is not finite at x0', x, f, gradNorm, iterations: 0 } : null;
  return { f, gradNorm, failed };
}
