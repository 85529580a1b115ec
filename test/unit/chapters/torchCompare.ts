import { expect } from 'vitest';

/** How a listing's numbers are compared with its PyTorch twin's. */
export interface NumberSpec {
  /** Relative tolerance: |x − y| ≤ rtol · max(|x|, |y|). */
  rtol: number;
  /** Below this size both numbers are round-off: they need only agree within a factor of 10. */
  roundoff?: number;
  /** Indices of numbers not compared (e.g. counts that differ by design). */
  skip?: number[];
}

/** Expects ours[i] ≈ theirs[i] for every number, by `spec`. */
export function expectSameNumbers(ours: number[], theirs: number[], spec: NumberSpec): void {
  ours.forEach((x, i) => {
    if (spec.skip?.includes(i)) return;
    const y = theirs[i];
    if (spec.roundoff !== undefined && Math.abs(y) < spec.roundoff && Math.abs(x) < spec.roundoff) {
      expect(Math.abs(Math.log10(Math.abs(x) / Math.abs(y))), `number ${i}: ${x} vs ${y}`).toBeLessThan(1);
    } else {
      expect(Math.abs(x - y), `number ${i}: ${x} vs ${y}`).toBeLessThanOrEqual(spec.rtol * Math.max(Math.abs(x), Math.abs(y), 1e-300));
    }
  });
}
