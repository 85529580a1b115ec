import fc from 'fast-check';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { decodeBounded } from '../../../src/lib/live/lzDecode.ts';
import { describe, expect, it } from 'vitest';
import { decodeCode, encodeCode, formatHash, hashKey, parseHash, readSharedCode, shareLimits, sharedCodeProblem, withCode, withoutCode } from '../../../src/lib/live/codec.ts';

/** Text a reader can type: anything but C0 control characters other than tab and line breaks. */
const typeable = fc.string({ unit: 'grapheme', maxLength: 400 }).filter((s) => s.length > 0 && !/[\u0000-\u0008\u000e-\u001f]/.test(s));

describe('share-link codec', () => {
  it('round-trips code, unicode included', () => {
    for (const code of ["console.log('Hv', Hv.toString());", 'const ∇f = 1; // äöü → ∇²f 🚀\n\ttabs\r\nCRLF', 'x'.repeat(20_000)]) {
      const enc = encodeCode(code);
      expect(enc).toMatch(/^[A-Za-z0-9+\-$]+$/);
      expect(decodeCode(enc)).toBe(code);
    }
  });

  it('round-trips any typeable text (property)', () => {
    fc.assert(fc.property(typeable, (code) => decodeCode(encodeCode(code)) === code));
  });

  it('compresses real listings to a URL of reasonable length', () => {
    const listing = "import { tensor } from '../../../lib/autodiff/index.ts';\n".repeat(20);
    expect(encodeCode(listing).length).toBeLessThan(listing.length / 2);
  });

  it('rejects values that are not lz-string output', () => {
    for (const bad of ['', '!!!', '%E2%82', 'abc def', '<script>', 'AAAA', 'Zm9vYmFy']) expect(decodeCode(bad), bad).toBeNull();
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const out = decodeCode(s);
      return out === null || typeof out === 'string';
    }));
  });

  it('parses and formats & -separated key=value hashes', () => {
    expect(parseHash('')).toEqual([]);
    expect(parseHash('#')).toEqual([]);
    expect(parseHash('#a=1&b=2&flag')).toEqual([['a', '1'], ['b', '2'], ['flag', '']]);
    expect(parseHash('a=x=y')).toEqual([['a', 'x=y']]);
    expect(formatHash([['a', '1'], ['flag', '']])).toBe('#a=1&flag');
    expect(formatHash([])).toBe('');
  });

  it('sets and removes one listing key, keeping figure keys in place', () => {
    const code = "console.log('hi')";
    const h = withCode('#fig-quadratic=1,2&code-other=zzz', 'hvp-demo', code);
    expect(h).toBe(`#fig-quadratic=1,2&code-other=zzz&${hashKey('hvp-demo')}=${encodeCode(code)}`);
    const replaced = withCode(h, 'hvp-demo', 'y');
    expect(parseHash(replaced).map(([k]) => k)).toEqual(['fig-quadratic', 'code-other', 'code-hvp-demo']);
    expect(readSharedCode(replaced, 'hvp-demo')).toEqual({ kind: 'code', code: 'y' });
    expect(withoutCode(replaced, 'hvp-demo')).toBe('#fig-quadratic=1,2&code-other=zzz');
    expect(withoutCode(withCode('', 'a', 'x'), 'a')).toBe('');
  });

  it('tells none, code and malformed apart', () => {
    expect(readSharedCode('#fig=1', 'hvp-demo')).toEqual({ kind: 'none' });
    expect(readSharedCode('#code-hvp-demo=!!', 'hvp-demo')).toEqual({ kind: 'malformed' });
    expect(readSharedCode('#code-hvp-demo=', 'hvp-demo')).toEqual({ kind: 'malformed' });
    // Another listing's key is not ours.
    expect(readSharedCode(withCode('', 'hvp-demo-2', 'x'), 'hvp-demo')).toEqual({ kind: 'none' });
  });

  it('bounds share links: an over-long value is not decoded, a compression bomb stops at the decoded limit', () => {
    expect(readSharedCode(`#code-hvp-demo=${'A'.repeat(shareLimits.maxEncoded + 1)}`, 'hvp-demo')).toEqual({ kind: 'too-long', length: shareLimits.maxEncoded + 1 });
    const bomb = compressToEncodedURIComponent('a'.repeat(300_000));
    expect(bomb.length).toBeLessThan(shareLimits.maxEncoded);
    expect(readSharedCode(`#code-hvp-demo=${bomb}`, 'hvp-demo')).toEqual({ kind: 'too-large' });
    expect(decodeBounded(bomb, 1000)).toEqual({ ok: false, reason: 'too-large' });
    const atLimit = 'x'.repeat(shareLimits.maxDecoded);
    expect(readSharedCode(withCode('', 'hvp-demo', atLimit), 'hvp-demo')).toEqual({ kind: 'code', code: atLimit });
    expect(readSharedCode(withCode('', 'hvp-demo', atLimit + 'y'), 'hvp-demo')).toEqual({ kind: 'too-large' });
    expect(sharedCodeProblem({ kind: 'too-large' }, 'a.ts')).toMatch(/decodes to more than 100,000 characters/);
    expect(sharedCodeProblem({ kind: 'too-long', length: 80_000 }, 'a.ts')).toMatch(/too long \(80,000 characters; a link carries at most 50,000\)/);
  });

  it('decodes exactly what lz-string encodes (the bounded decoder is a faithful port)', () => {
    const samples = ['a', 'hello world', 'äöü → ∇²f 🚀 '.repeat(40), 'x'.repeat(10_000), Array.from({ length: 5000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 9000))).join('')];
    for (const text of samples) {
      const encoded = compressToEncodedURIComponent(text);
      expect(decodeBounded(encoded, 1e9)).toEqual({ ok: true, text });
      expect(decompressFromEncodedURIComponent(encoded)).toBe(text);
    }
    for (const garbage of ['!!', 'AAAA', 'zzzz', 'A'.repeat(100)]) expect(decodeBounded(garbage, 1e6).ok).toBe(false);
  });
});
