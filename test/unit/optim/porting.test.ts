import { describe, expect, it } from 'vitest';
import { tensor, zeros, type Tensor } from '../../../src/lib/autodiff/index.ts';
import { LBFGS, SGD, minimize, problems, type MinimizeOptions } from '../../../src/lib/optim/index.ts';
import { expectClose, fixtures } from './helpers.ts';

const fx = fixtures();
const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
const seed = problems.seedQuadratic();

describe('strict options: unknown keys fail loudly, naming the closest valid one', () => {
  const x = tensor([2.5, -2], { requiresGrad: true });
  it('LBFGS and SGD name the key and suggest the valid spelling', () => {
    // @ts-expect-error an unknown option is a compile error too
    expect(() => new LBFGS([x], { maxIters: 3 })).toThrow("LBFGS: unknown option 'maxIters' — did you mean 'maxIter'?");
    // @ts-expect-error
    expect(() => new LBFGS([x], { max_iters: 3 })).toThrow("LBFGS: unknown option 'max_iters' — did you mean 'max_iter'?");
    // @ts-expect-error
    expect(() => new SGD([x], { lr: 0.1, weightdecay: 0.1 })).toThrow("SGD: unknown option 'weightdecay' — did you mean 'weightDecay'?");
    // @ts-expect-error
    expect(() => new SGD([x], { lr: 0.1, momentun: 0.9 })).toThrow("SGD: unknown option 'momentun' — did you mean 'momentum'?");
  });
  it('minimize, objective-level functions and tensor() are strict too, before any evaluation', () => {
    let calls = 0;
    const counted = { n: 2, value: (z: Float64Array) => (calls++, seed.value(z)), grad: (z: Float64Array, o?: Float64Array) => (calls++, seed.grad(z, o)) };
    // @ts-expect-error
    expect(() => minimize(counted, [1, 2], { method: 'lbfgs', maxIters: 3 })).toThrow("minimize: unknown option 'maxIters' — did you mean 'maxIter'?");
    // @ts-expect-error
    expect(() => minimize(counted, [1, 2], { method: 'newton', lr: 1 })).toThrow(/minimize: unknown option 'lr'/);
    expect(calls).toBe(0);
    // @ts-expect-error
    expect(() => tensor([1], { requiresgrad: true })).toThrow("tensor: unknown option 'requiresgrad' — did you mean 'requiresGrad'?");
  });
  it('giving both spellings of one option is an error', () => {
    // (the types accept either spelling; the runtime rejects both at once)
    expect(() => new LBFGS([x], { maxIter: 3, max_iter: 4 } as never)).toThrow("LBFGS: option 'maxIter' is given twice, as 'maxIter' and 'max_iter'; give one");
    expect(() => minimize(seed, [1, 2], { method: 'sgd', lr: 0.1, weightDecay: 0.1, weight_decay: 0.1 })).toThrow(/given twice/);
  });
  it('out-of-range and non-finite values are rejected with the valid range', () => {
    expect(() => minimize(seed, [1, 2], { method: 'sgd', lr: 0.1, maxIter: 1e12 })).toThrow('minimize: maxIter must be an integer in [0, 1000000], got 1000000000000');
    expect(() => new LBFGS([x], { maxIter: 1e12 })).toThrow('LBFGS: maxIter must be an integer in [1, 1000000], got 1000000000000');
    expect(() => new LBFGS([x], { tolerance_grad: NaN })).toThrow('LBFGS: toleranceGrad must be a finite number ≥ 0, got NaN');
    expect(() => new LBFGS([x], { history_size: 0 })).toThrow(/historySize must be an integer in \[1, 10000\], got 0/);
    expect(() => new SGD([x], { lr: Infinity })).toThrow('Invalid learning rate: Infinity (lr must be a finite number ≥ 0)');
    expect(() => new SGD([x], { lr: 0.1, nesterov: 'yes' as never })).toThrow('SGD: nesterov must be true or false');
    expect(() => minimize(seed, [1, 2], { method: 'newton', modification: 'eig' as never })).toThrow(/must be one of 'shift', 'gradient', got 'eig'/);
  });
});

