import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHash, readNamespace, writeNamespace } from '../../../src/lib/figures/hash.ts';

describe('hash codec', () => {
  it('parses & separated pairs and decodes them', () => {
    expect(parseHash('#a=1&b=x%20y&flag')).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['flag', ''],
    ]);
    expect(parseHash('')).toEqual([]);
    expect(parseHash('#')).toEqual([]);
  });

  it('survives malformed percent escapes', () => {
    expect(parseHash('#a=%E0%A4%A&b=2')).toEqual([
      ['a', '%E0%A4%A'],
      ['b', '2'],
    ]);
  });

  it('reads one namespace, the last occurrence winning', () => {
    expect(readNamespace('#race.lr=0.1&quad.a11=2&race.lr=0.2&code-1=abc', 'race')).toEqual({ lr: '0.2' });
  });

  it('replaces only its namespace and keeps other keys byte for byte, in place', () => {
    const h = '#code-1=N4Ig%2Bx&race.lr=0.1&race.m=0&quad.a11=2';
    expect(writeNamespace(h, 'race', { lr: '0.3' })).toBe('#code-1=N4Ig%2Bx&race.lr=0.3&quad.a11=2');
    expect(writeNamespace(h, 'race', {})).toBe('#code-1=N4Ig%2Bx&quad.a11=2');
    expect(writeNamespace('', 'hvp', { x: '1' })).toBe('#hvp.x=1');
    expect(writeNamespace('#hvp.x=1', 'hvp', {})).toBe('');
  });

  it('round-trips any values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), fc.string()), fc.string(), (values, other) => {
        const base = `#code-x=${encodeURIComponent(other)}`;
        const h = writeNamespace(base, 'ns', values);
        expect(readNamespace(h, 'ns')).toEqual(values);
        expect(h.startsWith(base)).toBe(true);
      }),
    );
  });
});
