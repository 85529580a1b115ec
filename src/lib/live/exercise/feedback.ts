/**
 * What the page says after a Check: solved or not, in one sentence, from what the run sent. A pass needs a verdict
 * for every check, every one passed, and a run that ended normally without an error; anything else (a spent
 * budget, a runner that ended, no verdicts) is not solved.
 */
import { clip } from '../output.ts';
import { describeError, type LiveError } from '../errors.ts';
import type { CheckResult } from './checks.ts';

export interface CheckOutcome {
  /** The `checks` message's results, or null when none arrived. */
  results: CheckResult[] | null;
  /** The `checks` message's problem (checks could not run). */
  problem: string | null;
  /** The run's first error, if any. */
  error: LiveError | null;
  /** How the run ended. */
  ended: { kind: 'done'; ok: boolean } | { kind: 'timeout'; seconds: number } | { kind: 'stopped' | 'flood' | 'exited' | 'crashed'; detail?: string };
}

export interface Feedback {
  solved: boolean;
  summary: string;
  tone: 'ok' | 'warn' | 'danger';
}

/** feedback(outcome) = whether the exercise is solved and the sentence that says so. */
export function feedback(o: CheckOutcome): Feedback {
  const e = o.ended;
  if (e.kind === 'timeout')
    return { solved: false, tone: 'danger', summary: `Not checked: the run went past its ${e.seconds} s budget, so the checks could not finish. Does a loop never end?` };
  if (e.kind !== 'done') {
    const why = { stopped: 'the check was stopped', flood: 'the run sent more than a run may', exited: 'the runner ended without finishing', crashed: 'the runner failed to start' }[e.kind];
    return { solved: false, tone: 'danger', summary: `Not checked: ${why}${e.detail ? ` (${clip(e.detail, 200)})` : ''}. Press Check to try again.` };
  }
  const errorText = o.error ? ` Your code stopped with an error: ${clip(describeError(o.error), 300)}` : '';
  if (!o.results || o.results.length === 0)
    return { solved: false, tone: 'danger', summary: clip(o.problem ?? 'Not checked: the run sent no verdict.', 400) + (o.problem ? '' : errorText) };
  const n = o.results.length;
  const k = o.results.filter((r) => r.passed).length;
  if (k === n && e.ok && !o.error) return { solved: true, tone: 'ok', summary: `Solved: ${n === 1 ? 'the check passes' : `all ${n} checks pass`}.` };
  if (k === n) return { solved: false, tone: 'warn', summary: `All ${n} checks pass, but the run did not end cleanly.${errorText} Fix it to count the exercise as solved.` };
  return { solved: false, tone: 'danger', summary: `${k} of ${n} checks pass.${errorText}` };
}
