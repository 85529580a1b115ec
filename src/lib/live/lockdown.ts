/**
 * What a listing must not reach in its worker. The runner talks to the page with a `postMessage` it captured when
 * it loaded, and holds its life lock through a `navigator.locks` it captured too; before the reader's code runs,
 * `postMessage` and `close` are replaced, on the global object and on every prototype that defines them, by
 * functions that throw, and `navigator.locks` by a getter that throws. So a listing cannot write to the page past
 * the output cap, forge "done" to escape its time budget, send a figure that skipped the checks, end its own
 * worker, or see and steal the runner locks of this and other tabs (which would make their pages think their runs
 * had ended). (Listening for messages is harmless: the page sends a worker one message, the run request, before
 * the listing starts, and the runner ignores any other.)
 */

/** The functions a listing may not call, each with the reason the reader sees. */
export const blocked = {
  postMessage: 'postMessage is not available in live code: print with console.log and draw with show()',
  close: 'close() is not available in live code: a run ends when its code finishes (or its time budget is spent)',
} as const;

/** The navigator properties a listing may not read. */
export const blockedNavigator = {
  locks: 'navigator.locks is not available in live code: the runner uses it to tell the page when a run has ended',
} as const;

/** The objects from o up its prototype chain (Object.prototype excluded) that have an own property `name`. */
function owners(o: object, name: string): object[] {
  const found: object[] = [o];
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    if (Object.prototype.hasOwnProperty.call(p, name)) found.push(p);
  return found;
}

function define(o: object, name: string, descriptor: PropertyDescriptor): boolean {
  try {
    Object.defineProperty(o, name, { ...descriptor, configurable: false, enumerable: true });
    return true;
  } catch {
    return false; // already locked (not configurable)
  }
}

/**
 * lockDown(scope) replaces `postMessage` and `close` on scope and on each object of its prototype chain that has
 * them with non-writable, non-configurable functions that throw a TypeError, and `scope.navigator.locks` (on the
 * navigator and its prototypes) with a non-configurable getter that throws. Returns the names it replaced.
 */
export function lockDown(scope: object): string[] {
  const done: string[] = [];
  for (const [name, why] of Object.entries(blocked)) {
    const refuse = {
      [name]() {
        throw new TypeError(why);
      },
    }[name];
    for (const o of owners(scope, name)) if (define(o, name, { value: refuse, writable: false })) done.push(name);
  }
  const nav = (scope as { navigator?: object }).navigator;
  if (nav) {
    for (const [name, why] of Object.entries(blockedNavigator)) {
      const get = () => {
        throw new TypeError(why);
      };
      for (const o of owners(nav, name)) if (define(o, name, { get })) done.push(`navigator.${name}`);
    }
  }
  return done;
}
