/**
 * What a listing must not reach in its worker. The runner talks to the page with a `postMessage` it captured when
 * it loaded; before the reader's code runs, `postMessage` and `close` are replaced, on the global object and on
 * every prototype that defines them, by functions that throw. So a listing cannot write to the page past the output
 * cap, forge "done" to escape its time budget, send a figure that skipped the checks, or end its own worker.
 * (Listening for messages is harmless: the page sends a worker one message, the run request, before the listing
 * starts, and the runner ignores any other.)
 */

/** The functions a listing may not call, each with the reason the reader sees. */
export const blocked = {
  postMessage: 'postMessage is not available in live code: print with console.log and draw with show()',
  close: 'close() is not available in live code: a run ends when its code finishes (or its time budget is spent)',
} as const;

/**
 * lockDown(scope) replaces `postMessage` and `close` on scope and on each object of its prototype chain that has
 * them, with non-writable, non-configurable functions that throw a TypeError. Returns the names it replaced.
 */
export function lockDown(scope: object): string[] {
  const done: string[] = [];
  for (const [name, why] of Object.entries(blocked)) {
    const refuse = {
      [name]() {
        throw new TypeError(why);
      },
    }[name];
    const owners: object[] = [scope];
    for (let p = Object.getPrototypeOf(scope); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
      if (Object.prototype.hasOwnProperty.call(p, name)) owners.push(p);
    for (const o of owners) {
      try {
        Object.defineProperty(o, name, { value: refuse, writable: false, configurable: false, enumerable: true });
        done.push(name);
      } catch {
        // Already locked (not configurable): nothing to do.
      }
    }
  }
  return done;
}
