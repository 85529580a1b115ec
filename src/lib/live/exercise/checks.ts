/**
 * An exercise's checks: how a `*.check.ts` file declares them ({@link defineChecks}) and how the runner applies
 * them to a run ({@link startChecks}: prepare before the reader's code runs, judge after it).
 *
 * What makes a check hard to fool: its reference values are computed in `prepare`, before the reader's code
 * exists; the judge and the kit use only built-ins captured when they loaded; each check's verdict is built here
 * from the check's own return value (`passed === true` exactly), and anything the reader's code throws becomes a
 * failure with a one-line message. A run that never finishes never sends a verdict, and the page counts that as
 * not solved.
 */
import { clip, define, describeThrown, failureMessage, type Verdict } from './kit.ts';

const freeze = Object.freeze;
const getOwn = Reflect.getOwnPropertyDescriptor;
const ownKeys = Reflect.ownKeys;
const isArray = Array.isArray;

/** What a check sees of the run. */
export interface CheckContext<D> {
  /** What the reader's code exported (its `module.exports`), as it is after the top level ran. */
  readonly exports: unknown;
  /** The lines the reader's code printed, in order (after the output cap). */
  readonly output: readonly string[];
  /** What `prepare` returned. Pass the reader's functions copies of it ({@link copy}), never the arrays themselves. */
  readonly data: D;
}

export interface Check<D> {
  /** What the check verifies, in the reader's words: shown next to ✓ or ✗. */
  readonly label: string;
  /** The verdict; may end early with kit.stop(message). Must not be async. */
  run(ctx: CheckContext<D>): Verdict;
}

export interface ExerciseChecks<D = unknown> {
  /** The exercise's title, as the table of contents lists it. */
  readonly title: string;
  /** Reference values, computed with the course library before the reader's code runs. */
  prepare(): D;
  readonly checks: readonly Check<D>[];
}

/** One line of the result list the page shows. */
export interface CheckResult {
  label: string;
  passed: boolean;
  message: string;
}

const specKeys = new Set(['title', 'prepare', 'checks']);
const checkKeys = new Set(['label', 'run']);

/**
 * defineChecks(spec) = spec, validated and frozen: a non-empty title, a `prepare` function, and 1–20 checks, each
 * with a non-empty label (≤ 120 characters, unique) and a `run` function. Unknown keys are errors.
 */
export function defineChecks<D>(spec: ExerciseChecks<D>): ExerciseChecks<D> {
  const where = `defineChecks(${JSON.stringify(spec?.title ?? '?')})`;
  if (!spec || typeof spec !== 'object') throw new TypeError('defineChecks: expected { title, prepare, checks }');
  for (const k of Object.keys(spec)) if (!specKeys.has(k)) throw new TypeError(`${where}: unknown key '${k}' (expected title, prepare, checks)`);
  if (typeof spec.title !== 'string' || !spec.title.trim()) throw new TypeError(`${where}: title must be a non-empty string`);
  if (typeof spec.prepare !== 'function') throw new TypeError(`${where}: prepare must be a function`);
  if (!isArray(spec.checks) || spec.checks.length < 1 || spec.checks.length > 20) throw new TypeError(`${where}: checks must be an array of 1 to 20 checks`);
  const labels = new Set<string>();
  for (const [i, c] of spec.checks.entries()) {
    if (!c || typeof c !== 'object') throw new TypeError(`${where}: checks[${i}] must be { label, run }`);
    for (const k of Object.keys(c)) if (!checkKeys.has(k)) throw new TypeError(`${where}: checks[${i}] has unknown key '${k}' (expected label, run)`);
    if (typeof c.label !== 'string' || !c.label.trim() || c.label.length > 120) throw new TypeError(`${where}: checks[${i}].label must be 1 to 120 characters`);
    if (labels.has(c.label)) throw new TypeError(`${where}: checks[${i}].label '${c.label}' is used twice`);
    labels.add(c.label);
    if (typeof c.run !== 'function') throw new TypeError(`${where}: checks[${i}].run must be a function`);
    freeze(c);
  }
  freeze(spec.checks);
  return freeze(spec);
}

/** An exercise's checks, prepared before the reader's code runs. */
export interface StartedChecks {
  /** How many results {@link judge} will return. */
  readonly count: number;
  /** Runs every check against the run; one result per check, in order. Synchronous: nothing can interleave. */
  judge(run: { exports: unknown; output: readonly string[] }): CheckResult[];
}

/**
 * startChecks(spec) = the checks with their reference data computed now (call it before the reader's code runs;
 * a `prepare` that throws is the exercise's bug and is reported as such, never as the reader's).
 */
export function startChecks<D>(spec: ExerciseChecks<D>): StartedChecks {
  const data = spec.prepare();
  const checks = spec.checks;
  const n = checks.length;
  const labels: string[] = [];
  const runs: Check<D>['run'][] = [];
  for (let i = 0; i < n; i++) {
    define(labels, i, checks[i].label);
    define(runs, i, checks[i].run);
  }
  return freeze({
    count: n,
    judge(run: { exports: unknown; output: readonly string[] }): CheckResult[] {
      const ctx: CheckContext<D> = freeze({ exports: run.exports, output: run.output, data });
      const results: CheckResult[] = [];
      for (let i = 0; i < n; i++) define(results, i, verdictOf(labels[i], runs[i], ctx));
      return results;
    },
  });
}

/** One check's result; a throw becomes a failure with a message, never a stack trace. */
function verdictOf<D>(label: string, run: Check<D>['run'], ctx: CheckContext<D>): CheckResult {
  let v: unknown;
  try {
    v = run(ctx);
  } catch (e) {
    const message = failureMessage(e);
    return { label, passed: false, message: message ?? `The check could not finish: ${describeThrown(e)}` };
  }
  // Only a plain verdict object the check returned counts; read its own data properties, nothing inherited.
  if (v === null || typeof v !== 'object' || ownKeys(v).length !== 2) return { label, passed: false, message: 'The check gave no verdict.' };
  const passed = getOwn(v, 'passed');
  const message = getOwn(v, 'message');
  return {
    label,
    passed: !!passed && passed.value === true,
    message: message && typeof message.value === 'string' ? clip(message.value) : '',
  };
}
