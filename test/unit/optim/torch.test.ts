import { describe, expect, it } from 'vitest';
import { concat, tensor, type Tensor } from '../../../src/lib/autodiff/index.ts';
import { LBFGS, SGD, minimize, problems } from '../../../src/lib/optim/index.ts';
import { expectClose, fixtures, lbfgsOptionsFromTorch, sgdOptionsFromTorch } from './helpers.ts';

const fx = fixtures();
const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));

describe('torch-shaped classes over autodiff tensors (the seed script, line by line)', () => {
  it('SGD([x], { lr: 0.1 }) for 40 steps matches torch', () => {
    const c = fx.sgd.find((k) => k.name === 'seed lr=0.1')!;
    const x = tensor([2.5, -2.0], { requiresGrad: true });
    const opt = new SGD([x], { lr: 0.1 });
    for (let i = 0; i < 40; i++) {
      opt.zeroGrad();
      const loss = f(x);
      loss.backward();
      expectClose(loss.item(), c.evaluations[i].f, 1e-10, `loss ${i}`);
      opt.step();
    }
    expectClose(x.data, c.final, 1e-10, 'x');
  });

  for (const name of ['seed momentum', 'seed nesterov', 'seed weight decay+momentum', 'seed momentum+dampening']) {
    it(`SGD ${name} matches torch`, () => {
      const c = fx.sgd.find((k) => k.name === name)!;
      const x = tensor(c.x0, { requiresGrad: true });
      const opt = new SGD([x], sgdOptionsFromTorch(c.options));
      for (let i = 0; i < c.steps; i++) {
        opt.step(() => {
          opt.zeroGrad();
          const loss = f(x);
          loss.backward();
          return loss;
        });
      }
      expectClose(x.data, c.final, 1e-10, 'x');
    });
  }

  it('LBFGS([y], { lr: 1, maxIter: 40, historySize: 10, lineSearchFn: "strong_wolfe" }): 6 closure calls, same points', () => {
    const c = fx.lbfgs.find((k) => k.name === 'seed strong_wolfe')!;
    const y = tensor([2.5, -2.0], { requiresGrad: true });
    const opt = new LBFGS([y], { lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' });
    const seen: number[][] = [];
    const closure = () => {
      opt.zeroGrad();
      const loss = f(y);
      loss.backward();
      seen.push(Array.from(y.data));
      return loss;
    };
    const first = opt.step(closure);
    expect(seen.length).toBe(6);
    seen.forEach((p, i) => expectClose(p, c.evaluations[i].x, 1e-10, `call ${i}`));
    expectClose(first.item(), c.returned[0], 1e-12, 'returned loss');
    expectClose(y.data, c.final, 1e-10, 'y');
    expect(y.data[0]).toBeCloseTo(1.0000016, 7);
    expect(y.data[1]).toBeCloseTo(-1.0000014, 7);
  });

  it('LBFGS with defaults and several step() calls on Rosenbrock carries state like torch', () => {
    const c = fx.lbfgs.find((k) => k.name === 'rosenbrock-2 defaults, 5 step() calls')!;
    const x = tensor(c.x0, { requiresGrad: true });
    const rosen = (v: Tensor) => {
      const a = v.slice(1).sub(v.slice(0, -1).pow(2));
      return a.pow(2).mul(100).add(tensor(1).sub(v.slice(0, -1)).pow(2)).sum();
    };
    const opt = new LBFGS([x], lbfgsOptionsFromTorch(c.options));
    let calls = 0;
    for (let k = 0; k < c.calls; k++) {
      const loss = opt.step(() => {
        opt.zeroGrad();
        const l = rosen(x);
        l.backward();
        calls++;
        return l;
      });
      expectClose(loss.item(), c.returned[k], 1e-8, `step ${k} loss`);
    }
    expect(calls).toBe(c.evaluations.length);
    expect(opt.state.nIter).toBe(c.n_iter);
    expectClose(x.data, c.final, 1e-8, 'x');
  });

  it('several parameter tensors are flattened in order; a null grad counts as zero', () => {
    const u = tensor([2.5], { requiresGrad: true });
    const v = tensor([-2.0], { requiresGrad: true });
    const opt = new LBFGS([u, v], { lineSearchFn: 'strong_wolfe', maxIter: 40 });
    opt.step(() => {
      opt.zeroGrad();
      const loss = f(concat([u, v]));
      loss.backward();
      return loss;
    });
    expect(u.data[0]).toBeCloseTo(1, 5);
    expect(v.data[0]).toBeCloseTo(-1, 5);
    const w = { data: new Float64Array([1]), grad: null };
    const sgd = new SGD([w], { lr: 1, momentum: 0.9 });
    sgd.step();
    expect(w.data[0]).toBe(1);
  });

  it('validates options at construction', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => new SGD([x], { lr: -0.1 })).toThrow('Invalid learning rate: -0.1');
    expect(() => new SGD([x], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new LBFGS([x], { historySize: 0 })).toThrow(/historySize/);
    expect(() => new LBFGS([x], { lineSearchFn: 'armijo' as never })).toThrow(/strong_wolfe/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
  });

  it('minimize accepts the autodiff compiled objective', async () => {
    const { objective } = await import('../../../src/lib/autodiff/index.ts');
    const obj = objective(f, 2);
    const t = minimize(obj, [2.5, -2], { method: 'newton-cg', cgTol: 1e-12 });
    expect(t.reason).toBe('converged');
    expectClose(t.x, [1, -1], 1e-9, 'x');
    const p = problems.seedQuadratic();
    const t2 = minimize(obj, p.x0, { method: 'lbfgs', lineSearchFn: 'strong_wolfe', maxIter: 40, historySize: 10 });
    expect(t2.counts.f).toBe(6);
  });
});

describe('zeroGrad touches only the gradients', () => {
  it('never zeroes the gradient tensor given to backward(), a parameter, or another parameter\'s grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const G = tensor([5, 6]);
    x.add(tensor([0, 0])).backward(G);
    new SGD([x], { lr: 0.1 }).zeroGrad();
    expect(Array.from(G.data)).toEqual([5, 6]);
    const w = tensor([1, 2], { requiresGrad: true });
    w.add(tensor([0, 0])).backward(w);
    new SGD([w], { lr: 0.1 }).zeroGrad();
    expect(Array.from(w.data)).toEqual([1, 2]);
    const a = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4], { requiresGrad: true });
    a.add(c).sum().backward();
    new SGD([a], { lr: 0.1 }).zeroGrad();
    expect(Array.from(c.grad!.data)).toEqual([1, 1]);
  });
});
