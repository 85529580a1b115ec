/** The runnable example of docs/meta.md computes what the doc says it computes. */
import { describe, expect, it } from 'vitest';
import { solve2 } from '../../../src/lib/linalg';
import { hypergradient, runExample } from '../../../docs/examples/meta-example';
import { close } from './problems';

describe('docs/examples/meta-example.ts', () => {
  const out = runExample();
  it('the hypergradient vanishes at the exact one-step optimum and matches differences at T = 5', () => {
    expect(Math.abs(out.oneStep.dEta)).toBeLessThan(1e-12);
    const eps = 1e-6;
    close([out.five.dEta], [(hypergradient(0.1 + eps, 5).value - hypergradient(0.1 - eps, 5).value) / (2 * eps)], 1e-7);
  });
  it('hypergradient descent on η lowers the loss after T steps at every iteration', () => {
    const values = out.etas.map((e) => hypergradient(e, 5).value);
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThan(values[k - 1]);
  });
  it('ridge: dx*/dλ = −(XᵀX + λI)⁻¹ x*, and CG needs at most n = 2 iterations', () => {
    const { X, xStar, dxdLambda, cgIterations, reason } = out.ridge;
    const G = X.T.matmul(X).data;
    const closed = solve2([G[0] + 0.3, G[1], G[2], G[3] + 0.3], xStar.data).map((v) => -v);
    close(dxdLambda.data, closed, 1e-12);
    expect(reason).toBe('converged');
    expect(cgIterations).toBeLessThanOrEqual(2);
  });
  it('jacrev and jacfwd agree', () => close(out.J.data, out.Jf.data, 1e-15));
});
