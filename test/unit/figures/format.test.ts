import { describe, expect, it } from 'vitest';
import { fmtError, fmtLogTick, fmtSignedLogTick, signedLogTicks, spaceTicks } from '../../../src/lib/figures/format.ts';

describe('fmtLogTick', () => {
  it('writes powers of ten as 1e−k, never rounding small ticks to 0', () => {
    expect(fmtLogTick(1e-2)).toBe('1e−2');
    expect(fmtLogTick(1e-16)).toBe('1e−16');
    expect(fmtLogTick(1)).toBe('1');
    expect(fmtLogTick(10)).toBe('10');
    expect(fmtLogTick(1e5)).toBe('1e5');
    expect(fmtLogTick(0.5)).toBe('0.5');
    expect(fmtLogTick(3e-7)).toBe('3.0e−7');
  });
});

describe('fmtError and round-off', () => {
  it('shows an error within a few ulps of f* as ≈ 0, never negative', () => {
    expect(fmtError(-4.440892098500626e-16, -2.5)).toBe('≈ 0 (round-off)');
    expect(fmtError(8.881784197001252e-16, -3)).toBe('≈ 0 (round-off)');
    expect(fmtError(0, -2.5)).toBe('≈ 0 (round-off)');
    expect(fmtError(1.2e-10, -2.5)).toBe('1.2e−10');
    expect(fmtError(Infinity, -2.5)).toBe('∞');
  });
});

describe('signedLogTicks', () => {
  it('gives exact ±10^k ticks with the sign in the label, at most max of them', () => {
    const t = signedLogTicks(-1e12, 20, 7);
    expect(t.length).toBeLessThanOrEqual(7);
    expect(t).toContain(0);
    expect(t).toContain(-1e12);
    expect(t).toContain(10);
    for (const d of t) expect(d === 0 || Number.isInteger(Math.log10(Math.abs(d)))).toBe(true);
    expect(new Set(t.map(fmtSignedLogTick)).size).toBe(t.length);
    expect(t.map(fmtSignedLogTick)).toContain('−1e12');
    expect(signedLogTicks(2, 5e4)).toEqual([1, 10, 100, 1000, 1e4]);
  });
});

describe('spaceTicks', () => {
  it('drops ticks that would crowd 0 or the extremes', () => {
    const px = (v: number) => (Math.sign(v) * Math.log1p(Math.abs(v)) + 28) * 7;
    expect(spaceTicks([-1e12, -1e6, -1, 0], px, 16)).toEqual([-1e12, -1e6, 0]);
  });
});
