/**
 * lz-string's `decompressFromEncodedURIComponent`, with a bound on the output: it stops as soon as the text
 * would pass `maxChars`, so a link of a few kilobytes that decodes to hundreds of megabytes (each dictionary entry
 * one character longer than the last) costs no more than maxChars of work and memory. Same format and results
 * as lz-string 1.5 (the tests compare both on many strings).
 */

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const values = new Map([...alphabet].map((c, i) => [c, i]));

export type Decoded = { ok: true; text: string } | { ok: false; reason: 'malformed' | 'too-large' };

/** A reader of the 6-bit symbols, least significant bit first within each symbol's stream order. */
function bitReader(input: string) {
  let val = values.get(input[0]) ?? 0;
  let position = 32;
  let index = 1;
  return {
    get exhausted() {
      return index > input.length;
    },
    read(n: number): number {
      let bits = 0;
      for (let power = 1; power !== 1 << n; power <<= 1) {
        const bit = val & position;
        position >>= 1;
        if (position === 0) {
          position = 32;
          val = values.get(input[index++]) ?? 0;
        }
        if (bit) bits |= power;
      }
      return bits;
    },
  };
}

/** decodeBounded(input, maxChars) = the text lz-string encoded in input, unless it is malformed or longer than maxChars. */
export function decodeBounded(input: string, maxChars: number): Decoded {
  if (!input) return { ok: false, reason: 'malformed' };
  const bits = bitReader(input.replace(/ /g, '+'));
  const dictionary: string[] = ['', '', ''];
  let enlargeIn = 4;
  let numBits = 3;
  const first = bits.read(2);
  if (first === 2) return { ok: true, text: '' };
  if (first > 2) return { ok: false, reason: 'malformed' };
  let w = String.fromCharCode(bits.read(first === 0 ? 8 : 16));
  dictionary[3] = w;
  const result = [w];
  let length = w.length;
  for (;;) {
    if (bits.exhausted) return { ok: false, reason: 'malformed' };
    let c = bits.read(numBits);
    if (c === 2) return { ok: true, text: result.join('') };
    if (c === 0 || c === 1) {
      dictionary.push(String.fromCharCode(bits.read(c === 0 ? 8 : 16)));
      c = dictionary.length - 1;
      if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
    }
    let entry: string;
    if (c < dictionary.length && dictionary[c]) entry = dictionary[c];
    else if (c === dictionary.length) entry = w + w.charAt(0);
    else return { ok: false, reason: 'malformed' };
    length += entry.length;
    if (length > maxChars) return { ok: false, reason: 'too-large' };
    result.push(entry);
    dictionary.push(w + entry.charAt(0));
    w = entry;
    if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
  }
}
