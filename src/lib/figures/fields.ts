/**
 * Figure state schemas: each field knows how to parse and validate its text (from an input or the URL hash) and how
 * to write it back. A figure's state is a plain record of numbers, booleans and strings.
 */
import { readNamespace, writeNamespace } from './hash.ts';

export interface NumberField {
  kind: 'number';
  label: string;
  min: number;
  max: number;
  step: number;
  integer?: boolean;
  /** Render as a range slider next to the number input. */
  range?: boolean;
}
export interface BoolField {
  kind: 'bool';
  label: string;
}
export interface EnumField {
  kind: 'enum';
  label: string;
  options: readonly { value: string; label: string }[];
}
export type Field = NumberField | BoolField | EnumField;
export type Schema = Record<string, Field>;
export type Value = number | boolean | string;
export type StateOf = Record<string, Value>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses and checks a number field's text; the message says what is wrong in the reader's terms. */
export function parseNumber(text: string, f: NumberField): Parsed<number> {
  const t = text.trim().replace(/\u2212/g, '-');
  if (t === '') return { ok: false, message: `${f.label}: enter a number.` };
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return { ok: false, message: `${f.label}: “${text.trim()}” is not a number.` };
  const v = Number(t);
  if (!Number.isFinite(v)) return { ok: false, message: `${f.label}: enter a finite number.` };
  if (f.integer && !Number.isInteger(v)) return { ok: false, message: `${f.label}: enter a whole number.` };
  if (v < f.min || v > f.max) return { ok: false, message: `${f.label}: enter a number from ${f.min} to ${f.max}.` };
  return { ok: true, value: v };
}

/** Parses a field's text (hash or input) into its value. */
export function parseField(text: string, f: Field): Parsed<Value> {
  if (f.kind === 'number') return parseNumber(text, f);
  if (f.kind === 'bool') {
    if (text === '1' || text === 'true') return { ok: true, value: true };
    if (text === '0' || text === 'false') return { ok: true, value: false };
    return { ok: false, message: `${f.label}: expected 0 or 1.` };
  }
  if (f.options.some((o) => o.value === text)) return { ok: true, value: text };
  return { ok: false, message: `${f.label}: unknown choice “${text}”.` };
}

/** A value as hash text: numbers without float noise, booleans as 1/0. */
export function formatValue(v: Value): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(Number(v.toPrecision(12)));
  return v;
}

export interface DecodeResult<S> {
  state: S;
  /** A notice for the reader when the hash had keys for this figure that could not be used; null otherwise. */
  notice: string | null;
}

/** The hash version of every figure's state; bump when a field changes meaning so old links are recognised. */
export const HASH_VERSION = '1';

/**
 * The state a hash describes for namespace `ns`: defaults overridden by the namespace's keys. A malformed or outdated
 * namespace (unknown key, bad value, other version) is ignored as a whole: the defaults are kept and a notice says why.
 */
export function decodeState<S extends StateOf>(hash: string, ns: string, schema: Schema, defaults: S): DecodeResult<S> {
  const params = readNamespace(hash, ns);
  const keys = Object.keys(params);
  if (keys.length === 0) return { state: { ...defaults }, notice: null };
  const problems: string[] = [];
  if (params.v !== undefined && params.v !== HASH_VERSION) problems.push(`it was made for version ${params.v} of this figure`);
  const state: StateOf = { ...defaults };
  for (const k of keys) {
    if (k === 'v') continue;
    // Only the schema's own fields: `constructor` or `toString` in a link are unknown settings, not Object's members.
    const f = Object.hasOwn(schema, k) ? schema[k] : undefined;
    if (!f) {
      problems.push(`unknown setting “${k}”`);
      continue;
    }
    const r = parseField(params[k], f);
    if (r.ok) state[k] = r.value;
    else problems.push(r.message);
  }
  if (problems.length) return { state: { ...defaults }, notice: `The link’s settings for this figure were ignored (${problems.slice(0, 2).join('; ')}); showing the defaults.` };
  return { state: state as S, notice: null };
}

/** The hash with namespace `ns` set to the fields of `state` that differ from `defaults` (the namespace is dropped when none do). */
export function encodeState<S extends StateOf>(hash: string, ns: string, schema: Schema, state: S, defaults: S): string {
  const values: Record<string, string> = {};
  for (const k of Object.keys(schema)) if (formatValue(state[k]) !== formatValue(defaults[k])) values[k] = formatValue(state[k]);
  if (Object.keys(values).length) values.v = HASH_VERSION;
  return writeNamespace(hash, ns, Object.keys(values).length ? { v: values.v, ...Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'v')) } : {});
}
