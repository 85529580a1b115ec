/**
 * Console output of a run: values formatted like Node's console (tensors through their own toString, which the
 * autodiff library makes NumPy-like), and a cap on lines and characters so a chatty loop cannot flood the page.
 */

export type Level = 'log' | 'info' | 'warn' | 'error';

const MAX_DEPTH = 3;
const MAX_ITEMS = 100;

function hasOwnToString(v: object): boolean {
  // A class with its own toString (Tensor) prints through it; plain objects and arrays do not.
  let p = Object.getPrototypeOf(v);
  while (p && p !== Object.prototype && p !== Array.prototype) {
    if (Object.prototype.hasOwnProperty.call(p, 'toString')) return true;
    p = Object.getPrototypeOf(p);
  }
  return false;
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** inspect(v) = a one-line, Node-like rendering of v (strings quoted). */
export function inspect(v: unknown, depth = 0, seen: Set<object> = new Set()): string {
  switch (typeof v) {
    case 'string':
      return depth === 0 ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return `${v}n`;
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'symbol':
      return v.toString();
    case 'function':
      return `[Function${v.name ? `: ${v.name}` : ' (anonymous)'}]`;
  }
  if (v === null) return 'null';
  const o = v as object;
  if (seen.has(o)) return '[Circular]';
  if (o instanceof Error) return o.stack && depth === 0 ? `${o.name}: ${o.message}` : `[${o.name}: ${o.message}]`;
  if (o instanceof Date) return o.toISOString();
  if (o instanceof RegExp) return String(o);
  const builtin = ArrayBuffer.isView(o) || Array.isArray(o) || o instanceof Map || o instanceof Set;
  if (!builtin && hasOwnToString(o)) {
    try {
      return String(o);
    } catch {
      // fall through to the structural view
    }
  }
  if (depth >= MAX_DEPTH) return Array.isArray(o) ? '[Array]' : '[Object]';
  seen.add(o);
  try {
    const more = (n: number) => (n > MAX_ITEMS ? [`... ${n - MAX_ITEMS} more items`] : []);
    if (ArrayBuffer.isView(o) && !(o instanceof DataView)) {
      const a = o as unknown as ArrayLike<number>;
      const items = Array.from({ length: Math.min(a.length, MAX_ITEMS) }, (_, i) => inspect(a[i], depth + 1, seen));
      return `${o.constructor.name}(${a.length}) [${[...items, ...more(a.length)].join(', ')}]`;
    }
    if (Array.isArray(o)) {
      const items = o.slice(0, MAX_ITEMS).map((x) => inspect(x, depth + 1, seen));
      return `[${[...items, ...more(o.length)].join(', ')}]`;
    }
    if (o instanceof Map) {
      const items = [...o].slice(0, MAX_ITEMS).map(([k, x]) => `${inspect(k, depth + 1, seen)} => ${inspect(x, depth + 1, seen)}`);
      return `Map(${o.size}) {${items.length ? ` ${items.join(', ')} ` : ''}}`;
    }
    if (o instanceof Set) {
      const items = [...o].slice(0, MAX_ITEMS).map((x) => inspect(x, depth + 1, seen));
      return `Set(${o.size}) {${items.length ? ` ${items.join(', ')} ` : ''}}`;
    }
    const keys = Object.keys(o);
    const name = o.constructor && o.constructor !== Object && typeof o.constructor.name === 'string' ? `${o.constructor.name} ` : '';
    const items = keys
      .slice(0, MAX_ITEMS)
      .map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : inspect(k, 1)}: ${inspect((o as Record<string, unknown>)[k], depth + 1, seen)}`);
    return `${name}{${items.length ? ` ${[...items, ...more(keys.length)].join(', ')} ` : ''}}`;
  } finally {
    seen.delete(o);
  }
}

/** formatArgs(args) = what console.log(...args) prints: the arguments inspected and joined by spaces. */
export function formatArgs(args: unknown[]): string {
  return args.map((a) => inspect(a)).join(' ');
}

export interface OutputLimits {
  maxLines: number;
  maxChars: number;
}

export const defaultLimits: OutputLimits = { maxLines: 500, maxChars: 50_000 };

/**
 * Counts what a run prints and says how much of each new chunk may still be shown. Once a limit is hit,
 * everything after it is dropped and `truncatedNotice` tells the reader once.
 */
export class OutputCap {
  lines = 0;
  chars = 0;
  truncated = false;

  constructor(readonly limits: OutputLimits = defaultLimits) {}

  /** The part of `text` (one console call; may contain newlines) that still fits, or null when nothing does. */
  take(text: string): string | null {
    if (this.truncated) return null;
    const { maxLines, maxChars } = this.limits;
    const parts = text.split('\n');
    const roomLines = maxLines - this.lines;
    let kept = parts.slice(0, Math.max(0, roomLines)).join('\n');
    let cut = parts.length > roomLines;
    if (kept.length > maxChars - this.chars) {
      kept = kept.slice(0, Math.max(0, maxChars - this.chars));
      cut = true;
    }
    if (cut) this.truncated = true;
    if (!kept && cut) return null;
    this.lines += kept.split('\n').length;
    this.chars += kept.length;
    return kept;
  }

  /** The notice shown once output has been cut. */
  get truncatedNotice(): string {
    const { maxLines, maxChars } = this.limits;
    return `Output truncated: a run shows at most ${maxLines} lines and ${maxChars.toLocaleString('en-US')} characters.`;
  }
}

/** clip(text, max) = text, or its first max characters and an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The page's own account of what a run showed. The worker caps its output already; the page checks again, so
 * output can never grow past the limits whatever arrives (defence in depth). Console text goes through the same
 * line and character limits; errors (which the worker does not cap: a throwing interval) get their own small quota
 * and are clipped.
 */
export class OutputGate {
  private cap: OutputCap;
  private noticeShown = false;
  private errors = 0;

  constructor(
    limits: OutputLimits = defaultLimits,
    readonly maxErrors = 20,
    readonly maxErrorChars = 2000,
  ) {
    this.cap = new OutputCap(limits);
  }

  /** What to show for a console message: the text that fits (or null), then the truncation notice (once), or null. */
  console(text: string): { text: string | null; notice: string | null } {
    const kept = this.cap.take(text);
    return { text: kept, notice: this.cap.truncated ? this.truncated(this.cap.truncatedNotice) : null };
  }

  /** The worker's truncation notice, shown once (later ones, and the page's own if it already showed one, are dropped). */
  truncated(notice: string): string | null {
    if (this.noticeShown) return null;
    this.noticeShown = true;
    this.cap.truncated = true;
    return notice;
  }

  /** Whether an error may be shown: the first maxErrors are, then one notice (returned once), then nothing. */
  error(): 'show' | 'notice' | 'drop' {
    this.errors++;
    if (this.errors <= this.maxErrors) return 'show';
    return this.errors === this.maxErrors + 1 ? 'notice' : 'drop';
  }

  get errorsNotice(): string {
    return `Further errors are not shown (at most ${this.maxErrors} per run).`;
  }
}
