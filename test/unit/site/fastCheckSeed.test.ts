import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FC_SEED, fastCheckSeed } from '../../support/fastCheckSeed.ts';

describe('property tests run from a fixed seed', () => {
  it('the unit project configures fast-check with the seed FC_SEED names (the default when unset)', () => {
    expect(fc.readConfigureGlobal().seed).toBe(fastCheckSeed(process.env.FC_SEED) ?? undefined);
  });

  it('reads FC_SEED: unset or empty → the default, an integer → itself, random → none, anything else → a clear error', () => {
    expect(fastCheckSeed(undefined)).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed('')).toBe(DEFAULT_FC_SEED);
    expect(fastCheckSeed('42')).toBe(42);
    expect(fastCheckSeed('random')).toBeNull();
    expect(() => fastCheckSeed('1.5')).toThrow("FC_SEED must be an integer or 'random', got '1.5'");
    expect(() => fastCheckSeed('abc')).toThrow(/FC_SEED must be/);
  });

  it('two runs of a property draw the same cases from a fixed seed, different ones under FC_SEED=random', () => {
    const draw = () => {
      const seen: number[] = [];
      fc.assert(fc.property(fc.integer(), (v) => void seen.push(v)), { numRuns: 20 });
      return seen;
    };
    if (fastCheckSeed(process.env.FC_SEED) === null) expect(draw()).not.toEqual(draw());
    else expect(draw()).toEqual(draw());
  });
});
