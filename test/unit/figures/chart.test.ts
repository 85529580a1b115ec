import { describe, expect, it } from 'vitest';
import { CHART, chartSize, exitPoint, pathInView, windowAround, type Window } from '../../../src/lib/figures/chart.ts';

const w: Window = { x: [-1, 1], y: [-1, 1] };

describe('pathInView', () => {
  it('keeps a path inside the window as it is', () => {
    const p = pathInView([0, 0, 0.5, 0.5, 0.9, -0.9], 3, w);
    expect(p).toEqual({ points: [[0, 0], [0.5, 0.5], [0.9, -0.9]], iterates: 3, cut: false, exit: null });
  });
  it('ends a diverging path at the margin and finds where it leaves the window', () => {
    const p = pathInView([0, 0, 0.5, 0, 1e305, 0, -1e306, 0], 4, w, 0.25);
    expect(p.cut).toBe(true);
    expect(p.iterates).toBe(2);
    expect(p.points).toEqual([[0, 0], [0.5, 0], [1.5, 0]]);
    expect(p.exit).toEqual([1, 0]);
    for (const [x, y] of p.points) expect(Math.max(Math.abs(x), Math.abs(y))).toBeLessThanOrEqual(1.5);
  });
  it('stops at a non-finite point', () => {
    const p = pathInView([0, 0, 0.2, 0.2, NaN, 1, 3, 3], 4, w);
    expect(p.points).toEqual([[0, 0], [0.2, 0.2]]);
    expect(p.cut).toBe(true);
    expect(p.exit).toBeNull();
  });
  it('exitPoint clips a segment to the window edge, even towards 1e300', () => {
    expect(exitPoint(w, [0, 0], [1e300, 1e300])).toEqual([1, 1]);
    expect(exitPoint(w, [0, 0.5], [0, -3])).toEqual([0, -1]);
  });
});

describe('chartSize', () => {
  it('keeps the natural size unless the box is measurably different, then follows the box', () => {
    expect(chartSize(CHART, undefined)).toEqual({ width: 560, height: 440 });
    expect(chartSize(CHART, { width: 560.4, height: 440 })).toEqual({ width: 560, height: 440 });
    expect(chartSize(CHART, { width: 290, height: 228 })).toEqual({ width: 290, height: 228 });
  });
  it('windowAround keeps equal aspect at the natural size', () => {
    const v = windowAround(0, 0, 2);
    expect((v.x[1] - v.x[0]) / (v.y[1] - v.y[0])).toBeCloseTo((CHART.width - CHART.marginLeft - CHART.marginRight) / (CHART.height - CHART.marginTop - CHART.marginBottom), 12);
  });
});
