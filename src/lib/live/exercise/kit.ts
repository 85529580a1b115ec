/**
 * What an exercise's checks compare with. Every built-in this module uses is captured when it first loads; the
 * runner worker imports it at start-up, before any reader code, so a reader's code that overwrites `Math`,
 * `Object.is`, `JSON`, `Number`, `Reflect` or array methods (or replaces the globals outright) cannot change how a
 * check reads the reader's answer, compares it, or words its verdict.
 *
 * Rules for check authors (`docs/live-code.md`, "Exercises"): compute reference values in `prepare` (it runs
 * before the reader's code), and in a check's `run` use only this kit, arithmetic operators and plain control
 * flow, never `Math.*`, array methods or `toFixed` on values. Tamper tests in `test/unit/live/exerciseTamper.test.ts`
 * hold every exercise to this.
 */

const { abs, sqrt, max } = Math;
const apply = Reflect.apply;
const getOwn = Reflect.getOwnPropertyDescriptor;
const defineOwn = Reflect.defineProperty;
const freeze = Object.freeze;
const toPrecision = Number.prototype.toPrecision;
const sliceString = String.prototype.slice;
const F64 = Float64Array;
const NumberIsFinite = Number.isFinite;

/** A check's result: what the reader reads next to the check's label. */
export interface Verdict {
  readonly passed: boolean;
  readonly message: string;
}

/** Thrown by the kit (and by checks) to end a check with a reader-facing message. */
export interface Failure {
  readonly failure: string;
}

const failures = new WeakSet<object>();
const weakHas = WeakSet.prototype.has;
const weakAdd = WeakSet.prototype.add;

/** fail(message) = a failing verdict. */
export function fail(message: string): Verdict {
  return freeze({ passed: false, message: clip(message) });
}

/** pass(message) = a passing verdict. */
export function pass(message = ''): Verdict {
  return freeze({ passed: true, message: clip(message) });
}

/** stop(message) throws a Failure that ends the current check with that message (caught by the judge). */
export function stop(message: string): never {
  const f = freeze({ failure: clip(message) });
  apply(weakAdd, failures, [f]);
  throw f;
}

/** failureMessage(e) = the message of a Failure made by {@link stop}, or null for anything else. */
export function failureMessage(e: unknown): string | null {
  if (typeof e !== 'object' || e === null) return null;
  return apply(weakHas, failures, [e]) ? (e as Failure).failure : null;
}

/** clip(text, n) = text cut to n characters with an ellipsis. */
export function clip(text: string, n = 400): string {
  if (typeof text !== 'string') return '';
  return text.length <= n ? text : apply(sliceString, text, [0, n - 1]) + '…';
}

/** num(x, digits) = x with `digits` significant digits (toPrecision), or its plain name when not finite. */
export function num(x: number, digits = 3): string {
  if (typeof x !== 'number') return 'not a number';
  if (!NumberIsFinite(x)) return `${x}`;
  return apply(toPrecision, x, [digits]) as string;
}

/**
 * describeThrown(e) = a one-line description of anything a reader's code threw: an Error's own message, a string,
 * or a neutral phrase; never a stack, never the result of calling the reader's code again (no toString).
 */
export function describeThrown(e: unknown): string {
  try {
    if (typeof e === 'string') return clip(e, 300);
    if (typeof e === 'number' || typeof e === 'boolean') return `${e}`;
    if (typeof e === 'object' && e !== null) {
      const m = getOwn(e, 'message');
      if (m && typeof m.value === 'string') return clip(m.value, 300);
    }
  } catch {
    // a Proxy that throws on inspection: described below
  }
  return 'a value that is not an Error';
}

/**
 * exported(exports, name) = the reader's export `name` if it is a function, else a Failure naming what to export.
 * Reads the export once (a getter the reader wrote runs once, inside the check).
 */
export function exportedFunction(exports: unknown, name: string): (...args: unknown[]) => unknown {
  let value: unknown;
  try {
    value = exports !== null && (typeof exports === 'object' || typeof exports === 'function') ? (exports as Record<string, unknown>)[name] : undefined;
  } catch (e) {
    stop(`Reading the export ${name} threw: ${describeThrown(e)}`);
  }
  if (typeof value !== 'function')
    stop(`${name} is not exported as a function (found ${value === undefined ? 'nothing' : typeof value}): keep \`export function ${name}\` in your code.`);
  return value as (...args: unknown[]) => unknown;
}

/**
 * call(fn, args, what) = fn(...args), the reader's function called once; a throw or a promise ends the check
 * with a message that names `what` (e.g. `hvpExact()`).
 */
