/** Differentiable optimizer steps and unrolled loops: properties, closed forms and finite differences. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, hvp, jvp, type Tensor, tensor } from '../../../src/lib/autodiff';
import { jacrev } from '../../../src/lib/autodiff/jacobians';
import { adamStep, applyUpdates, type GradientTransformation, momentumStep, sgdStep, unroll } from '../../../src/lib/meta';
import { resolveSgdOptions, sgdInit, sgdUpdate } from '../../../src/lib/optim';
import { banana, close, quadratic, randomSpd, rng, valLoss } from './problems';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([1, -1]);
const f = quadratic(A, b);
const lambdaMax = 4 + Math.sqrt(2); // eigenvalues of A: 4 ± √2
const V = valLoss(tensor([[2, 0.5], [0.5, 1]]), tensor([-0.5, 0.5]));
const dot = (a: Tensor, c: Tensor): number => a.dot(c).item();

/** x ↦ (x_T, V(x_T)) after T steps of `make(η)` on `loss`. */
const runWith = (make: (eta: Tensor) => GradientTransformation<unknown>, loss: (x: Tensor) => Tensor, T: number) =>
  (eta: Tensor, x0: Tensor): Tensor => unroll({ optimizer: make(eta), loss, x0, steps: T }).x;
const sgdOf = (eta: Tensor) => sgdStep({ lr: eta }) as GradientTransformation<unknown>;

