/**
 * Runs an exercise's checks on a source under Node the way the runner worker does: checks prepared first, then
 * the code, then the judge (lockDown, which cannot be undone, is left to the browser tests). Globals the code tampers with are restored after
 * each run, so one tamper test cannot spoil the next.
 */
import { readFileSync } from 'node:fs';
import { startChecks, type CheckResult } from '../../../src/lib/live/exercise/checks.ts';
import { loadChecks } from '../../../src/lib/live/exercise/registry.ts';
import { captureConsole, prepare, type ModuleLoaders } from '../../../src/lib/live/runtime.ts';
import { show } from '../../../src/lib/live/show.ts';
import type { LiveError } from '../../../src/lib/live/errors.ts';

export const modules: ModuleLoaders = {
  autodiff: () => import('../../../src/lib/autodiff/index.ts'),
  optim: () => import('../../../src/lib/optim/index.ts'),
  linalg: () => import('../../../src/lib/linalg/index.ts'),
  meta: () => import('../../../src/lib/meta/index.ts'),
  show: async () => ({ show }),
};

export const chapter16 = 'src/content/chapters/calc-16-hessian-vector';

/** The text of a chapter-16 file. */
export const source16 = (file: string) => readFileSync(`${chapter16}/${file}`, 'utf8');

export interface Checked {
  /** null: the run did not finish within the time limit (the page's budget), so there is no verdict. */
  results: CheckResult[] | null;
  error: LiveError | null;
  output: string[];
}

/** solved(c) = what the page counts as solved: every check ran and passed, and the code ran without error. */
export const solved = (c: Checked) => !!c.results && c.results.length > 0 && c.results.every((r) => r.passed === true) && !c.error;

/** The built-ins a tamper test may change, each with its own properties. */
const guarded: [object, string][] = [
  [globalThis, 'globalThis'], [Math, 'Math'], [JSON, 'JSON'], [Object, 'Object'], [Reflect, 'Reflect'], [Number, 'Number'],
  [Array, 'Array'], [Array.prototype, 'Array.prototype'], [Function.prototype, 'Function.prototype'],
  [Number.prototype, 'Number.prototype'], [String.prototype, 'String.prototype'], [Object.prototype, 'Object.prototype'],
  [Promise.prototype, 'Promise.prototype'], [Promise, 'Promise'], [Float64Array.prototype, 'Float64Array.prototype'],
  [Object.getPrototypeOf(Float64Array.prototype), 'TypedArray.prototype'], [WeakSet.prototype, 'WeakSet.prototype'], [Error.prototype, 'Error.prototype'],
];

// Captured now: the restore must work whatever the code under test did to Reflect and Object.
const { ownKeys, deleteProperty, defineProperty } = Reflect;
const descriptorsOf = Object.getOwnPropertyDescriptors;

function snapshot(): () => void {
  const saved = guarded.map(([o]) => [o, descriptorsOf(o)] as const);
  return () => {
    for (const [o, descriptors] of saved) {
      for (const key of ownKeys(o)) if (!(key in descriptors)) deleteProperty(o, key);
      for (const key of ownKeys(descriptors)) defineProperty(o, key, descriptors[key as keyof typeof descriptors]);
    }
  };
}

/**
 * checkSource(source, key) = the verdicts of exercise `key` (`<chapter>/<exercise>`) on source. A run whose top
 * level has not settled after `timeoutMs` gets no verdict, as in the page.
 */
export async function checkSource(source: string, key: string, timeoutMs = 3000): Promise<Checked> {
  const started = startChecks(await loadChecks(key));
  const output: string[] = [];
  const console = captureConsole({ print: (_level, text) => void output.push(text), truncated: () => {} });
  const prepared = await prepare(source, { filename: 'exercise.ts', runId: 1, modules, console });
  if (!prepared.ok) return { results: [], error: prepared.error, output };
  const restore = snapshot();
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
    const error = await Promise.race([prepared.run.execute(), timeout]);
    clearTimeout(timer);
    if (error === 'timeout') return { results: null, error: null, output };
    return { results: started.judge({ exports: prepared.run.exports(), output }), error, output };
  } finally {
    restore();
  }
}
