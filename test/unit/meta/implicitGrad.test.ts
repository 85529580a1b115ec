/** Implicit differentiation of argmin problems: ridge closed forms, finite differences, unrolled limits, bad input. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grad, type Tensor, tensor } from '../../../src/lib/autodiff';
import { choleskyFactor, choleskySolve, eigSym } from '../../../src/lib/linalg';
import { cg, implicitGrad, implicitJvp, sgdStep, unroll } from '../../../src/lib/meta';
import { close, rng } from './problems';

/** A random regression problem: X (m×n), y, and validation Xv, yv. */
function ridgeData(seed: number, m: number, n: number) {
  const r = rng(seed);
  const mat = (rows: number): Tensor => tensor(Float64Array.from({ length: rows * n }, () => 2 * r() - 1), { shape: [rows, n] });
  const vec = (k: number): Tensor => tensor(Float64Array.from({ length: k }, () => 2 * r() - 1));
  return { X: mat(m), y: vec(m), Xv: mat(m), yv: vec(m) };
}

/** L(x, λ) = ½‖Xx − y‖² + ½λ‖x‖². */
const ridge = (X: Tensor, y: Tensor) => (x: Tensor, lam: Tensor): Tensor =>
  X.matmul(x).sub(y).pow(2).sum().mul(0.5).add(x.dot(x).mul(lam).mul(0.5));

/** (XᵀX + D)⁻¹ rhs by Cholesky, D = diag(pen). */
function solveRidge(X: Tensor, pen: ArrayLike<number>, rhs: Float64Array): Float64Array {
  const n = X.shape[1];
  const G = X.T.matmul(X).data.slice();
  for (let i = 0; i < n; i++) G[i * n + i] += pen[i];
  const fac = choleskyFactor(G, n);
  if (!fac.ok) throw new Error('not SPD');
  return choleskySolve(fac.L, n, rhs);
}
const xStarOf = (X: Tensor, y: Tensor, pen: ArrayLike<number>): Float64Array => solveRidge(X, pen, X.T.matmul(y).data);

describe('ridge regression: dx*/dλ = −(XᵀX + λI)⁻¹ x*', () => {
  it('implicitJvp (t = 1) and implicitGrad match the closed form on random problems', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 2, max: 6 }), fc.double({ min: 0.01, max: 10, noNaN: true }),
      (seed, n, lam) => {
        const { X, y, Xv, yv } = ridgeData(seed, n + 3, n);
        const pen = new Array(n).fill(lam);
        const xs = xStarOf(X, y, pen);
        const closed = solveRidge(X, pen, xs).map((v) => -v);
        const inner = ridge(X, y);
        const jv = implicitJvp({ inner, xStar: xs, theta: lam, tangent: 1, cg: { tol: 1e-13 } });
        expect(jv.trace.reason).toBe('converged');
        expect(jv.stationarity).toBeLessThan(1e-10);
        close(jv.value.data, closed, 1e-9);
        const V = (x: Tensor): Tensor => Xv.matmul(x).sub(yv).pow(2).sum().mul(0.5);
        const gV = grad(V)(xs);
        const ig = implicitGrad({ inner, xStar: xs, theta: lam, cotangent: gV, cg: { tol: 1e-13 } });
        expect(ig.value.shape).toEqual([]);
        close([ig.value.item()], [gV.data.reduce((s, g, i) => s + g * closed[i], 0)], 1e-9, 1e-14);
      }), { numRuns: 30 });
  });

  it('one penalty per coordinate: implicitGrad matches central differences of V(x*(θ))', () => {
    const { X, y, Xv, yv } = ridgeData(7, 8, 4);
    const theta = [0.3, 1.2, 0.05, 2];
    const inner = (x: Tensor, th: Tensor): Tensor => X.matmul(x).sub(y).pow(2).sum().mul(0.5).add(x.pow(2).mul(th).sum().mul(0.5));
    const V = (x: Tensor): Tensor => Xv.matmul(x).sub(yv).pow(2).sum().mul(0.5);
    const xs = xStarOf(X, y, theta);
    const ig = implicitGrad({ inner, xStar: xs, theta, cotangent: grad(V)(xs) });
    expect(ig.value.shape).toEqual([4]);
    const eps = 1e-6;
    const fd = theta.map((_, i) => {
      const up = theta.map((v, j) => (j === i ? v + eps : v));
      const dn = theta.map((v, j) => (j === i ? v - eps : v));
      return (V(tensor(xStarOf(X, y, up))).item() - V(tensor(xStarOf(X, y, dn))).item()) / (2 * eps);
    });
    close(ig.value.data, fd, 1e-7);
  });

  it('unrolled hypergradients through T SGD steps approach the implicit one as T grows', () => {
    const { X, y, Xv, yv } = ridgeData(11, 10, 3);
    const lam = 0.5;
    const inner = ridge(X, y);
    const V = (x: Tensor): Tensor => Xv.matmul(x).sub(yv).pow(2).sum().mul(0.5);
    const xs = xStarOf(X, y, [lam, lam, lam]);
    const implicit = implicitGrad({ inner, xStar: xs, theta: lam, cotangent: grad(V)(xs) }).value.item();
    const G = X.T.matmul(X).data.map((v, i) => (i % 4 === 0 ? v + lam : v));
    const { values } = eigSym(G, 3);
    const eta = 2 / (Math.min(...values) + Math.max(...values)); // the fastest fixed step: rate (κ − 1)/(κ + 1)
    const unrolled = (T: number): number => grad((l) => V(unroll({ optimizer: sgdStep({ lr: eta }), loss: (x) => inner(x, l), x0: [0, 0, 0], steps: T }).x))(lam).item();
    const errors = [10, 40, 160].map((T) => Math.abs(unrolled(T) - implicit));
    expect(errors[1]).toBeLessThan(errors[0]);
    expect(errors[2]).toBeLessThan(errors[1]);
    expect(errors[2]).toBeLessThan(1e-6 * Math.max(1, Math.abs(implicit)));
  });
});