export function call(fn: (...args: unknown[]) => unknown, args: readonly unknown[], what: string): unknown {
  let result: unknown;
  try {
    result = apply(fn, undefined, args);
  } catch (e) {
    stop(`${what} threw: ${describeThrown(e)}`);
  }
  let then: unknown;
  try {
    then = result !== null && typeof result === 'object' ? (result as { then?: unknown }).then : undefined;
  } catch {
    then = null;
  }
  if (then !== undefined) stop(`${what} returned a promise: return the value itself (the check does not await).`);
  return result;
}

/**
 * vector(value, n, what) = a fresh Float64Array copy of a length-n vector the reader returned: a Float64Array, a
 * number[], or a tensor (its `data`). Each element is read once and must be a finite number; otherwise the check
 * ends with a message naming `what`.
 */
export function vector(value: unknown, n: number, what: string): Float64Array {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) stop(`${what} should be a vector of ${n} numbers, got ${value === null ? 'null' : typeof value}.`);
  let src: unknown = value;
  let length: unknown;
  try {
    length = (src as { length?: unknown }).length;
    if (typeof length !== 'number') {
      src = (value as { data?: unknown }).data;
      length = src !== null && typeof src === 'object' ? (src as { length?: unknown }).length : undefined;
    }
  } catch (e) {
    stop(`Reading ${what} threw: ${describeThrown(e)}`);
  }
  if (typeof length !== 'number') stop(`${what} should be a vector (a Float64Array, an array or a tensor) of ${n} numbers.`);
  if (length !== n) stop(`${what} has ${length} entries; it should have ${n}.`);
  const out = new F64(n);
  for (let i = 0; i < n; i++) {
    let x: unknown;
    try {
      x = (src as Record<number, unknown>)[i];
    } catch (e) {
      stop(`Reading ${what}[${i}] threw: ${describeThrown(e)}`);
    }
    if (typeof x !== 'number') stop(`${what}[${i}] is ${typeof x}, not a number.`);
    if (!NumberIsFinite(x)) stop(`${what}[${i}] is ${x}: every entry should be a finite number.`);
    out[i] = x;
  }
  return out;
}

/** number(value, what) = value if it is a finite number, else the check ends with a message naming `what`. */
export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== 'number') stop(`${what} should be a number, got ${value === null ? 'null' : typeof value}.`);
  if (!NumberIsFinite(value)) stop(`${what} is ${value}: it should be a finite number.`);
  return value;
}

/** property(value, key, what) = value[key] read once; a throw or a missing object ends the check. */
export function property(value: unknown, key: string, what: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) stop(`${what} should be an object with ${key}, got ${value === null ? 'null' : typeof value}.`);
  try {
    return (value as Record<string, unknown>)[key];
  } catch (e) {
    stop(`Reading ${what}.${key} threw: ${describeThrown(e)}`);
  }
}

/** copy(v) = a fresh copy of v (hand the reader's function copies, so it cannot change the check's data). */
export function copy(v: Float64Array): Float64Array {
  const out = new F64(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i];
  return out;
}

/** zeros(n) = a fresh Float64Array of n zeros. */
export function zeros(n: number): Float64Array {
  return new F64(n);
}

/** dot(a, b) = Σ aᵢbᵢ. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** norm(a) = ‖a‖₂. */
export function norm(a: Float64Array): number {
  return sqrt(dot(a, a));
}

/** scaled(a, c) = c·a (fresh). */
export function scaled(a: Float64Array, c: number): Float64Array {
  const out = new F64(a.length);
  for (let i = 0; i < a.length; i++) out[i] = c * a[i];
  return out;
}

/** relativeError(x, ref) = ‖x − ref‖ / max(‖ref‖, tiny). */
export function relativeError(x: Float64Array, ref: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - ref[i]) * (x[i] - ref[i]);
  return sqrt(s) / max(norm(ref), 1e-300);
}

/** cosine(a, b) = aᵀb / (‖a‖‖b‖), 0 when either is zero. */
export function cosine(a: Float64Array, b: Float64Array): number {
  const d = norm(a) * norm(b);
  return d === 0 ? 0 : dot(a, b) / d;
}

/** ratio(x, ref) = the least-squares scale c with x ≈ c·ref: xᵀref / refᵀref. */
export function ratio(x: Float64Array, ref: Float64Array): number {
  const d = dot(ref, ref);
  return d === 0 ? 0 : dot(x, ref) / d;
}

/** near(a, b, rtol) = |a − b| ≤ rtol·max(|a|, |b|). */
export function near(a: number, b: number, rtol: number): boolean {
  return abs(a - b) <= rtol * max(abs(a), abs(b));
}

/** absolute(x) = |x|. */
export function absolute(x: number): number {
  return abs(x);
}

/** define(list, i, v) puts v at index i of a list without running setters a reader may have put on Array.prototype. */
export function define<T>(list: T[], i: number, v: T): void {
  defineOwn(list, i, { value: v, writable: true, enumerable: true, configurable: true });
}
