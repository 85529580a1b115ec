/**
 * Messages between the page and the type-checking worker (types.worker.ts). Every request carries the listing's
 * whole text (a listing is small; the worker keeps no document state between requests) and an id its answer
 * repeats. Both sides check what they receive: an unknown type or field is an error naming it.
 */

export interface TypeDiagnostic {
  /** Offsets in the checked source. */
  from: number;
  to: number;
  /** 1-based, where the diagnostic starts. */
  line: number;
  column: number;
  /** TypeScript's error code (2551 for "Property … does not exist … Did you mean …?"). */
  code: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface CompletionItem {
  label: string;
  /** TypeScript's ScriptElementKind: 'method', 'property', 'function', 'const', … */
  kind: string;
}

export interface HoverInfo {
  from: number;
  to: number;
  /** The declaration as TypeScript shows it: `(method) Tensor.mul(other: TensorLike): Tensor`. */
  signature: string;
  /** The doc comment, with its tags (`@param x …`) on lines of their own; empty when there is none. */
  doc: string;
}

/** A completion's declaration and doc comment (shown beside the list: for keyboard and touch, who cannot hover). */
export interface EntryDetails {
  signature: string;
  doc: string;
}

interface Base {
  id: number;
  filename: string;
  source: string;
}

export type TypeRequest =
  | (Base & { type: 'check' })
  | (Base & { type: 'complete'; pos: number })
  | (Base & { type: 'hover'; pos: number })
  | (Base & { type: 'details'; pos: number; name: string });

export type TypeResponse =
  | { type: 'diagnostics'; id: number; diagnostics: TypeDiagnostic[] }
  | { type: 'completions'; id: number; from: number; items: CompletionItem[] }
  | { type: 'hover'; id: number; info: HoverInfo | null }
  | { type: 'details'; id: number; details: EntryDetails | null }
  | { type: 'failed'; id: number; message: string };

/** The longest listing the worker checks (characters); a share link decodes to at most 100,000. */
export const MAX_SOURCE = 100_000;

const FILENAME = /^[\w.-]{1,80}\.ts$/;

/** The name a listing is checked under: its own when it is a plain `.ts` file name, else `listing.ts`. */
export function typeCheckFilename(filename: string): string {
  return FILENAME.test(filename) ? filename : 'listing.ts';
}

const requestKeys: Record<TypeRequest['type'], string[]> = {
  check: ['type', 'id', 'filename', 'source'],
  complete: ['type', 'id', 'filename', 'source', 'pos'],
  hover: ['type', 'id', 'filename', 'source', 'pos'],
  details: ['type', 'id', 'filename', 'source', 'pos', 'name'],
};

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/** Checks a request as the worker receives it; throws a TypeError naming the first thing wrong. */
export function parseRequest(data: unknown): TypeRequest {
  if (!isRecord(data)) throw new TypeError('type request: expected an object');
  const type = data.type as TypeRequest['type'];
  const keys = requestKeys[type];
  if (!keys) throw new TypeError(`type request: unknown type ${JSON.stringify(data.type)} (expected check, complete, hover or details)`);
  for (const k of Object.keys(data)) if (!keys.includes(k)) throw new TypeError(`type request '${type}': unknown field '${k}'`);
  if (!isIndex(data.id)) throw new TypeError(`type request '${type}': id must be a non-negative integer`);
  if (typeof data.filename !== 'string' || !FILENAME.test(data.filename))
    throw new TypeError(`type request '${type}': filename must be letters, digits, '.', '-' or '_' ending in .ts`);
  if (typeof data.source !== 'string') throw new TypeError(`type request '${type}': source must be a string`);
  if (data.source.length > MAX_SOURCE) throw new RangeError(`type request '${type}': source is longer than ${MAX_SOURCE} characters`);
  if (type !== 'check' && (!isIndex(data.pos) || data.pos > data.source.length))
    throw new TypeError(`type request '${type}': pos must be an offset in the source (0…${data.source.length})`);
  if (type === 'details' && (typeof data.name !== 'string' || !/^[\w$]{1,200}$/.test(data.name)))
    throw new TypeError(`type request 'details': name must be an identifier`);
  return data as unknown as TypeRequest;
}

/** Whether a message from the worker has the shape of a response (the page drops anything else). */
export function isTypeResponse(data: unknown): data is TypeResponse {
  if (!isRecord(data) || !isIndex(data.id)) return false;
  switch (data.type) {
    case 'diagnostics':
      return Array.isArray(data.diagnostics) && data.diagnostics.every(isDiagnostic);
    case 'completions':
      return isIndex(data.from) && Array.isArray(data.items) && data.items.every((i) => isRecord(i) && typeof i.label === 'string' && typeof i.kind === 'string');
    case 'hover':
      return data.info === null || (isRecord(data.info) && isIndex(data.info.from) && isIndex(data.info.to) && typeof data.info.signature === 'string' && typeof data.info.doc === 'string');
    case 'details':
      return data.details === null || (isRecord(data.details) && typeof data.details.signature === 'string' && typeof data.details.doc === 'string');
    case 'failed':
      return typeof data.message === 'string';
    default:
      return false;
  }
}

function isDiagnostic(d: unknown): d is TypeDiagnostic {
  return (
    isRecord(d) &&
    isIndex(d.from) &&
    isIndex(d.to) &&
    d.to >= d.from &&
    isIndex(d.line) &&
    isIndex(d.column) &&
    isIndex(d.code) &&
    (d.severity === 'error' || d.severity === 'warning' || d.severity === 'info') &&
    typeof d.message === 'string'
  );
}
