/// <reference lib="webworker" />
/**
 * The worker a run happens in. It loads the transpiler and the course library as soon as it starts (the page
 * keeps one warm), runs exactly one listing, streams its console and figures to the page, and is terminated by
 * the page for the next run or when the time budget is spent.
 */
import type { RunRequest, WorkerMessage } from './protocol.ts';
import { captureConsole, prepare, type ModuleLoaders } from './runtime.ts';
import { setShowSink, show } from './show.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: WorkerMessage) => self.postMessage(m);

const modules: ModuleLoaders = {
  autodiff: () => import('../autodiff/index.ts'),
  optim: () => import('../optim/index.ts'),
  linalg: () => import('../linalg/index.ts'),
  show: async () => ({ show }),
};

// Warm up while the reader reads: the library listings import most.
const warm = Promise.allSettled([modules.autodiff(), modules.optim()]).then(() => post({ type: 'ready' }));

let started = false;

self.addEventListener('message', async (ev: MessageEvent<RunRequest>) => {
  const req = ev.data;
  if (!req || req.type !== 'run' || started) return;
  started = true;
  await warm;
  const { runId } = req;
  const capture = captureConsole(
    {
      print: (level, text) => post({ type: 'console', runId, level, text }),
      truncated: (notice) => post({ type: 'truncated', runId, notice }),
    },
    req.limits,
  );
  // Library code logs through the same console; `show` is also a global for quick experiments.
  (self as unknown as { console: unknown }).console = capture;
  (self as unknown as { show: typeof show }).show = show;
  setShowSink((name, spec) => post({ type: 'plot', runId, name, spec }));

  const t0 = performance.now();
  const prepared = await prepare(req.source, { filename: req.filename, runId, modules, console: capture });
  if (!prepared.ok) {
    post({ type: 'error', runId, phase: prepared.error.name === 'SyntaxError' ? 'syntax' : 'runtime', error: prepared.error });
    post({ type: 'done', runId, ok: false, ms: performance.now() - t0 });
    return;
  }
  const later = (thrown: unknown) => post({ type: 'error', runId, phase: 'runtime', error: prepared.run.locate(thrown) });
  self.addEventListener('error', (e) => {
    e.preventDefault();
    later(e.error ?? e.message);
  });
  self.addEventListener('unhandledrejection', (e) => {
    e.preventDefault();
    later(e.reason);
  });
  const error = await prepared.run.execute();
  if (error) post({ type: 'error', runId, phase: 'runtime', error });
  post({ type: 'done', runId, ok: !error, ms: performance.now() - t0 });
});
