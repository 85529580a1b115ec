import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grad, hvp, objective, tensor, valueAndGrad } from '../../../src/lib/autodiff';
import { close, type FixtureCase, fixtureFunction } from './models';

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/autodiff.json', import.meta.url), 'utf8')) as { torch: string; cases: FixtureCase[] };

describe('PyTorch 1.13 float64 fixtures (relative 1e-12)', () => {
  it('covers the required cases', () => {
    expect(fixture.cases.map((c) => c.name)).toEqual(['seed-quadratic', 'rosenbrock-5', 'rosenbrock-50', 'logistic', 'mlp-tanh', 'mixed']);
  });
  for (const c of fixture.cases) {
    describe(c.name, () => {
      const f = fixtureFunction(c);
      it('value and gradient', () => {
        const [y, g] = valueAndGrad(f)(c.x);
        close([y.item()], [c.value], 1e-12);
        close(g.data, c.grad, 1e-12);
        close(grad(f)(c.x).data, c.grad, 1e-12);
      });
      it('hvp, both modes', () => {
        close(hvp(f, c.x, c.v, { mode: 'forward-over-reverse' }).data, c.hvp, 1e-12);
        close(hvp(f, c.x, c.v, { mode: 'reverse-over-reverse' }).data, c.hvp, 1e-12);
      });
      it('compiled objective, both hvp modes, fused and unfused', () => {
        const x = Float64Array.from(c.x);
        const v = Float64Array.from(c.v);
        for (const [hvpMode, fuse] of [['forward-over-reverse', true], ['reverse-over-reverse', true], ['forward-over-reverse', false], ['reverse-over-reverse', false]] as const) {
          const o = objective(f, x.length, { hvpMode, fuse });
          close([o.value(x)], [c.value], 1e-12);
          close(o.grad(x), c.grad, 1e-12);
          const g = new Float64Array(x.length);
          close([o.valueAndGrad(x, g)], [c.value], 1e-12);
          close(g, c.grad, 1e-12);
          close(o.hvp(x, v), c.hvp, 1e-12);
          // Second call reuses the tape and must give the same numbers.
          close(o.hvp(x, v, new Float64Array(x.length)), c.hvp, 1e-12);
        }
      });
    });
  }
  it('seed numbers: Hv = [2, -2.4]', () => {
    const c = fixture.cases[0];
    expect(c.hvp).toEqual([2, -2.4]);
    expect(Array.from(hvp(fixtureFunction(c), tensor(c.x), tensor(c.v)).data)).toEqual([2, -2.4]);
  });
});
