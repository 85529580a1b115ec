import { describe, expect, it } from 'vitest';
import { handleHint, nearestCentre } from '../../../src/lib/figures/handles.ts';

const h = (label: string) => ({ keys: ['a', 'b'] as const, label, chart: 0, step: 0.1, coarse: 0.5 });

describe('handles', () => {
  it('picks the handle whose centre is nearest the press, the first on a tie', () => {
    const centres = [{ x: 100, y: 100 }, { x: 106, y: 100 }];
    expect(nearestCentre(centres, 100, 100)).toBe(0);
    expect(nearestCentre(centres, 104, 100)).toBe(1);
    expect(nearestCentre(centres, 103, 100)).toBe(0);
    expect(nearestCentre([{ x: 5, y: 5 }, { x: 5, y: 5 }], 5, 5)).toBe(0);
  });
  it('tells the reader how to move the handles, in one sentence written by the island', () => {
    expect(handleHint([h('Start point x₀')])).toBe('Drag the start point x₀, or focus it and use the arrow keys (Shift for larger steps).');
    expect(handleHint([h('Point x'), h('Tip of v')])).toBe('Drag the point x or the tip of v, or focus them and use the arrow keys (Shift for larger steps).');
    expect(handleHint([])).toBe('');
  });
});
