/** PyTorch 1.13 / functorch float64 references (scripts/fixtures/meta.py). */
import { describe, expect, it } from 'vitest';
import { grad, hvp, jvp, type Tensor, tensor } from '../../../src/lib/autodiff';
import { jacfwd, jacrev } from '../../../src/lib/autodiff/jacobians';
import { adamStep, cg, type GradientTransformation, momentumStep, sgdStep, unroll } from '../../../src/lib/meta';
import { banana, close, fixture, flat, logistic, mixed3, mlp, quadratic, t, valLoss } from './problems';

describe('fixture provenance', () => {
  it('records the generator, torch and the pinned BLAS kernel', () => {
    expect(fixture.generator).toBe('scripts/fixtures/meta.py');
    expect(fixture.torch).toMatch(/^1\.13/);
    expect(fixture.dtype).toBe('float64');
    expect(fixture.openblasCoretype).toBe('Haswell');
  });
});

describe('third derivatives', () => {
  const fn = (c: Record<string, unknown>): ((x: Tensor) => Tensor) =>
    c.name === 'mixed3' ? mixed3 : mlp(t(c.X), t(c.y), c.d as number, c.h as number);
  it('covers the two functions', () => expect(fixture.third.map((c: { name: string }) => c.name)).toEqual(['mixed3', 'mlp-tanh']));
  for (const c of fixture.third) {
    describe(c.name, () => {
      const f = fn(c);
      const v = t(c.v);
      const d1 = (x: Tensor): Tensor => jvp(f, x, v)[1];
      const d2 = (x: Tensor): Tensor => jvp(d1, x, v)[1];
      it('D³f[v,v,v] by nested jvp (forward³)', () => {
        close([d1(t(c.x)).item()], [c.d1], 1e-12);
        close([d2(t(c.x)).item()], [c.d2], 1e-12);
        close([jvp(d2, t(c.x), v)[1].item()], [c.d3], 1e-11);
      });
      it('D³f[v,v,·] by reverse mode (grad of ⟨grad ⟨∇f, v⟩, v⟩) and by reverse over forward', () => {
        const hv = (x: Tensor): Tensor => grad((z) => grad(f)(z).dot(v))(x);
        close(grad((x) => hv(x).dot(v))(t(c.x)).data, c.d3Vector, 1e-11);
        close(grad(d2)(t(c.x)).data, c.d3Vector, 1e-11);
      });
    });
  }
});

describe('jacfwd / jacrev against functorch', () => {
  const A = t(fixture.jacobians.A);
  const u = t(fixture.jacobians.u);
  const fns: Record<string, (x: Tensor) => Tensor> = {
    vector: (x) => A.matmul(x.tanh()).mul(x.sum()),
    'matrix-in': (W) => W.matmul(u).tanh(),
    'matrix-out': (x) => x.reshape([3, 1]).matmul(x.sin().reshape([1, 3])),
    'scalar-out': (x) => x.exp().mul(x).sum(),
  };
  for (const c of fixture.jacobians.cases) {
    it(`${c.name}: shape ${JSON.stringify(c.shape)} and values`, () => {
      for (const jac of [jacfwd, jacrev]) {
        const J = jac(fns[c.name])(t(c.x));
        expect(J.shape).toEqual(c.shape);
        close(J.data, flat(c.jacrev), 1e-13, 1e-15);
      }
    });
  }
});

