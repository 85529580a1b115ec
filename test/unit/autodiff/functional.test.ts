/** torch.autograd.functional's names, argument order and result shapes, against PyTorch 1.13 (test/fixtures/ops.json). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { autograd, objective, tensor, type Objective as AutodiffObjective, type Tensor } from '../../../src/lib/autodiff';
import { minimize, type Objective as OptimObjective } from '../../../src/lib/optim';

interface Fx { x: number[][]; v: number[][]; W: number[][]; hvp: [number, number[], number[]]; vhp: [number, number[], number[]]; hessian: [number[], number[]]; jacobian: [number[], number[]]; jvp: [number[], number[], number[]]; vjp: [number[], number[], number[]] }
const fx = (JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/ops.json', import.meta.url)), 'utf8')) as { functional: Fx }).functional;
const W = tensor(fx.W);
const fs = (x: Tensor): Tensor => x.pow(3).sum().mul(x.at(0, 0)).add(x.sin().pow(2).sum());
const gv = (x: Tensor): Tensor => x.sin().matmul(W);
const near = (a: ArrayLike<number>, b: number[]): void => {
  expect(a.length).toBe(b.length);
  b.forEach((e, i) => expect(Math.abs(a[i] - e), `[${i}] ${a[i]} vs ${e}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e))));
};

describe('autograd.functional, shaped as PyTorch', () => {
  const F = autograd.functional;
  it('hvp and vhp return (f(x), Hv) with v’s shape', () => {
    for (const [name, fn] of [['hvp', F.hvp], ['vhp', F.vhp]] as const) {
      const [f, hv] = fn(fs, tensor(fx.x), tensor(fx.v));
      const [want, wantHv, shape] = fx[name];
      near([f.item()], [want]);
      expect(hv.shape).toEqual(shape);
      near(hv.data, wantHv);
    }
  });
  it('hessian has shape x.shape + x.shape; jacobian f(x).shape + x.shape', () => {
    const H = F.hessian(fs, tensor(fx.x));
    expect(H.shape).toEqual(fx.hessian[1]);
    near(H.data, fx.hessian[0]);
    const J = F.jacobian(gv, tensor(fx.x));
    expect(J.shape).toEqual(fx.jacobian[1]);
    near(J.data, fx.jacobian[0]);
  });
  it('jvp and vjp return (f(x), product)', () => {
    const [y, jv] = F.jvp(gv, tensor(fx.x), tensor(fx.v));
    near(y.data, fx.jvp[0]);
    expect(jv.shape).toEqual(fx.jvp[2]);
    near(jv.data, fx.jvp[1]);
    const [y2, vj] = F.vjp(gv, tensor(fx.x), tensor([[1, 1, 1], [1, 1, 1]]));
    near(y2.data, fx.vjp[0]);
    expect(vj.shape).toEqual(fx.vjp[2]);
    near(vj.data, fx.vjp[1]);
  });
  it("options are strict: PyTorch's create_graph is accepted, a typo is not, strict: true is refused", () => {
    expect(() => F.hessian(fs, tensor(fx.x), { create_graph: true })).not.toThrow();
    // @ts-expect-error
    expect(() => F.hvp(fs, tensor(fx.x), tensor(fx.v), { creategraph: true })).toThrow("hvp: unknown option 'creategraph' — did you mean 'createGraph'?");
    expect(() => F.jacobian(gv, tensor(fx.x), { strict: true })).toThrow(/strict: true is not supported/);
    expect(() => F.jacobian(gv, [tensor(fx.x), tensor(fx.x)] as never)).toThrow(/several input tensors are not supported/);
  });
});

describe('one Objective contract', () => {
  it('autodiff and optim export the same type, and a compiled objective goes straight into minimize', () => {
    expectTypeOf<AutodiffObjective>().toEqualTypeOf<OptimObjective>();
    const obj = objective((x) => x.sub(tensor([1, -1])).pow(2).sum(), 2);
    const t = minimize(obj, [3, 3], { method: 'newton-cg', cgTol: 1e-12 });
    near(t.x, [1, -1]);
  });
});
