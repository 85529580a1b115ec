import { checkKeys, checkNumber } from '../autodiff/options.ts';

export interface BacktrackingOptions {
  /** Sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** Contraction factor (default 0.5). */
  rho?: number;
  /** Maximum number of trial steps (default 50: t ≥ 2⁻⁴⁹ ≈ 1.8e-15). */
  maxBacktracks?: number;
  /**
   * δ ≥ 0 added to the right-hand side: f(x + t p) ≤ f(x) + c1·t·∇fᵀp + δ (default 0). A rounding
   * allowance for f: when the predicted decrease is below f's rounding error, the test alone cannot
   * tell a good step from a bad one (Hager & Zhang's approximate Armijo condition takes δ = ε|f|).
   */
  slack?: number;
}

/**
 * Backtracking Armijo search (Nocedal & Wright Alg. 3.1): t = 1, ρ, ρ², … until
 * f(x + t p) ≤ f(x) + c1·t·∇fᵀp (+ δ, the `slack`). `phi(t)` evaluates at x + t·p and returns f (and is expected to
 * keep what it needs for the accepted point). Returns the accepted step and the trial count, or
 * t = NaN when the budget ran out or phi returned a non-finite value (reported by the caller).
 */
export function backtracking(
  phi: (t: number) => number,
  f0: number,
  gtd: number,
  o: BacktrackingOptions = {},
): { t: number; f: number; trials: number; nonFinite: boolean } {
  checkKeys('backtracking', o, { c1: null, rho: null, maxBacktracks: null, slack: null });
  const c1 = o.c1 ?? 1e-4;
  const rho = o.rho ?? 0.5;
  const max = o.maxBacktracks ?? 50;
  const slack = checkNumber('backtracking', 'slack', o.slack ?? 0, { min: 0 });
  let t = 1;
  for (let k = 1; k <= max; k++) {
    const f = phi(t);
    if (!Number.isFinite(f)) return { t: NaN, f, trials: k, nonFinite: true };
    if (f <= f0 + c1 * t * gtd + slack) return { t, f, trials: k, nonFinite: false };
    t *= rho;
  }
  return { t: NaN, f: NaN, trials: max, nonFinite: false };
}