describe('hypergradients through unrolled steps (create_graph=True in torch)', () => {
  const h = fixture.hyper;
  const f: Record<string, (x: Tensor) => Tensor> = { quadratic: quadratic(t(h.A), t(h.b)), banana };
  const V = valLoss(t(h.valB), t(h.valC));
  const optimizer = (name: string, eta: Tensor): GradientTransformation<unknown> => {
    if (name === 'sgd') return sgdStep({ lr: eta }) as GradientTransformation<unknown>;
    if (name === 'momentum') return momentumStep({ lr: eta, momentum: h.settings.momentum }) as GradientTransformation<unknown>;
    return adamStep({ lr: eta, beta1: h.settings.beta1, beta2: h.settings.beta2, eps: h.settings.eps }) as GradientTransformation<unknown>;
  };
  it('covers T = 1, 5, 50 for SGD on both problems, and momentum and Adam', () => {
    const names = h.cases.map((c: { problem: string; optimizer: string; T: number }) => `${c.problem}/${c.optimizer}/${c.T}`);
    for (const p of ['quadratic', 'banana']) for (const T of [1, 5, 50]) expect(names).toContain(`${p}/sgd/${T}`);
    for (const o of ['momentum', 'adam']) for (const p of ['quadratic', 'banana']) expect(names).toContain(`${p}/${o}/5`);
  });
  for (const c of h.cases) {
    it(`${c.problem}, ${c.optimizer}, η = ${c.eta}, T = ${c.T}: x_T, V(x_T), dV/dη, dV/dx₀`, () => {
      const run = (eta: Tensor, x0: Tensor): Tensor => unroll({ optimizer: optimizer(c.optimizer, eta), loss: f[c.problem], x0, steps: c.T }).x;
      const x0 = t(c.x0);
      const eta = tensor(c.eta);
      const xT = run(eta, x0);
      close(xT.data, c.xT, 1e-12);
      close([V(xT).item()], [c.val], 1e-12);
      // Near convergence (quadratic, η = 0.1, T = 50) dV/dη ≈ 2e-7 is a sum of O(1) terms that cancel:
      // rounding leaves ~1e-16 absolute, hence the absolute floor.
      close([grad((e) => V(run(e, x0)))(eta).item()], [c.dEta], 1e-10, 1e-14);
      close(grad((x) => V(run(eta, x)))(x0).data, c.dX0, 1e-10, 1e-14);
    });
  }
});

describe('MAML meta-gradient on a tiny tanh MLP', () => {
  const m = fixture.maml;
  const tasks = m.tasks.map((k: Record<string, unknown>) => ({
    train: mlp(t(k.xTrain), t(k.yTrain), 1, m.hidden),
    val: mlp(t(k.xVal), t(k.yVal), 1, m.hidden),
  }));
  /** (1/N) Σᵢ L_val,i(θ − α∇L_train,i(θ)), one inner sgdStep per task. */
  const metaLoss = (theta: Tensor): Tensor => {
    let total: Tensor = tensor(0);
    for (const k of tasks) {
      const inner = unroll({ optimizer: sgdStep({ lr: m.alpha }), loss: k.train, x0: theta, steps: 1 });
      total = total.add(k.val(inner.x));
    }
    return total.div(tasks.length);
  };
  it('meta-loss and full meta-gradient (I − αH)∇L_val', () => {
    close([metaLoss(t(m.theta)).item()], [m.metaLoss], 1e-12);
    close(grad(metaLoss)(t(m.theta)).data, m.metaGrad, 1e-11);
  });
  it('the same meta-gradient as one explicit HVP per task', () => {
    const theta = t(m.theta);
    let sum = new Float64Array(theta.size);
    for (const k of tasks) {
      const adapted = theta.sub(grad(k.train)(theta).mul(m.alpha));
      const gv = grad(k.val)(adapted);
      const hv = hvp(k.train, theta, gv);
      sum = sum.map((s, i) => s + gv.data[i] - m.alpha * hv.data[i]);
    }
    close(sum.map((s) => s / tasks.length), m.metaGrad, 1e-11);
  });
  it('first-order MAML drops the Hessian term and differs from the full meta-gradient', () => {
    const theta = t(m.theta);
    const fo = new Float64Array(theta.size);
    for (const k of tasks) {
      const adapted = theta.sub(grad(k.train)(theta).mul(m.alpha)).detach();
      grad(k.val)(adapted).data.forEach((g, i) => { fo[i] += g / tasks.length; });
    }
    close(fo, m.firstOrderGrad, 1e-12);
    expect(() => close(fo, m.metaGrad, 1e-3)).toThrow();
  });
});

describe('conjugate gradients on a Hessian-vector-product operator', () => {
  const c = fixture.cg;
  const f = logistic(t(c.X), t(c.y), c.lam);
  const w = t(c.w);
  it('iterates and residual norms match, converging in at most n = 6 steps to the direct solve', () => {
    const { x, trace } = cg((v) => hvp(f, w, v), t(c.b), { tol: c.tol, keepIterates: true });
    expect(trace.reason).toBe('converged');
    expect(trace.iterations).toBe(c.iterates.length - 1);
    expect(trace.iterations).toBeLessThanOrEqual(6);
    trace.iterates.forEach((xk, k) => close(xk, c.iterates[k], 1e-10, 1e-14));
    close(trace.residualNorms.slice(0, -1), c.residualNorms.slice(0, -1), 1e-9);
    expect(trace.residualNorms[trace.residualNorms.length - 1]).toBeLessThanOrEqual(c.tol * Math.hypot(...c.b));
    close(x.data, c.direct, 1e-10);
  });
});
