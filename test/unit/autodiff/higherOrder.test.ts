import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autograd, grad, hessian, hvp, jvp, objective, type Tensor, tensor, vjp } from '../../../src/lib/autodiff';
import { close, logistic, mixed, mlp, rosenbrock } from './models';

const modes = ['forward-over-reverse', 'reverse-over-reverse'] as const;
const vec = (n: number, lo = -1.2, hi = 1.2) => fc.array(fc.double({ min: lo, max: hi, noNaN: true }), { minLength: n, maxLength: n });

describe('Hessian-vector products', () => {
  const X = tensor([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [-0.6, 0.9, 0.2], [0.8, -0.3, -1.5]]);
  const y = tensor([1, 0, 1, 0]);
  const fns: [string, (x: Tensor) => Tensor, number][] = [
    ['rosenbrock', rosenbrock, 4],
    ['logistic', logistic(X, y, 0.05), 3],
    ['mixed', mixed, 4],
    ['mlp', mlp(X, tensor([0.2, -0.1, 0.4, 0.3]), 3, 2), 3 * 2 + 2 * 2 + 1],
  ];
  /**
   * Dense Hessian by central differences of the (eager, reverse-mode) gradient: independent of every
   * HVP code path, so it can judge them. Error O(h²) plus rounding O(ε/h), hence the loose tolerance.
   */
  const fdHessian = (f: (x: Tensor) => Tensor, x: number[]): Tensor => {
    const n = x.length;
    const h = 1e-5;
    const H = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const xp = [...x];
      const xm = [...x];
      xp[j] += h;
      xm[j] -= h;
      const gp = grad(f)(xp).data;
      const gm = grad(f)(xm).data;
      for (let i = 0; i < n; i++) H[i * n + j] = (gp[i] - gm[i]) / (2 * h);
    }
    return tensor(H, { shape: [n, n] });
  };
  for (const [name, f, n] of fns) {
    it(`${name}: both modes equal finite-difference Hessian columns and are symmetric (uᵀHv = vᵀHu)`, () => {
      fc.assert(
        // Points kept off |xᵢ| < 0.01, where `mixed` has the kink of |x| (central differences straddle it).
        fc.property(vec(n).map((a) => a.map((t) => (Math.abs(t) < 0.01 ? t + 0.02 : t))), vec(n), vec(n), (x, u, v) => {
          const Hfd = fdHessian(f, x);
          const H = hessian(f)(x);
          close(H.data, Hfd.data, 1e-6, 1e-6);
          for (const mode of modes) {
            const Hv = hvp(f, x, v, { mode });
            const Hu = hvp(f, x, u, { mode });
            close(Hv.data, Hfd.matmul(tensor(v)).data, 1e-6, 1e-6);
            close(Hv.data, H.matmul(tensor(v)).data, 1e-10, 1e-10);
            const a = tensor(u).dot(Hv).item();
            const b = tensor(v).dot(Hu).item();
            close([a], [b], 1e-10, 1e-10);
          }
          // Column i of H is H e_i.
          const e = new Array(n).fill(0);
          e[n - 1] = 1;
          close(hvp(f, x, e).data, Array.from({ length: n }, (_, i) => H.data[i * n + n - 1]), 1e-12, 1e-12);
        }),
        { numRuns: 8 },
      );
    });
  }
  it('hessian is symmetric and matches the compiled objective', () => {
    const x = [0.3, -0.4, 1.1, 0.7];
    const H = hessian(mixed)(x);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(H.data[i * 4 + j]).toBeCloseTo(H.data[j * 4 + i], 12);
    const o = objective(mixed, 4);
    close(o.hvp(Float64Array.from(x), Float64Array.from([0, 1, 0, 0])), [H.data[1], H.data[5], H.data[9], H.data[13]], 1e-12, 1e-12);
  });
});