describe('a non-quadratic inner problem: L2-regularised logistic regression', () => {
  it('implicitGrad matches central differences of V(x*(λ)), with x* from Newton-CG', () => {
    const r = rng(3);
    const m = 25;
    const n = 3;
    const X = tensor(Float64Array.from({ length: m * n }, () => 2 * r() - 1), { shape: [m, n] });
    const labels = tensor(Float64Array.from({ length: m }, () => (r() < 0.5 ? 1 : 0)));
    const inner = (w: Tensor, lam: Tensor): Tensor => {
      const z = X.matmul(w);
      return z.softplus().sub(labels.mul(z)).mean().add(w.dot(w).mul(lam).mul(0.5));
    };
    const newton = (lam: number): Float64Array => {
      let w = tensor([0, 0, 0]);
      for (let k = 0; k < 30; k++) {
        const g = grad((x) => inner(x, tensor(lam)))(w);
        const step = cg((v) => grad((x) => grad((z) => inner(z, tensor(lam)))(x).dot(v))(w), g, { tol: 1e-14 }).x;
        w = w.sub(step);
      }
      return Float64Array.from(w.data);
    };
    const V = (w: Tensor): Tensor => w.sub(tensor([1, -1, 0.5])).pow(2).sum();
    const lam = 0.2;
    const ws = newton(lam);
    const ig = implicitGrad({ inner, xStar: ws, theta: lam, cotangent: grad(V)(ws) });
    expect(ig.stationarity).toBeLessThan(1e-12);
    const eps = 1e-6;
    const fd = (V(tensor(newton(lam + eps))).item() - V(tensor(newton(lam - eps))).item()) / (2 * eps);
    close([ig.value.item()], [fd], 1e-7);
  });
});

describe('implicitGrad / implicitJvp bad input', () => {
  const inner = (x: Tensor, lam: Tensor): Tensor => x.pow(2).sum().mul(lam);
  it('reports a point that is not stationary through `stationarity`', () => {
    expect(implicitJvp({ inner, xStar: [1, 1], theta: 1, tangent: 1 }).stationarity).toBeCloseTo(Math.sqrt(8), 12);
  });
  it('a concave inner problem (not a minimum) shows up as a CG stop reason', () => {
    const res = implicitGrad({ inner: (x, lam) => x.pow(2).sum().mul(lam).neg(), xStar: [0, 0], theta: 1, cotangent: [1, 0] });
    expect(res.trace.reason).toBe('nonPositiveCurvature');
  });
  it('both HVP modes give the same answer; an unknown mode is named even when CG would not need an HVP', () => {
    const { X, y } = ridgeData(5, 6, 3);
    const xs = xStarOf(X, y, [0.4, 0.4, 0.4]);
    const a = implicitJvp({ inner: ridge(X, y), xStar: xs, theta: 0.4, tangent: 1, hvpMode: 'forward-over-reverse' });
    const b = implicitJvp({ inner: ridge(X, y), xStar: xs, theta: 0.4, tangent: 1, hvpMode: 'reverse-over-reverse' });
    close(a.value.data, b.value.data, 1e-13);
    expect(() => implicitGrad({ inner, xStar: [0, 0], theta: 1, cotangent: [0, 0], hvpMode: 'fwd' as never })).toThrow(`implicitGrad: hvpMode must be 'forward-over-reverse' or 'reverse-over-reverse', got "fwd"`);
  });
  it('names wrong shapes, unknown options and bad functions', () => {
    expect(() => implicitGrad({ inner, xStar: [0, 0], theta: 1, cotangent: [1, 0, 0] })).toThrow('implicitGrad: cotangent has shape [3] but xStar has shape [2] (they must match)');
    expect(() => implicitJvp({ inner, xStar: [0, 0], theta: 1, tangent: [1, 2] })).toThrow('implicitJvp: tangent has shape [2] but theta has shape [] (they must match)');
    expect(() => implicitGrad({ inner, xStar: [0, 0], theta: 1, cotangent: [1, 0], cgOptions: {} } as never)).toThrow("implicitGrad: unknown option 'cgOptions' — did you mean 'cg'?");
    expect(() => implicitGrad({ inner, xStar: [0, 0], theta: 1, cotangent: [1, 0], cg: { tol: -1 } })).toThrow('cg: tol must be a finite number in [0, 1], got -1');
    expect(() => implicitGrad({ inner: (x) => x, xStar: [0, 0], theta: 1, cotangent: [1, 0] })).toThrow('implicitGrad: inner must return a scalar (one-element) tensor, got shape [2]');
    expect(() => implicitGrad({ inner: 3, xStar: [0, 0], theta: 1, cotangent: [1, 0] } as never)).toThrow('implicitGrad: inner must be a function');
    expect(() => implicitGrad({ inner, theta: 1, cotangent: [1, 0] } as never)).toThrow('implicitGrad: xStar is required');
    expect(() => implicitGrad({ inner, xStar: [0, 0], theta: 1 } as never)).toThrow('implicitGrad: cotangent (∇ₓV at x*) is required');
  });
});