const quadArb = fc.record({
  n: fc.integer({ min: 2, max: 5 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  etaScale: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});
function randomQuadratic(n: number, seed: number): { A: Tensor; b: Tensor; x0: Tensor; f: (x: Tensor) => Tensor; lmax: number } {
  const r = rng(seed);
  const Ad = randomSpd(r, n);
  const At = tensor(Ad, { shape: [n, n] });
  const bt = tensor(Float64Array.from({ length: n }, () => 2 * r() - 1));
  const x0 = tensor(Float64Array.from({ length: n }, () => 4 * r() - 2));
  let lmax = 0; // Gershgorin bound, enough to keep steps stable-ish
  for (let i = 0; i < n; i++) { let s = 0; for (let j = 0; j < n; j++) s += Math.abs(Ad[i * n + j]); lmax = Math.max(lmax, s); }
  return { A: At, b: bt, x0, f: quadratic(At, bt), lmax };
}

describe('one SGD step (Baydin et al. 2018)', () => {
  it('∂f(x₁)/∂η = −∇f(x₁)ᵀ∇f(x₀) on random quadratics', () => {
    fc.assert(fc.property(quadArb, ({ n, seed, etaScale }) => {
      const q = randomQuadratic(n, seed);
      const eta = etaScale / q.lmax;
      const hyper = grad((e) => q.f(runWith(sgdOf, q.f, 1)(e, q.x0)))(eta).item();
      const g0 = grad(q.f)(q.x0);
      const g1 = grad(q.f)(q.x0.sub(g0.mul(eta)));
      close([hyper], [-dot(g1, g0)], 1e-12, 1e-13);
    }), { numRuns: 25 });
  });
  it('the same identity on the non-quadratic banana function', () => {
    for (const [x0, eta] of [[[-0.5, 0.8], 0.02], [[1.3, 0.2], 0.05], [[0.1, -0.4], 0.1]] as const) {
      const hyper = grad((e) => banana(runWith(sgdOf, banana, 1)(e, tensor([...x0]))))(eta).item();
      const g0 = grad(banana)(x0);
      const g1 = grad(banana)(tensor([...x0]).sub(g0.mul(eta)));
      close([hyper], [-dot(g1, g0)], 1e-12);
    }
  });
  it('the exact one-step optimum η* = gᵀg / gᵀHg zeroes the hypergradient, which changes sign there', () => {
    fc.assert(fc.property(quadArb, ({ n, seed }) => {
      const q = randomQuadratic(n, seed);
      const g = grad(q.f)(q.x0);
      const etaStar = dot(g, g) / dot(g, q.A.matmul(g));
      const hyper = (eta: number): number => grad((e) => q.f(runWith(sgdOf, q.f, 1)(e, q.x0)))(eta).item();
      const scale = dot(g, g);
      expect(Math.abs(hyper(etaStar))).toBeLessThanOrEqual(1e-12 * scale);
      expect(hyper(0.8 * etaStar)).toBeLessThan(0);
      expect(hyper(1.2 * etaStar)).toBeGreaterThan(0);
    }), { numRuns: 25 });
  });
  it('∂x₁/∂x₀ = I − ηH(x₀) and ∂x₁/∂η = −∇f(x₀)', () => {
    const x0 = tensor([-0.5, 0.8]);
    const eta = 0.07;
    const J = jacrev((x) => runWith(sgdOf, banana, 1)(tensor(eta), x))(x0);
    const H = jacrev(grad(banana))(x0);
    close(J.data, [1 - eta * H.data[0], -eta * H.data[1], -eta * H.data[2], 1 - eta * H.data[3]], 1e-13, 1e-15);
    const dEta = jacrev((e) => runWith(sgdOf, banana, 1)(e, x0))(tensor(eta));
    close(dEta.data, grad(banana)(x0).neg().data, 1e-14);
  });
});

describe('T unrolled SGD steps on a quadratic', () => {
  const xStar = tensor([-2 / 7, 3 / 7]); // A x* = −b
  it('∂x_T/∂x₀ = (I − ηA)ᵀ and x_T − x* = (I − ηA)ᵀ (x₀ − x*)', () => {
    const eta = 0.1;
    const T = 7;
    const M = tensor([[1 - 5 * eta, -eta], [-eta, 1 - 3 * eta]]);
    let P = tensor([[1, 0], [0, 1]]);
    for (let k = 0; k < T; k++) P = P.matmul(M);
    const x0 = tensor([1, 1]);
    close(jacrev((x) => runWith(sgdOf, f, T)(tensor(eta), x))(x0).data, P.data, 1e-13, 1e-15);
    close(runWith(sgdOf, f, T)(tensor(eta), x0).sub(xStar).data, P.matmul(x0.sub(xStar)).data, 1e-13, 1e-15);
  });
  it('the hypergradient explodes with T past η = 2/λmax and decays below it', () => {
    const hyper = (eta: number, T: number): number => Math.abs(grad((e) => V(runWith(sgdOf, f, T)(e, tensor([1, 1]))))(eta).item());
    const above = 2 / lambdaMax * 1.08;
    const below = 2 / lambdaMax * 0.5;
    expect(hyper(above, 40)).toBeGreaterThan(50 * hyper(above, 10));
    expect(hyper(below, 40)).toBeLessThan(hyper(below, 10));
  });
});

/** g′(h) ≈ (−g(h + 2ε) + 8g(h + ε) − 8g(h − ε) + g(h − 2ε)) / 12ε, error O(ε⁴). */
function fivePoint(g: (h: number) => number, h: number, eps: number): number {
  return (-g(h + 2 * eps) + 8 * g(h + eps) - 8 * g(h - eps) + g(h - 2 * eps)) / (12 * eps);
}

describe('finite differences to second order through T steps (check_grads style)', () => {
  const x0 = tensor([-0.5, 0.8]);
  const makers: [string, (h: Tensor) => GradientTransformation<unknown>, number][] = [
    ['sgd (η)', (e) => sgdStep({ lr: e }) as GradientTransformation<unknown>, 0.02],
    ['momentum (η)', (e) => momentumStep({ lr: e, momentum: 0.9 }) as GradientTransformation<unknown>, 0.01],
    ['momentum (μ)', (m) => momentumStep({ lr: 0.01, momentum: m, dampening: 0.1 }) as GradientTransformation<unknown>, 0.8],
    ['adam (η)', (e) => adamStep({ lr: e }) as GradientTransformation<unknown>, 0.01],
    ['adam (β₁)', (b1) => adamStep({ lr: 0.01, beta1: b1 }) as GradientTransformation<unknown>, 0.85],
  ];
  for (const [name, make, h0] of makers) {
    it(`${name}: d/dh and d²/dh² of V(x_T(h)), T = 8`, () => {
      const phi = (h: Tensor): Tensor => V(runWith(make, banana, 8)(h, x0));
      const val = (h: number): number => phi(tensor(h)).item();
      const d1 = (h: number): number => grad(phi)(h).item();
      // Derivatives in η grow like (Tλ)ᵏ, so the two-point rule's O(ε²) error would dominate: five points, O(ε⁴).
      close([d1(h0)], [fivePoint(val, h0, 1e-5)], 1e-9, 1e-11);
      close([grad(grad(phi))(h0).item()], [fivePoint(d1, h0, 1e-5)], 1e-9, 1e-9);
      close([jvp(phi, tensor(h0), tensor(1))[1].item()], [d1(h0)], 1e-12);
    });
  }
  it('x₀ ↦ V(x_T): jvp vs central differences, adjoint identity, HVP vs differences of the gradient', () => {
    const phi = (x: Tensor): Tensor => V(runWith((e) => momentumStep({ lr: e, momentum: 0.5 }) as GradientTransformation<unknown>, banana, 6)(tensor(0.02), x));
    const t = tensor([0.3, -0.7]);
    const eps = 1e-5;
    const fd = (phi(x0.add(t.mul(eps))).item() - phi(x0.sub(t.mul(eps))).item()) / (2 * eps);
    const jt = jvp(phi, x0, t)[1].item();
    close([jt], [fd], 1e-7);
    close([dot(grad(phi)(x0), t)], [jt], 1e-12);
    const fdH = grad(phi)(x0.add(t.mul(eps))).sub(grad(phi)(x0.sub(t.mul(eps)))).div(2 * eps);
    close(hvp(phi, x0, t).data, fdH.data, 1e-6);
  });
});

describe('momentumStep reproduces torch.optim.SGD (the Float64Array implementation in src/lib/optim)', () => {
  const settings = [
    { momentum: 0.9 },
    { momentum: 0.5, dampening: 0.3 },
    { momentum: 0.8, nesterov: true },
  ];
  for (const s of settings) {
    it(JSON.stringify(s), () => {
      const lr = 0.03;
      const opt = momentumStep({ lr, ...s });
      let x = tensor([-0.5, 0.8]);
      let st = opt.init(x);
      const theta = Float64Array.from(x.data);
      const ref = sgdInit();
      const o = resolveSgdOptions({ lr, ...s });
      for (let k = 0; k < 20; k++) {
        const [u, next] = opt.update(grad(banana)(x), st);
        x = applyUpdates(x, u);
        st = next;
        sgdUpdate(ref, theta, grad(banana)(tensor(theta)).data, o);
      }
      close(x.data, theta, 1e-13);
    });
  }
});

describe('pure state and truncation', () => {
  it('update never mutates its state: the same state gives the same update twice', () => {
    for (const opt of [momentumStep({ lr: 0.1, momentum: 0.9 }), adamStep({ lr: 0.1 })] as GradientTransformation<unknown>[]) {
      const x = tensor([1, 2]);
      const [, s1] = opt.update(tensor([0.5, -1]), opt.init(x));
      const [u1] = opt.update(tensor([0.2, 0.3]), s1);
      const [u2] = opt.update(tensor([0.2, 0.3]), s1);
      expect(Array.from(u1.data)).toEqual(Array.from(u2.data));
    }
  });
  it('truncate: K = T is the full hypergradient; K = 1 keeps only the last step, −∇V(x_T)ᵀ∇f(x_{T−1})', () => {
    const x0 = tensor([1, 1]);
    const T = 6;
    const eta = 0.1;
    const hyper = (truncate?: number): number =>
      grad((e) => V(unroll({ optimizer: sgdStep({ lr: e }), loss: f, x0, steps: T, ...(truncate === undefined ? {} : { truncate }) }).x))(eta).item();
    close([hyper(T)], [hyper()], 1e-15);
    const { trajectory } = unroll({ optimizer: sgdStep({ lr: eta }), loss: f, x0, steps: T, keepTrajectory: true });
    expect(trajectory).toHaveLength(T + 1);
    close([hyper(1)], [-dot(grad(V)(trajectory[T]), grad(f)(trajectory[T - 1]))], 1e-13);
    expect(Math.abs(hyper(2) - hyper())).toBeGreaterThan(1e-3);
  });
  it('truncate = K equals restarting K steps from a constant x_{T−K} and a constant optimizer state, for every K', () => {
    const x0 = tensor([-0.5, 0.8]);
    const T = 5;
    const eta = 0.03;
    const make = (e: Tensor) => momentumStep({ lr: e, momentum: 0.7 });
    const hypers: number[] = [];
    for (let K = 1; K <= T; K++) {
      const truncated = grad((e) => V(unroll({ optimizer: make(e), loss: banana, x0, steps: T, truncate: K }).x))(eta).item();
      const head = unroll({ optimizer: make(tensor(eta)), loss: banana, x0, steps: T - K });
      const restarted = grad((e) => {
        const opt = make(e);
        let x = head.x.detach();
        let st = { ...head.state, buffer: head.state.buffer === null ? null : head.state.buffer.detach() };
        for (let k = 0; k < K; k++) {
          const [u, next] = opt.update(grad(banana)(x), st);
          x = applyUpdates(x, u);
          st = next;
        }
        return V(x);
      })(eta).item();
      close([truncated], [restarted], 1e-13, 1e-16);
      hypers.push(truncated);
    }
    // Each extra step kept changes the estimate (the bias of truncation shrinks towards the full value).
    for (let K = 1; K < T; K++) expect(hypers[K]).not.toBe(hypers[K - 1]);
  });
  it('unroll with 0 steps returns x₀', () => {
    expect(Array.from(unroll({ optimizer: sgdStep({ lr: 0.1 }), loss: f, x0: [3, 4], steps: 0 }).x.data)).toEqual([3, 4]);
  });
});
