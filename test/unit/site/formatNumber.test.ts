import { describe, expect, it } from 'vitest';
import { fmt, fmtBytes, texNum, texVec } from '../../../src/lib/site/formatNumber.ts';
import { renderTex } from '../../../src/lib/site/renderTex.ts';

describe('fmt', () => {
  it('rounds to significant digits and trims zeros', () => {
    expect(fmt(2.0000000001)).toBe('2');
    expect(fmt(-2.4)).toBe('−2.4');
    expect(fmt(5.414213562)).toBe('5.414');
    expect(fmt(1.23456e-7, 3)).toBe('1.23 × 10^-7');
    expect(fmt(8e12, 2)).toBe('8 × 10^12');
  });
  it('names non-finite values instead of printing NaN silently', () => {
    expect(fmt(Number.NaN)).toBe('NaN');
    expect(fmt(Infinity)).toBe('∞');
  });
});

describe('TeX formatting', () => {
  it('produces formulas KaTeX accepts', () => {
    expect(texNum(-3)).toBe('-3');
    expect(texNum(1.5e-9, 2)).toBe('1.5 \\times 10^{-9}');
    expect(texVec([1, -1])).toBe('(1,\\ -1)');
    expect(texNum(1e-6)).toBe('10^{-6}');
    expect(texNum(10_000)).toBe('10000');
    expect(texNum(-1e-9, 2)).toBe('-10^{-9}');
    expect(renderTex(texVec([1e-9, 2]))).toContain('<math');
  });
  it('rejects malformed TeX', () => {
    expect(() => renderTex('\\frac{1}{')).toThrow();
  });
});

describe('fmtBytes', () => {
  it('picks the unit', () => {
    expect(fmtBytes(8e12)).toBe('8 TB');
    expect(fmtBytes(512)).toBe('512 bytes');
  });
});
