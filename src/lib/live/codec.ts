/**
 * Share links: a listing's edited code travels in the URL hash as `code-<listing>=<lz-string>`, next to other
 * islands' keys (figures use their own). The hash is a `&`-separated list of `key=value` pairs.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';

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

/** Decompresses a value made by encodeCode; null when it is not one. */
export function decodeCode(value: string): string | null {
  if (!value || !/^[A-Za-z0-9+\-$]*$/.test(value)) return null;
  let out: string | null;
  try {
    out = decompressFromEncodedURIComponent(value);
  } catch {
    return null;
  }
  // lz-string returns '' or null for garbage; an empty listing is never shared.
  if (!out) return null;
  // Garbage can also decode to text with lone surrogates or control characters no listing contains.
  if (/[\u0000-\u0008\u000e-\u001f]/.test(out) || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(out)) return null;
  return out;
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

export type SharedCode = { kind: 'none' } | { kind: 'code'; code: string } | { kind: 'malformed' };

/** What the hash says about this listing: nothing, code, or a value that does not decode. */
export function readSharedCode(hash: string, listing: string): SharedCode {
  const key = hashKey(listing);
  const pair = parseHash(hash).find(([k]) => k === key);
  if (!pair) return { kind: 'none' };
  const code = decodeCode(pair[1]);
  return code === null ? { kind: 'malformed' } : { kind: 'code', code };
}
