/**
 * A 1-h-1 tanh network m(x; θ) = w₂ᵀ tanh(W₁x + b₁) + b₂ with θ = (W₁, b₁, w₂, b₂) flattened (functorch's order in
 * scripts/fixtures/meta.py; the network and its loss live in src/lib/meta/mlp.ts, shared with the MAML figure), the
 * MAML meta-gradient on it, and curvature products.
 */
import { grad, hvp, jvp, tensor, vjp, type Tensor } from '../../../lib/autodiff/index.ts';
import { mlpLoss, mlpPredict } from '../../../lib/meta/mlp.ts';

export { mlpLoss, mlpPredict };

export interface SineTask {
  xTrain: number[][];
  yTrain: number[];
  xVal: number[][];
  yVal: number[];
}

/** MAML: M(θ) = meanᵢ ℓᵢ,val(θ − α∇ℓᵢ,train(θ)); returns M, ∇M and the first-order gradient meanᵢ ∇ℓᵢ,val(θ'ᵢ). */
export function mamlSine(options: { theta: number[]; tasks: SineTask[]; alpha: number; hidden: number }) {
  const { alpha, hidden } = options;
  const losses = options.tasks.map((t) => ({
    train: mlpLoss(tensor(t.xTrain), tensor(t.yTrain), hidden),
    val: mlpLoss(tensor(t.xVal), tensor(t.yVal), hidden),
  }));
  const meta = (theta: Tensor) =>
    losses.map((L) => L.val(theta.sub(grad(L.train)(theta).mul(alpha)))).reduce((a, b) => a.add(b)).div(losses.length);
  const theta = tensor(options.theta);
  const firstOrder = losses
    .map((L) => grad(L.val)(theta.sub(grad(L.train)(theta).mul(alpha)).detach()))
    .reduce((a, b) => a.add(b))
    .div(losses.length);
  return { metaLoss: meta(theta).item(), metaGrad: Array.from(grad(meta)(theta).data), firstOrderGrad: Array.from(firstOrder.data) };
}

/** The Gauss-Newton product for ℓ = ½ mean r², r = m(X; θ) − y: Gv = Jᵀ(Jv)/k, one jvp and one vjp. */
export function gaussNewtonProduct(X: Tensor, y: Tensor, hidden: number, theta: Tensor, v: Tensor): Tensor {
  const residual = (t: Tensor) => mlpPredict(t, X, hidden).sub(y);
  const [, Jv] = jvp(residual, theta, v);
  const [, pullback] = vjp(residual, theta);
  return pullback(Jv).div(X.shape[0]);
}

/** Hv for the same ℓ = ½ mean r², for comparison: H = G + (1/k) Σ rᵢ ∇²rᵢ. */
export function halfMseHvp(X: Tensor, y: Tensor, hidden: number, theta: Tensor, v: Tensor): Tensor {
  const f = (t: Tensor) => mlpLoss(X, y, hidden)(t).mul(0.5);
  return hvp(f, theta, v);
}
