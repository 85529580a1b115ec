/**
 * Runs a listing: transpile, resolve its imports to the course library, execute it as an async function (so top-
 * level `await` works) with a capturing console, and locate errors in the reader's source. Environment-neutral:
 * the worker entry wires it to postMessage, tests call it directly.
 */
import { errorParts, frameInSource, offsetToPos, originalPosition, type LiveError, type Segment } from './errors.ts';
import { resolveSpecifier, unknownModuleMessage, type ModuleName } from './modules.ts';
import { formatArgs, OutputCap, type Level, type OutputLimits } from './output.ts';
import { transpile } from './transpile.ts';

export type ModuleLoaders = Record<ModuleName, () => Promise<unknown>>;

export interface RunHooks {
  /** A console line that fits the output limits. */
  print(level: Level, text: string): void;
  /** Output was cut; called once. */
  truncated(notice: string): void;
}

/**
 * A console that formats its arguments and sends them through an OutputCap. The cap lives in this closure only:
 * the listing gets the console, never the cap (so it cannot lift its own limits).
 */
export function captureConsole(hooks: RunHooks, limits?: OutputLimits) {
  const cap = new OutputCap(limits);
  const emit = (level: Level) => (...args: unknown[]) => {
    const wasTruncated = cap.truncated;
    const text = cap.take(formatArgs(args));
    if (text !== null) hooks.print(level, text);
    if (cap.truncated && !wasTruncated) hooks.truncated(cap.truncatedNotice);
  };
  const log = emit('log');
  return {
    log,
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    debug: log,
    trace: log,
    dir: (v: unknown) => log(v),
    table: (v: unknown) => log(v),
    assert: (cond: unknown, ...args: unknown[]) => {
      if (!cond) emit('error')('Assertion failed' + (args.length ? ':' : ''), ...args);
    },
  };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<unknown>;
const PARAMS = ['require', 'exports', 'module', 'console'];

let lineOffsetCache: number | null = null;
/** How many lines the engine puts before a function body (2 in V8); measured, not assumed. */
export function wrapperLineOffset(): number {
  if (lineOffsetCache !== null) return lineOffsetCache;
  const url = 'live-probe.js';
  let stack = '';
  // A plain Function has the same header as an AsyncFunction and throws synchronously, so its stack is at hand.
  const SyncFunction = Function as unknown as new (...args: string[]) => () => void;
  try {
    new SyncFunction(...PARAMS, `throw new Error('probe')\n//# sourceURL=${url}`)();
  } catch (e) {
    stack = String((e as Error).stack ?? '');
  }
  const m = new RegExp(`${url.replace('.', '\\.')}:(\\d+):\\d+`).exec(stack);
  lineOffsetCache = m ? Number(m[1]) - 1 : 2;
  return lineOffsetCache;
}

/** The specifiers a transpiled listing requires (sucrase writes `require('…')` with a literal). */
export function requiredSpecifiers(code: string): string[] {
  return [...new Set([...code.matchAll(/\brequire\((['"])([^'"]+)\1\)/g)].map((m) => m[2]))];
}

export interface Prepared {
  /** Runs the listing's top level; resolves with an error (located) or null. */
  execute(): Promise<LiveError | null>;
  /** Locates anything thrown later by this run (timers, promises). */
  locate(thrown: unknown): LiveError;
  /** What the listing exported (its `module.exports`, as it is now). */
  exports(): unknown;
}

/**
 * prepare(source) = a listing ready to execute, or the error that stops it before it runs: a syntax error, or an
 * import the page cannot provide (located at the import).
 */
export async function prepare(
  source: string,
  options: { filename: string; runId: number; modules: ModuleLoaders; console: object },
): Promise<{ ok: true; run: Prepared } | { ok: false; error: LiveError }> {
  const t = transpile(source, options.filename);
  if (!t.ok) return t;
  const specs = requiredSpecifiers(t.code);
  const loaded = new Map<string, unknown>();
  for (const spec of specs) {
    const name = resolveSpecifier(spec);
    if (!name) {
      const at = source.indexOf(spec);
      return { ok: false, error: { name: 'ImportError', message: unknownModuleMessage(spec), pos: at >= 0 ? offsetToPos(source, at) : undefined } };
    }
    loaded.set(spec, await options.modules[name]());
  }
  const url = `live-${options.runId}-${options.filename.replace(/[^\w.-]/g, '_')}.js`;
  const lineOffset = wrapperLineOffset();
  const locate = (thrown: unknown): LiveError => locateError(thrown, url, lineOffset, t.map);
  let fn: (...a: unknown[]) => Promise<unknown>;
  try {
    fn = new AsyncFunction(...PARAMS, `${t.code}\n//# sourceURL=${url}`);
  } catch (e) {
    // The engine found a syntax error the transpiler let through (e.g. a duplicate `let`); engines give no position.
    const { name, message } = errorParts(e);
    return { ok: false, error: { name, message } };
  }
  const require = (spec: string) => {
    if (loaded.has(spec)) return loaded.get(spec);
    throw new Error(unknownModuleMessage(spec));
  };
  const module = { exports: {} as Record<string, unknown> };
  return {
    ok: true,
    run: {
      locate,
      exports: () => module.exports,
      async execute() {
        try {
          await fn(require, module.exports, module, options.console);
          return null;
        } catch (e) {
          return locate(e);
        }
      },
    },
  };
}

/** An error thrown by the run's code, with its position in the reader's source when a frame points there. */
export function locateError(thrown: unknown, sourceURL: string, lineOffset: number, map: Segment[][]): LiveError {
  const { name, message, stack } = errorParts(thrown);
  const gen = frameInSource(stack, sourceURL, lineOffset);
  return { name, message, pos: gen ? originalPosition(map, gen) : undefined };
}
