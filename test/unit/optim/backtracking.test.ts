import { describe, expect, it } from 'vitest';
import { backtracking } from '../../../src/lib/optim/index.ts';

describe('backtracking (Armijo, N&W Alg. 3.1)', () => {
  // φ(t) = f0 + a·t + noise: a step whose true decrease is below the noise of f.
  const f0 = -50;
  const gtd = -1e-14;
  const noisy = (t: number) => (t === 1 ? f0 + 2 * 7.105427357601002e-15 : f0 - 1e-15 * t);

  it('without slack, backtracks on rounding noise', () => {
    const r = backtracking(noisy, f0, gtd);
    expect(r.t).toBeLessThan(1);
    expect(r.trials).toBeGreaterThan(1);
  });

  it('with slack δ, accepts f(x + t p) ≤ f(x) + c1·t·∇fᵀp + δ at t = 1', () => {
    const r = backtracking(noisy, f0, gtd, { slack: 8 * 2.220446049250313e-16 * Math.abs(f0) });
    expect(r).toEqual({ t: 1, f: noisy(1), trials: 1, nonFinite: false });
  });

  it('slack does not accept a rise larger than δ', () => {
    const r = backtracking((t) => f0 + 1e-9 * t, f0, -1, { slack: 1e-10, maxBacktracks: 60 });
    expect(r.t).toBeLessThanOrEqual(0.1 + 1e-15);
    expect(r.f).toBeLessThanOrEqual(f0 + 1e-10);
  });

  it('rejects a negative or non-finite slack by name', () => {
    expect(() => backtracking(() => 0, 1, -1, { slack: -1 })).toThrow(/backtracking: slack must be/);
    expect(() => backtracking(() => 0, 1, -1, { slack: Number.NaN })).toThrow(/backtracking: slack must be/);
  });
});
