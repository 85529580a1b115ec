/// <reference lib="webworker" />
/**
 * The worker a run happens in. It loads the transpiler and the course library as soon as it starts (the page
 * keeps one warm), runs exactly one listing, streams its console and figures to the page, and is terminated by
 * the page as soon as the run is done, for the next run, or when the time budget is spent.
 *
 * The listing runs in this same worker, so the runner keeps for itself what the listing must not use: it
 * captures `postMessage` and `navigator.locks` now, and locks `postMessage`, `close` and `navigator.locks`
 * (lockdown.ts) before the listing runs. The worker is started from a blob: URL (spawn.ts), so the page's
 * Content-Security-Policy applies here too: no requests to other origins, no modules from data: or blob: URLs.
 */
import { FigureBudget } from './budget.ts';
import { lockDown } from './lockdown.ts';
import { newToken, type RunRequest, type WorkerMessage } from './protocol.ts';
import { captureConsole, prepare, type ModuleLoaders } from './runtime.ts';
import { setShowSink, show } from './show.ts';
// Imported now, at start-up: the check kit captures the built-ins it uses before any reader code exists.
import { startChecks, type StartedChecks } from './exercise/checks.ts';
import { define, describeThrown } from './exercise/kit.ts';
import { loadChecks } from './exercise/registry.ts';

declare const self: DedicatedWorkerGlobalScope;

const postToPage = self.postMessage.bind(self) as (m: WorkerMessage) => void;
const post = (m: WorkerMessage) => postToPage(m);
const setTimeoutNow = self.setTimeout.bind(self);
const nextTask = () => new Promise<void>((r) => setTimeoutNow(r, 0));

const modules: ModuleLoaders = {
  autodiff: () => import('../autodiff/index.ts'),
  optim: () => import('../optim/index.ts'),
  linalg: () => import('../linalg/index.ts'),
  meta: () => import('../meta/index.ts'),
  show: async () => ({ show }),
};

// Warm up while the reader reads: the library listings import most.
const warm = Promise.allSettled([modules.autodiff(), modules.optim()]).then(() => post({ type: 'ready' }));

/** Errors after the top level are reported up to this many times (a throwing interval would flood the page). */
const maxLaterErrors = 20;

/**
 * Holds a Web Lock until this worker ends (the browser releases it then), so the page can tell a worker that
 * ended on its own from one that is still running. Resolves with the lock's name once held, or null.
 */
const lifeLocks = (self.navigator as Navigator & { locks?: LockManager }).locks;

function holdLifeLock(): Promise<string | null> {
  const locks = lifeLocks;
  if (!locks) return Promise.resolve(null);
  const name = `live-code-runner:${newToken()}`;
  return new Promise((held) => {
    locks
      .request(name, () => {
        held(name);
        return new Promise<never>(() => {});
      })
      .catch(() => held(null));
  });
}

let started = false;

self.addEventListener('message', async (ev: MessageEvent<RunRequest>) => {
  const req = ev.data;
  if (!req || req.type !== 'run' || started || typeof req.token !== 'string') return;
  started = true;
  const { runId, token } = req;
  const lock = await holdLifeLock();
  post({ type: 'started', runId, token, lock });
  await warm;
  const checking = req.check !== undefined;
  const { checks, problem } = checking ? await prepareChecks(req.check) : { checks: null, problem: null };
  const printed: string[] = [];
  const capture = captureConsole(
    {
      print: (level, text) => {
        if (checking) define(printed, printed.length, text);
        post({ type: 'console', runId, token, level, text });
      },
      truncated: (notice) => post({ type: 'truncated', runId, token, notice }),
    },
    req.limits,
  );
  // Library code logs through the same console; `show` is also a global for quick experiments.
  (self as unknown as { console: unknown }).console = capture;
  (self as unknown as { show: typeof show }).show = show;
  const figures = new FigureBudget();
  setShowSink((name, spec, cost) => {
    const over = figures.admit(cost);
    if (over) throw new RangeError(over);
    post({ type: 'plot', runId, token, name, spec });
  });

  const t0 = performance.now();
  const prepared = await prepare(req.source, { filename: req.filename, runId, modules, console: capture });
  if (!prepared.ok) {
    post({ type: 'error', runId, token, phase: prepared.error.name === 'SyntaxError' ? 'syntax' : 'runtime', error: prepared.error });
    if (checking) post({ type: 'checks', runId, token, results: [], problem: problem ?? 'Your code did not run (see the error), so nothing was checked.' });
    post({ type: 'done', runId, token, ok: false, ms: performance.now() - t0 });
    return;
  }
  let errors = 0;
  const later = (thrown: unknown) => {
    if (++errors <= maxLaterErrors) post({ type: 'error', runId, token, phase: 'runtime', error: prepared.run.locate(thrown) });
  };
  self.addEventListener('error', (e) => {
    e.preventDefault();
    later(e.error ?? e.message);
  });
  self.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    later(e.reason);
  });
  lockDown(self);
  const error = await prepared.run.execute();
  const ms = performance.now() - t0;
  if (error) post({ type: 'error', runId, token, phase: 'runtime', error });
  // Judged at once and synchronously, with the references computed before the code ran.
  if (checking) post({ type: 'checks', runId, token, results: checks ? checks.judge({ exports: prepared.run.exports(), output: printed }) : [], problem });
  // One task later, so a promise the top level left rejected (`show('x', badSpec)` without await) is reported
  // before "done" and counts as this run's error.
  await nextTask();
  await nextTask();
  post({ type: 'done', runId, token, ok: !error && errors === 0, ms });
});

/** The exercise's checks with their references computed (before the reader's code runs), or why they cannot run. */
async function prepareChecks(key: string | undefined): Promise<{ checks: StartedChecks | null; problem: string | null }> {
  try {
    return { checks: startChecks(await loadChecks(key ?? '')), problem: null };
  } catch (e) {
    return { checks: null, problem: `The checks could not start (${describeThrown(e)}); this is the page's fault, not your code's.` };
  }
}
