/**
 * Starts a runner worker. Tiny on purpose: the page's bootstrap imports it so that a click on "Edit & run" starts
 * loading the worker (transpiler, library) at the same time as the editor, not after it.
 *
 * The worker is started from a one-line blob: module that imports the real runner. A worker loaded from its own
 * URL gets its Content-Security-Policy from that response's headers, and a static host (GitHub Pages) sends none;
 * a worker started from a blob: URL inherits the page's policy (the `<meta http-equiv>` of csp.ts), so the listing
 * cannot fetch other origins or import code from data: URLs.
 */
import runnerUrl from './runner.worker.ts?worker&url';

/** The blob: module that imports the runner at its absolute URL (a blob: URL has no base for relative ones). */
export function runnerModuleSource(url: string, base: string): string {
  return `import ${JSON.stringify(new URL(url, base).href)};\n`;
}

export function spawnRunner(listing: string): Worker {
  const blob = URL.createObjectURL(new Blob([runnerModuleSource(runnerUrl, location.href)], { type: 'text/javascript' }));
  const worker = new Worker(blob, { type: 'module', name: `live-${listing}` });
  // The worker has its script once it answers (or fails); the URL is not needed after that.
  const revoke = () => URL.revokeObjectURL(blob);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
}