describe('third order', () => {
  it('d³/dx³ of sin(x)·eˣ by grad∘grad∘grad, jvp∘jvp∘jvp and mixed nestings', () => {
    const f = (x: Tensor): Tensor => x.sin().mul(x.exp());
    // (sin x eˣ)''' = 2eˣ(cos x − sin x)
    for (const x0 of [-1.3, 0.2, 0.9, 2.1]) {
      const want = 2 * Math.exp(x0) * (Math.cos(x0) - Math.sin(x0));
      const rrr = grad(grad(grad(f)))(x0).item();
      const fff = jvp((a) => jvp((b) => jvp(f, b, 1)[1], a, 1)[1], x0, 1)[1].item();
      const frr = jvp(grad(grad(f)), x0, 1)[1].item();
      const rfr = grad((a) => jvp(grad(f), a, 1)[1])(x0).item();
      const rrf = grad(grad((a) => jvp(f, a, 1)[1]))(x0).item();
      for (const got of [rrr, fff, frr, rfr, rrf]) expect(got).toBeCloseTo(want, 11);
    }
  });
  it('third-order tensor contraction of Rosenbrock via autograd.grad with createGraph', () => {
    // T(u,v,w) = Σ ∂³f/∂xᵢ∂xⱼ∂xₖ uᵢvⱼwₖ; for Rosenbrock the only third derivatives are
    // ∂³/∂xᵢ³ = 2400 xᵢ and ∂³/∂xᵢ²∂xᵢ₊₁ = −400 (both for i < n−1).
    const xv = [0.5, -0.3, 0.8, 1.1];
    const u = tensor([1, 2, -1, 0.5]);
    const v = tensor([0.3, -0.2, 1, 2]);
    const w = tensor([-1, 0.7, 0.4, 1.3]);
    const x = tensor(xv, { requiresGrad: true });
    const [g] = autograd.grad(rosenbrock(x), x, { createGraph: true });
    const [hu] = autograd.grad(g.dot(u), x, { createGraph: true });
    const [t] = autograd.grad(hu.dot(v), x);
    const got = t.dot(w).item();
    let want = 0;
    for (let i = 0; i < 4; i++) {
      if (i < 3) {
        want += 2400 * xv[i] * u.data[i] * v.data[i] * w.data[i];
        // −400 · (uᵢvᵢwᵢ₊₁ + uᵢvᵢ₊₁wᵢ + uᵢ₊₁vᵢwᵢ)
        want += -400 * (u.data[i] * v.data[i] * w.data[i + 1] + u.data[i] * v.data[i + 1] * w.data[i] + u.data[i + 1] * v.data[i] * w.data[i]);
      }
    }
    expect(got).toBeCloseTo(want, 9);
  });
});

describe('perturbation confusion', () => {
  it('d/dx[x · d/dy(x + y)] = 1 at any x (reverse, forward, and mixed)', () => {
    fc.assert(
      fc.property(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (x0, y0) => {
        const rev = grad((x) => x.mul(grad((y) => x.add(y))(y0)))(x0).item();
        const fwd = jvp((x) => x.mul(jvp((y) => x.add(y), y0, 1)[1]), x0, 1)[1].item();
        const fr = jvp((x) => x.mul(grad((y) => x.add(y))(y0)), x0, 1)[1].item();
        const rf = grad((x) => x.mul(jvp((y) => x.add(y), y0, 1)[1]))(x0).item();
        expect([rev, fwd, fr, rf]).toEqual([1, 1, 1, 1]);
      }),
      { numRuns: 20 },
    );
  });
  it('inner transform on the same tensor object as a closure variable', () => {
    // d/dx [ x · (d/dy x·y)|_{y=x} ] = d/dx [x · x] = 2x: the inner derivative must treat the closure x as constant.
    const f = (x: Tensor): Tensor => x.mul(grad((y) => x.mul(y))(x));
    expect(grad(f)(3).item()).toBe(6);
    expect(jvp(f, 3, 1)[1].item()).toBe(6);
    // Same with vjp and the tape API.
    const [, pb] = vjp((x) => x.mul(vjp((y) => x.mul(y), x)[1](1)), tensor(3));
    expect(pb(1).item()).toBe(6);
  });
});
