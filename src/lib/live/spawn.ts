/**
 * Starts a runner worker. Tiny on purpose: the page's bootstrap imports it so that a click on "Edit & run" starts
 * loading the worker (transpiler, library) at the same time as the editor, not after it.
 */
export function spawnRunner(listing: string): Worker {
  return new Worker(new URL('./runner.worker.ts', import.meta.url), { type: 'module', name: `live-${listing}` });
}
