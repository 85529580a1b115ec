/**
 * Tuning a ridge penalty by implicit differentiation. Training loss L(x, λ) = ½‖Xx − y‖² + ½λ‖x‖², validation loss
 * V(x) = ½‖Zx − u‖²; x⋆(λ) = (XᵀX + λI)⁻¹Xᵀy, dx⋆/dλ = −(XᵀX + λI)⁻¹x⋆, dV/dλ = ∇V(x⋆)ᵀ dx⋆/dλ (closed form,
 * by Cholesky), against `implicitGrad` (CG on HVPs) and against reverse mode through T unrolled gradient steps.
 */
import { grad, tensor, zeros, type Tensor } from '../autodiff/index.ts';
import { choleskyFactor, choleskySolve, eigSym } from '../linalg/index.ts';
import { implicitGrad, sgdStep, unroll } from '../meta/index.ts';

/** Deterministic data, the same formulas in every listing: no random generator to port. */
export function ridgeData() {
  const m = 12;
  const n = 4;
  const wTrue = [1, -2, 0.5, 0.3];
  const X = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(1 + 1.3 * i * (j + 1) + j)));
  const y = X.map((r, i) => r.reduce((s, x, j) => s + x * wTrue[j], 0) + 0.8 * Math.sin(5 * i + 2));
  const Z = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.cos(2 + 1.7 * i * (j + 1) + 2 * j)));
  const u = Z.map((r, i) => r.reduce((s, x, j) => s + x * wTrue[j], 0) + 0.8 * Math.cos(3 * i + 1));
  return { m, n, X, y, Z, u };
}

const data = ridgeData();
const X = tensor(data.X);
const y = tensor(data.y);
const Z = tensor(data.Z);
const u = tensor(data.u);

/** L(x, λ) = ½‖Xx − y‖² + ½λ‖x‖² */
export const ridgeLoss = (x: Tensor, lam: Tensor | number): Tensor => {
  const r = X.matmul(x).sub(y);
  return r.dot(r).mul(0.5).add(x.dot(x).mul(lam).mul(0.5));
};
/** V(x) = ½‖Zx − u‖² */
export const ridgeVal = (x: Tensor): Tensor => {
  const r = Z.matmul(x).sub(u);
  return r.dot(r).mul(0.5);
};

const n = data.n;
const gram = (lam: number) => {
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) G[i * n + j] = data.X.reduce((s, r) => s + r[i] * r[j], 0) + (i === j ? lam : 0);
  return G;
};

/** x⋆(λ), dx⋆/dλ and dV/dλ in closed form (Cholesky of XᵀX + λI). */
export function ridgeClosedForm(lam: number) {
  const { L } = choleskyFactor(gram(lam), n);
  const Xty = Float64Array.from({ length: n }, (_, j) => data.X.reduce((s, r, i) => s + r[j] * data.y[i], 0));
  const xStar = choleskySolve(L, n, Xty);
  const dx = choleskySolve(L, n, xStar).map((v) => -v);
  const gV = grad(ridgeVal)(tensor(Array.from(xStar)));
  const dV = Array.from(gV.data).reduce((s, g, i) => s + g * dx[i], 0);
  return { xStar: Array.from(xStar), dxdLam: Array.from(dx), value: ridgeVal(tensor(Array.from(xStar))).item(), dVdLam: dV, gradV: Array.from(gV.data) };
}

/** dV/dλ by the implicit function theorem: CG on H u = ∇V(x⋆) with HVPs, then one mixed VJP. */
export function ridgeImplicit(lam: number, maxIter?: number) {
  const cf = ridgeClosedForm(lam);
  const r = implicitGrad({
    inner: ridgeLoss,
    xStar: cf.xStar,
    theta: lam,
    cotangent: cf.gradV,
    cg: maxIter === undefined ? { tol: 1e-14 } : { tol: 1e-14, maxIter },
  });
  return { dVdLam: r.value.item(), iterations: r.trace.iterations, reason: r.trace.reason };
}

/** The largest eigenvalue of XᵀX + λI: gradient steps on L converge for η < 2/λmax. */
export function ridgeLambdaMax(lam: number) {
  const vals = eigSym(gram(lam), n).values;
  return Math.max(...vals);
}

/** dV/dλ by reverse mode through T gradient steps on L(·, λ) from x = 0 with step η. */
export function ridgeUnrolled(lam: number, options: { eta: number; steps: number }) {
  const V = (l: Tensor) => ridgeVal(unroll({ optimizer: sgdStep({ lr: options.eta }), loss: (x) => ridgeLoss(x, l), x0: zeros([n]), steps: options.steps }).x);
  return grad(V)(lam).item();
}

/** Gradient descent on s = log λ with the implicit hypergradient dV/ds = λ dV/dλ. */
export function tuneRidge(options: { lam0: number; lr: number; iterations: number }) {
  let s = Math.log(options.lam0);
  const path = [options.lam0];
  for (let k = 0; k < options.iterations; k++) {
    const lam = Math.exp(s);
    s -= options.lr * lam * ridgeImplicit(lam).dVdLam;
    path.push(Math.exp(s));
  }
  return path;
}

/**
 * Influence of each training point on V (Koh & Liang 2017): weights wᵢ on the squared residuals,
 * dV/dwᵢ = −∇V(x⋆)ᵀH⁻¹ ∂∇ₓL/∂wᵢ = −∇V(x⋆)ᵀH⁻¹ Xᵢ rᵢ. All m of them from one CG solve and one mixed VJP,
 * and in closed form (Cholesky) for the check.
 */
export function ridgeInfluence(lam: number) {
  const cf = ridgeClosedForm(lam);
  const weighted = (x: Tensor, w: Tensor) => {
    const r = X.matmul(x).sub(y);
    return w.mul(r).dot(r).mul(0.5).add(x.dot(x).mul(0.5 * lam));
  };
  const res = implicitGrad({ inner: weighted, xStar: cf.xStar, theta: Array(data.m).fill(1), cotangent: cf.gradV, cg: { tol: 1e-14 } });
  const { L } = choleskyFactor(gram(lam), n);
  const s = choleskySolve(L, n, Float64Array.from(cf.gradV));
  const closed = data.X.map((row, i) => {
    const r = row.reduce((acc, x, j) => acc + x * cf.xStar[j], 0) - data.y[i];
    return -row.reduce((acc, x, j) => acc + x * s[j], 0) * r;
  });
  return { implicit: Array.from(res.value.data), closed, cgIterations: res.trace.iterations };
}
