import { asTensor, grad, hvp, type HvpMode, jvp, Tensor, type TensorLike } from '../autodiff/index.ts';
import { norm2 } from '../linalg/index.ts';
import { cg, type CgOptions, type CgTrace } from './cg.ts';
import { checkKeys } from './options.ts';

/** x*(θ) = argminₓ L(x, θ), given by the inner objective and a minimiser found by any solver. */
export interface ArgminProblem {
  /** The inner objective L(x, θ), scalar-valued, minimised over x. */
  inner: (x: Tensor, theta: Tensor) => Tensor;
  /** A minimiser x* of L(·, θ) (∇ₓL(x*, θ) ≈ 0, ∇²ₓₓL(x*, θ) positive definite). */
  xStar: TensorLike;
  /** The outer parameters θ (any shape; a number for a single hyperparameter). */
  theta: TensorLike;
  /** Options for the conjugate-gradient solve of H u = w (default tol 1e-10). */
  cg?: CgOptions;
  /** How the HVPs inside CG are computed (default: the library's default mode). */
  hvpMode?: HvpMode;
}

export interface ImplicitGradOptions extends ArgminProblem {
  /** ∇ₓV(x*): the gradient of the outer (validation) loss at the minimiser, shaped like x*. */
  cotangent: TensorLike;
}

export interface ImplicitJvpOptions extends ArgminProblem {
  /** A direction t in θ-space, shaped like θ. */
  tangent: TensorLike;
}

export interface ImplicitResult {
  /** dV/dθ (implicitGrad, shaped like θ) or (dx* / dθ)·t (implicitJvp, shaped like x*). */
  value: Tensor;
  /** The CG solution: u = H⁻¹∇ₓV (implicitGrad) or H⁻¹(∂²L/∂x∂θ)t (implicitJvp). */
  solve: Tensor;
  /** The CG trace: check `trace.reason === 'converged'` before trusting `value`. */
  trace: CgTrace;
  /** ‖∇ₓL(x*, θ)‖₂: how far x* is from stationary (the formula assumes 0). */
  stationarity: number;
}

const common = ['inner', 'xStar', 'theta', 'cg', 'hvpMode'];
const show = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

interface Prepared { L: (x: Tensor, th: Tensor) => Tensor; xs: Tensor; th: Tensor; H: (v: Tensor) => Tensor; stationarity: number }

function prepare(where: string, o: ArgminProblem, extra: string): Prepared {
  checkKeys(where, o, [...common, extra]);
  if (typeof o.inner !== 'function') throw new TypeError(`${where}: inner must be a function (x, θ) ↦ L(x, θ)`);
  if (o.xStar === undefined) throw new TypeError(`${where}: xStar is required`);
  if (o.theta === undefined) throw new TypeError(`${where}: theta is required`);
  const xs = asTensor(o.xStar).detach();
  const th = asTensor(o.theta).detach();
  const L = o.inner;
  const y = L(xs, th);
  if (!(y instanceof Tensor) || y.size !== 1) throw new RangeError(`${where}: inner must return a scalar (one-element) tensor, got ${y instanceof Tensor ? `shape ${show(y.shape)}` : typeof y}`);
  const stationarity = norm2(grad((x) => L(x, th))(xs).data);
  const mode = o.hvpMode;
  if (mode !== undefined && mode !== 'forward-over-reverse' && mode !== 'reverse-over-reverse') {
    throw new RangeError(`${where}: hvpMode must be 'forward-over-reverse' or 'reverse-over-reverse', got ${JSON.stringify(mode)}`);
  }
  const H = (v: Tensor): Tensor => hvp((x) => L(x, th), xs, v, mode === undefined ? {} : { mode });
  return { L, xs, th, H, stationarity };
}

/**
 * dV/dθ = −(∂²L/∂x∂θ)ᵀ H⁻¹ ∇ₓV with H = ∇²ₓₓL(x*, θ) (implicit function theorem): CG on HVPs solves
 * H u = ∇ₓV, then one mixed VJP gives ∇_θ⟨∇ₓL(x*, θ), u⟩ — no Hessian formed, no steps unrolled.
 * Add ∂V/∂θ yourself if V also depends on θ directly. The result is a constant tensor.
 *
 * ```ts
 * const inner = (x, lam) => X.matmul(x).sub(y).pow(2).sum().mul(0.5).add(x.dot(x).mul(lam).mul(0.5));
 * implicitGrad({ inner, xStar, theta: 0.1, cotangent: grad(val)(xStar) }).value;   // dV/dλ
 * ```
 */
export function implicitGrad(options: ImplicitGradOptions): ImplicitResult {
  const { L, xs, th, H, stationarity } = prepare('implicitGrad', options, 'cotangent');
  if (options.cotangent === undefined) throw new TypeError('implicitGrad: cotangent (∇ₓV at x*) is required');
  const c = asTensor(options.cotangent);
  if (!sameShape(c.shape, xs.shape)) throw new RangeError(`implicitGrad: cotangent has shape ${show(c.shape)} but xStar has shape ${show(xs.shape)} (they must match)`);
  const { x: u, trace } = cg(H, c, options.cg ?? {});
  const mixed = grad((t) => grad((x) => L(x, t))(xs).mul(u).sum())(th);
  return { value: mixed.neg().detach(), solve: u, trace, stationarity };
}

/**
 * (dx* / dθ)·t = −H⁻¹ (∂²L/∂x∂θ) t: one mixed JVP (a tangent in θ pushed through ∇ₓL), then CG on HVPs.
 * For a single hyperparameter (t = 1) this is the whole derivative dx* / dθ.
 */
export function implicitJvp(options: ImplicitJvpOptions): ImplicitResult {
  const { L, xs, th, H, stationarity } = prepare('implicitJvp', options, 'tangent');
  if (options.tangent === undefined) throw new TypeError('implicitJvp: tangent (a direction in θ) is required');
  const t = asTensor(options.tangent);
  if (!sameShape(t.shape, th.shape)) throw new RangeError(`implicitJvp: tangent has shape ${show(t.shape)} but theta has shape ${show(th.shape)} (they must match)`);
  const w = jvp((s) => grad((x) => L(x, s))(xs), th, t)[1];
  const { x: u, trace } = cg(H, w.detach(), options.cg ?? {});
  return { value: u.neg(), solve: u, trace, stationarity };
}