describe("PyTorch's spellings run the same optimizer", () => {
  it('new LBFGS([x], {max_iter: 5, max_eval: 50, line_search_fn: "strong_wolfe"}) does 5 iterations with the line search', () => {
    const run = (opts: ConstructorParameters<typeof LBFGS>[1]) => {
      const x = tensor([-1.2, 1], { requiresGrad: true });
      const opt = new LBFGS([x], opts);
      let calls = 0;
      opt.step(() => { calls++; opt.zero_grad(); const l = problemsRosen(x); l.backward(); return l; });
      return { x: Array.from(x.data), calls, nIter: opt.state.nIter };
    };
    const torchSpelled = run({ max_iter: 5, max_eval: 50, line_search_fn: 'strong_wolfe' });
    const camel = run({ maxIter: 5, maxEval: 50, lineSearchFn: 'strong_wolfe' });
    expect(torchSpelled).toEqual(camel);
    expect(torchSpelled.nIter).toBe(5);
    expect(torchSpelled.calls).toBeGreaterThan(6); // line-search trials beyond one evaluation per iteration
    const noSearch = run({ maxIter: 5, maxEval: 50 });
    expect(noSearch.x).not.toEqual(camel.x);
  });
  it('SGD weight_decay, dampening, nesterov, maximize: the fixture runs in PyTorch spelling', () => {
    for (const c of fx.sgd.filter((k) => k.problem.kind === 'quadratic' && k.sign === 1)) {
      const x = tensor(c.x0, { requires_grad: true });
      const opt = new SGD([x], c.options);
      for (let i = 0; i < c.steps; i++) { opt.zero_grad(); f(x).backward(); opt.step(); }
      expectClose(x.data, c.final, 1e-10, c.name);
    }
  });
});

function problemsRosen(x: Tensor): Tensor {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

describe('parameter groups', () => {
  it('new SGD([{params: [w], lr: 0.1}], {lr: 0.01}) runs, the group lr winning over the default', () => {
    const w = tensor([2.5, -2], { requiresGrad: true });
    const opt = new SGD([{ params: [w], lr: 0.1 }], { lr: 0.01 });
    const ref = tensor([2.5, -2], { requiresGrad: true });
    const refOpt = new SGD([ref], { lr: 0.1 });
    for (let i = 0; i < 5; i++) {
      for (const [o, p] of [[opt, w], [refOpt, ref]] as const) { o.zeroGrad(); f(p).backward(); o.step(); }
    }
    expect(Array.from(w.data)).toEqual(Array.from(ref.data));
    expect(opt.param_groups[0].lr).toBe(0.1);
  });
  it('each group steps with its own options (defaults filled in), like separate optimizers', () => {
    const loss = (u: Tensor, v: Tensor): Tensor => u.mul(v).sum().add(u.pow(2).sum()).add(v.pow(4).sum());
    const [u, v, u2, v2] = [[1, -2], [0.5, 1.5], [1, -2], [0.5, 1.5]].map((d) => tensor(d, { requiresGrad: true }));
    const grouped = new SGD([{ params: [u] }, { params: [v], lr: 0.01, weight_decay: 0.1 }], { lr: 0.05, momentum: 0.9 });
    const ou = new SGD([u2], { lr: 0.05, momentum: 0.9 });
    const ov = new SGD([v2], { lr: 0.01, momentum: 0.9, weightDecay: 0.1 });
    for (let i = 0; i < 6; i++) {
      grouped.zeroGrad(); loss(u, v).backward(); grouped.step();
      ou.zeroGrad(); ov.zeroGrad(); loss(u2, v2).backward(); ou.step(); ov.step();
    }
    expect(Array.from(u.data)).toEqual(Array.from(u2.data));
    expect(Array.from(v.data)).toEqual(Array.from(v2.data));
    expect(grouped.paramGroups[1].weightDecay).toBe(0.1);
    expect((grouped.paramGroups[1] as unknown as { weight_decay: number }).weight_decay).toBe(0.1);
  });
  it('changing a group lr between steps takes effect, and a bad value is caught at the next step', () => {
    const x = tensor([1], { requiresGrad: true });
    const opt = new SGD([x], { lr: 0.1 });
    opt.zeroGrad(); x.pow(2).sum().backward(); opt.step(); // x = 1 − 0.1·2 = 0.8
    opt.param_groups[0].lr = 0.5;
    opt.zeroGrad(); x.pow(2).sum().backward(); opt.step(); // 0.8 − 0.5·1.6 = 0
    expect(x.data[0]).toBeCloseTo(0, 15);
    opt.param_groups[0].lr = -1;
    expect(() => opt.step()).toThrow(/Invalid learning rate: -1/);
  });
  it("PyTorch's errors: missing lr, a parameter in two groups, unknown group option, LBFGS with groups", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3], { requiresGrad: true });
    expect(() => new SGD([{ params: [x] }])).toThrow("SGD: parameter group didn't specify a value of required optimization parameter lr");
    expect(() => new SGD([{ params: [x] }, { params: [x] }], { lr: 0.1 })).toThrow('some parameters appear in more than one parameter group');
    expect(() => new SGD([{ params: [x], lrr: 0.1 } as never], { lr: 0.1 })).toThrow("SGD: parameter group 0: unknown option 'lrr' — did you mean 'lr'?");
    expect(() => new SGD([{ params: ['w'] } as never], { lr: 0.1 })).toThrow(/parameter group 0: parameter 0 needs a Float64Array \.data/);
    expect(() => new LBFGS([{ params: [x] }, { params: [y] }])).toThrow("LBFGS doesn't support per-parameter options (parameter groups)");
    const one = new LBFGS([{ params: [x, y], max_iter: 5 }]);
    expect(one.state.opts.maxIter).toBe(5);
  });
});

