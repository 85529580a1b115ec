/**
 * m(x; θ) = w₂ᵀ tanh(W₁x + b₁) + b₂: a 1-h-1 tanh network with θ = (W₁, b₁, w₂, b₂) flattened in that order
 * (functorch's order), its mean squared error, and a seeded initialisation. Used by chapter 17's MAML listings and
 * by the MAML figure's trainer.
 */
import { type Tensor } from '../autodiff/index.ts';

/** mlpSize(h) = 3h + 1, the number of parameters of a 1-h-1 network. */
export const mlpSize = (hidden: number): number => 3 * hidden + 1;

/** Predictions m(X; θ) for inputs X of shape [k, 1]: shape [k]. */
export function mlpPredict(theta: Tensor, X: Tensor, hidden: number): Tensor {
  const W1 = theta.slice(0, hidden).reshape([1, hidden]);
  const b1 = theta.slice(hidden, 2 * hidden);
  const w2 = theta.slice(2 * hidden, 3 * hidden);
  const b2 = theta.slice(3 * hidden, 3 * hidden + 1).reshape([]);
  return X.matmul(W1).add(b1).tanh().matmul(w2).add(b2);
}

/** ℓ(θ) = mean (m(X; θ) − y)² */
export function mlpLoss(X: Tensor, y: Tensor, hidden: number) {
  return (theta: Tensor): Tensor => {
    const r = mlpPredict(theta, X, hidden).sub(y);
    return r.mul(r).mean();
  };
}

/**
 * θ₀ with W₁, b₁ ~ U(−1, 1) and w₂, b₂ ~ U(−1/(2√h), 1/(2√h)), drawn from `rand`: the chapter's sine listing's start.
 */
export function mlpInit(hidden: number, rand: () => number): Float64Array {
  const theta = new Float64Array(mlpSize(hidden));
  for (let j = 0; j < theta.length; j++) theta[j] = (j < 2 * hidden ? 2 : 1 / Math.sqrt(hidden)) * (rand() - 0.5);
  return theta;
}
