/**
 * Strict options objects: an unknown key is an error naming the closest valid key, and each number is
 * checked against its range (finite, with the bound named in the message).
 */
import { Tensor } from '../autodiff/index.ts';

/** edit(a, b) = Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length];
}

/** argmin over v in `valid` of edit(key, v): the suggestion for a misspelt option (ties: the first listed). */
export function closestKey(key: string, valid: readonly string[]): string {
  let best = valid[0];
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(key, v);
    if (d < bestD) { best = v; bestD = d; }
  }
  return best;
}

/**
 * Throws if `options` is not a plain object or has a key outside `valid`:
 * `sgdStep: unknown option 'learningRate' (did you mean 'lr'? valid options: lr)`.
 */
export function checkKeys(where: string, options: unknown, valid: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!valid.includes(key)) {
      throw new TypeError(`${where}: unknown option '${key}' (did you mean '${closestKey(key, valid)}'? valid options: ${valid.join(', ')})`);
    }
  }
}

/** A range [min, max] with open or closed ends, e.g. `[0, 1)`. */
export interface Range {
  min: number;
  max: number;
  minOpen?: boolean;
  maxOpen?: boolean;
}

function showRange(r: Range): string {
  const max = r.max === Infinity ? '∞' : String(r.max);
  return `${r.minOpen ? '(' : '['}${r.min}, ${max}${r.maxOpen || r.max === Infinity ? ')' : ']'}`;
}

function inRange(v: number, r: Range): boolean {
  if (!Number.isFinite(v)) return false;
  const lo = r.minOpen ? v > r.min : v >= r.min;
  const hi = r.maxOpen ? v < r.max : v <= r.max;
  return lo && hi;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (typeof v === 'number') return String(v);
  return typeof v;
}

/** A finite number in `range`, else a RangeError naming the option, the value and the range. */
export function checkNumber(where: string, name: string, v: unknown, range: Range): number {
  if (typeof v !== 'number') throw new TypeError(`${where}: ${name} must be a number, got ${describe(v)}`);
  if (!inRange(v, range)) throw new RangeError(`${where}: ${name} must be a finite number in ${showRange(range)}, got ${v}`);
  return v;
}

/** A positive integer (iteration counts), else a RangeError naming the option. */
export function checkCount(where: string, name: string, v: unknown, min = 1): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${where}: ${name} must be an integer ≥ ${min}, got ${describe(v)}`);
  }
  return v;
}

/**
 * A hyperparameter that may be a number or a one-element tensor (so it can be differentiated):
 * its current value must lie in `range`. Returned unchanged (a tensor stays on the tape).
 */
export function checkHyper(where: string, name: string, v: unknown, range: Range): number | Tensor {
  if (v instanceof Tensor) {
    if (v.size !== 1) throw new RangeError(`${where}: ${name} must be a number or a one-element tensor, got ${describe(v)}`);
    if (!inRange(v.data[0], range)) throw new RangeError(`${where}: ${name} must be a finite number in ${showRange(range)}, got a tensor holding ${v.data[0]}`);
    return v;
  }
  return checkNumber(where, name, v, range);
}

/** A boolean option, else a TypeError naming it. */
export function checkBoolean(where: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${where}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}