describe('state_dict / load_state_dict', () => {
  it('SGD with momentum: saving, loading into a fresh optimizer and continuing equals never stopping', () => {
    const a = tensor([2.5, -2], { requiresGrad: true });
    const opt = new SGD([a], { lr: 0.05, momentum: 0.9 });
    const stepOnce = (o: SGD, p: Tensor) => { o.zeroGrad(); f(p).backward(); o.step(); };
    for (let i = 0; i < 4; i++) stepOnce(opt, a);
    const saved = JSON.parse(JSON.stringify(opt.state_dict()));
    const b2 = tensor(Array.from(a.data), { requiresGrad: true });
    const fresh = new SGD([b2], { lr: 0.3 });
    fresh.load_state_dict(saved);
    expect(fresh.paramGroups[0].lr).toBe(0.05);
    for (let i = 0; i < 4; i++) { stepOnce(opt, a); stepOnce(fresh, b2); }
    expect(Array.from(b2.data)).toEqual(Array.from(a.data));
    // Without the momentum buffer the paths differ: the state really was carried.
    const c2 = tensor(Array.from(b2.data), { requiresGrad: true });
    expect(() => new SGD([c2, tensor([1])], { lr: 0.1 }).loadStateDict(saved)).toThrow("doesn't match the size of optimizer's group");
    expect(() => new SGD([{ params: [c2] }, { params: [tensor([1])] }], { lr: 0.1 }).loadStateDict(saved)).toThrow('different number of parameter groups');
  });
  it('LBFGS: history, direction and counters survive a round trip (same closure calls as one optimizer)', () => {
    const trace = (split: boolean): number[][] => {
      const x = tensor([-1.2, 1], { requiresGrad: true });
      let opt = new LBFGS([x], { max_iter: 5, line_search_fn: 'strong_wolfe' });
      const seen: number[][] = [];
      const closure = () => { opt.zeroGrad(); const l = problemsRosen(x); l.backward(); seen.push(Array.from(x.data)); return l; };
      for (let k = 0; k < 4; k++) {
        opt.step(closure);
        if (split) {
          const sd = JSON.parse(JSON.stringify(opt.state_dict()));
          opt = new LBFGS([x], { max_iter: 99 });
          opt.load_state_dict(sd);
        }
      }
      return seen;
    };
    const whole = trace(false);
    expect(trace(true)).toEqual(whole);
    expect(whole.length).toBeGreaterThan(20);
  });
});

describe('budgets and shapes', () => {
  it('zeros([-1]) and zeros([2.5]) name the bad shape', () => {
    expect(() => zeros([-1])).toThrow('zeros: invalid shape [-1] (dimensions must be non-negative integers)');
    expect(() => zeros([2.5])).toThrow('zeros: invalid shape [2.5] (dimensions must be non-negative integers)');
  });
  it('every budget option is capped at 10⁶', () => {
    const cases: MinimizeOptions[] = [
      { method: 'lbfgs', maxEval: 2e6 }, { method: 'lbfgs', steps: 2e6 }, { method: 'newton', maxIter: 2e6 },
      { method: 'newton-cg', maxCg: 2e6 }, { method: 'newton-cg', maxIter: 1e12 }, { method: 'lbfgs', maxLs: 1e12 },
    ];
    for (const o of cases) expect(() => minimize(seed, [1, 2], o)).toThrow(/must be an integer in \[\d, \d+\], got/);
  });
});
