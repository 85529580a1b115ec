/**
 * Strict options objects, shared by every function and class of the library that takes one.
 *
 * An option is known by its camelCase name (the documented TypeScript form) and, where PyTorch has
 * one, by PyTorch's spelling (`maxIter` / `max_iter`). Unknown keys are errors that name the key and
 * the closest valid spelling; giving both spellings of one option is an error; values are checked by
 * the caller with the `check*` helpers, whose messages state the valid range.
 */

/** camelCase option name ↦ PyTorch's spelling of it, or null when PyTorch has none (or the same). */
export type OptionNames = Readonly<Record<string, string | null>>;

/**
 * PyTorch's spellings as optional properties: for `M = { maxIter: 'max_iter' }` and options type `T`,
 * `{ max_iter?: T['maxIter'] }`. Intersected with `T`, an unknown key in an object literal is still an
 * excess-property error.
 */
export type TorchSpellings<T, M extends Partial<Record<keyof T, string>>> = {
  [K in keyof M as M[K] extends string ? M[K] : never]?: K extends keyof T ? T[K] : never;
};

/** Levenshtein distance between a and b (case-sensitive; small strings only). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The valid spelling closest to `key` (ignoring case and underscores first, then by edit distance). */
export function closestName(key: string, valid: readonly string[]): string | null {
  const squash = (s: string): string => s.toLowerCase().replace(/_/g, '');
  let best: string | null = null;
  let bestD = Infinity;
  for (const v of valid) {
    const d = squash(v) === squash(key) ? 0 : Math.min(editDistance(key, v), editDistance(squash(key), squash(v)) + 0.5);
    if (d < bestD) { bestD = d; best = v; }
  }
  return best;
}

/** `'x'` for strings, the number or value otherwise: how a bad value is shown in an error. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array`;
  return typeof v === 'function' ? 'a function' : `an ${typeof v}`;
}

/**
 * Read an options object strictly: returns a new object keyed by camelCase names holding the given
 * (non-undefined) values. Throws a TypeError for a non-object, for an unknown key
 * ("LBFGS: unknown option 'maxIters' — did you mean 'maxIter'?") and for an option given twice
 * (`maxIter` and `max_iter`).
 */
export function readOptions(who: string, given: unknown, names: OptionNames): Record<string, unknown> {
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given)) throw new TypeError(`${who}: options must be an object, got ${showValue(given)}`);
  const fromTorch = new Map<string, string>();
  for (const [camel, torch] of Object.entries(names)) if (torch !== null && torch !== camel) fromTorch.set(torch, camel);
  const out: Record<string, unknown> = {};
  const seenAs = new Map<string, string>();
  for (const key of Object.keys(given)) {
    const camel = Object.hasOwn(names, key) ? key : fromTorch.get(key);
    if (camel === undefined) {
      const valid = [...Object.keys(names), ...fromTorch.keys()];
      const near = closestName(key, valid);
      throw new TypeError(`${who}: unknown option '${key}'${near === null ? '' : ` — did you mean '${near}'?`} (valid options: ${Object.keys(names).join(', ')})`);
    }
    const other = seenAs.get(camel);
    if (other !== undefined) throw new TypeError(`${who}: option '${camel}' is given twice, as '${other}' and '${key}'; give one`);
    seenAs.set(camel, key);
    const v = (given as Record<string, unknown>)[key];
    if (v !== undefined) out[camel] = v;
  }
  return out;
}

/** Range of a numeric option: bounds (inclusive unless `*Open`), and whether it must be an integer. */
export interface NumberRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
}

/** "an integer in [1, 1000000]", "a finite number > 0", … */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a finite number';
  const lo = r.min === undefined ? null : r.min;
  const hi = r.max === undefined ? null : r.max;
  if (lo !== null && hi !== null) return `${kind} in ${r.minOpen ? '(' : '['}${lo}, ${hi}${r.maxOpen ? ')' : ']'}`;
  if (lo !== null) return `${kind} ${r.minOpen ? '>' : '≥'} ${lo}`;
  if (hi !== null) return `${kind} ${r.maxOpen ? '<' : '≤'} ${hi}`;
  return kind;
}

/** True when v is a number within the range. */
export function inRange(v: unknown, r: NumberRange): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.min !== undefined && (r.minOpen ? !(v > r.min) : !(v >= r.min))) return false;
  if (r.max !== undefined && (r.maxOpen ? !(v < r.max) : !(v <= r.max))) return false;
  return true;
}

/** v when it is a number in range; else a RangeError "who: name must be <range>, got v". */
export function checkNumber(who: string, name: string, v: unknown, r: NumberRange): number {
  if (!inRange(v, r)) throw new RangeError(`${who}: ${name} must be ${describeRange(r)}, got ${showValue(v)}`);
  return v;
}

/** v when it is a boolean; else a TypeError. */
export function checkBoolean(who: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${who}: ${name} must be true or false, got ${showValue(v)}`);
  return v;
}

/** v when it is one of `choices`; else a RangeError listing them. */
export function checkChoice<T>(who: string, name: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) throw new RangeError(`${who}: ${name} must be one of ${choices.map(showValue).join(', ')}, got ${showValue(v)}`);
  return v as T;
}

/**
 * Largest iteration or evaluation budget an option may ask for. Every loop is bounded, but a budget of
 * 1e12 would run for days (and a recorded trace would not fit in memory); 10⁶ is far beyond what any
 * course figure or exercise needs.
 */
export const MAX_BUDGET = 1_000_000;
