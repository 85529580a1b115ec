/**
 * Share links: a listing's edited code travels in the URL hash as `code-<listing>=<lz-string>`, next to other
 * islands' keys (figures use their own). The hash is a `&`-separated list of `key=value` pairs.
 */
import { compressToEncodedURIComponent } from 'lz-string';
import { decodeBounded } from './lzDecode.ts';

/**
 * How much a share link may carry: the encoded value's length is checked before decoding, and decoding stops
 * once the text passes maxDecoded (lzDecode.ts), so a small link cannot decode to megabytes.
 */
export const shareLimits = { maxEncoded: 50_000, maxDecoded: 100_000 };

/** The hash key of a listing: `code-hvp-demo`. */
export function hashKey(listing: string): string {
  return `code-${listing}`;
}

/** Parses `#a=1&b=2` (leading `#` optional) into ordered pairs; a bare `key` gets the value ''. */
export function parseHash(hash: string): [string, string][] {
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!body) return [];
  return body
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const i = part.indexOf('=');
      return i < 0 ? [part, ''] : [part.slice(0, i), part.slice(i + 1)];
    });
}

/** Serialises pairs back into a hash with a leading `#` (or '' when there are none). */
export function formatHash(pairs: [string, string][]): string {
  const body = pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
  return body ? `#${body}` : '';
}

/** Compresses code into a URL-safe string. */
export function encodeCode(code: string): string {
  return compressToEncodedURIComponent(code);
}

export type DecodedCode = { kind: 'code'; code: string } | { kind: 'malformed' } | { kind: 'too-long'; length: number } | { kind: 'too-large' };

/** Decompresses a value made by encodeCode, within {@link shareLimits}. */
export function decodeShared(value: string): DecodedCode {
  if (value.length > shareLimits.maxEncoded) return { kind: 'too-long', length: value.length };
  if (!value || !/^[A-Za-z0-9+\-$]*$/.test(value)) return { kind: 'malformed' };
  const out = decodeBounded(value, shareLimits.maxDecoded);
  if (!out.ok) return { kind: out.reason === 'too-large' ? 'too-large' : 'malformed' };
  // An empty listing is never shared; garbage can decode to text with lone surrogates or control characters.
  const text = out.text;
  if (!text || /[\u0000-\u0008\u000e-\u001f]/.test(text) || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text))
    return { kind: 'malformed' };
  return { kind: 'code', code: text };
}

/** Decompresses a value made by encodeCode; null when it is not one (or is past {@link shareLimits}). */
export function decodeCode(value: string): string | null {
  const d = decodeShared(value);
  return d.kind === 'code' ? d.code : null;
}

/** The hash with this listing's code set, other keys kept in place (appended when new). */
export function withCode(hash: string, listing: string, code: string): string {
  const key = hashKey(listing);
  const pairs = parseHash(hash);
  const value = encodeCode(code);
  const i = pairs.findIndex(([k]) => k === key);
  if (i >= 0) pairs[i] = [key, value];
  else pairs.push([key, value]);
  return formatHash(pairs);
}

/** The hash without this listing's key. */
export function withoutCode(hash: string, listing: string): string {
  const key = hashKey(listing);
  return formatHash(parseHash(hash).filter(([k]) => k !== key));
}

export type SharedCode = { kind: 'none' } | DecodedCode;

/** What the hash says about this listing: nothing, code, a value that does not decode, or one past the limits. */
export function readSharedCode(hash: string, listing: string): SharedCode {
  const key = hashKey(listing);
  const pair = parseHash(hash).find(([k]) => k === key);
  return pair ? decodeShared(pair[1]) : { kind: 'none' };
}

/** Why shared code was not used, in the reader's words (for the editor's notice). */
export function sharedCodeProblem(shared: SharedCode, filename: string): string | null {
  switch (shared.kind) {
    case 'malformed':
      return `The link's code for ${filename} could not be read (it is damaged)`;
    case 'too-long':
      return `The link's code for ${filename} is too long (${shared.length.toLocaleString('en-US')} characters; a link carries at most ${shareLimits.maxEncoded.toLocaleString('en-US')})`;
    case 'too-large':
      return `The link's code for ${filename} decodes to more than ${shareLimits.maxDecoded.toLocaleString('en-US')} characters, more than any listing`;
    default:
      return null;
  }
}
