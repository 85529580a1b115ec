import { describe, expect, it } from 'vitest';
import { fmtLogTick } from '../../../src/lib/figures/format.ts';

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
