/** The example objectives shared by the tests (same definitions as scripts/fixtures/autodiff.py). */
import { type Tensor, tensor, type NestedArray } from '../../../src/lib/autodiff';

/** f(x) = ½ xᵀAx + bᵀx. */
export const quadratic = (A: Tensor, b: Tensor) => (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));

/** f(x) = Σ 100 (x_{i+1} − x_i²)² + (1 − x_i)². */
export const rosenbrock = (x: Tensor): Tensor =>
  x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(x.slice(0, -1).neg().add(1).pow(2)).sum();

/** f(w) = mean(softplus(Xw) − y ⊙ Xw) + ½ λ |w|² (logistic loss with labels in {0, 1}). */
export const logistic = (X: Tensor, y: Tensor, lam: number) => (w: Tensor): Tensor => {
  const z = X.matmul(w);
  return z.softplus().sub(y.mul(z)).mean().add(w.dot(w).mul(0.5 * lam));
};

/** f(θ) = mean((tanh(X W₁ᵀ + b₁) w₂ + b₂ − y)²), θ = [W₁ (h×d) | b₁ | w₂ | b₂]. */
export const mlp = (X: Tensor, y: Tensor, d: number, h: number) => (theta: Tensor): Tensor => {
  const W1 = theta.slice(0, h * d).reshape([h, d]);
  const b1 = theta.slice(h * d, h * d + h);
  const w2 = theta.slice(h * d + h, h * d + 2 * h);
  const b2 = theta.at(h * d + 2 * h);
  const hidden = X.matmul(W1.T).add(b1).tanh();
  return hidden.matmul(w2).add(b2).sub(y).pow(2).mean();
};

/** A non-quadratic mix of exp, log1p, softplus, sigmoid, sin, cos, abs, sqrt and a quotient. */
export const mixed = (x: Tensor): Tensor => {
  const a = x.sin().exp().mul(x.pow(2).log1p()).sum();
  const b = x.cos().softplus().mul(x.sigmoid()).sum();
  const c = x.abs().add(1).sqrt().sum();
  const d = x.at(0).mul(x.at(1)).div(x.at(2).pow(2).add(1));
  return a.add(b).add(c).add(d);
};

export interface FixtureCase {
  name: string;
  x: number[];
  v: number[];
  value: number;
  grad: number[];
  hvp: number[];
  [key: string]: unknown;
}

/** The function a fixture case describes. */
export function fixtureFunction(c: FixtureCase): (x: Tensor) => Tensor {
  const t = (k: string): Tensor => tensor(c[k] as NestedArray);
  if (c.name === 'seed-quadratic') return quadratic(t('A'), t('b'));
  if (c.name.startsWith('rosenbrock')) return rosenbrock;
  if (c.name === 'logistic') return logistic(t('X'), t('y'), c.lam as number);
  if (c.name === 'mlp-tanh') return mlp(t('X'), t('y'), c.d as number, c.h as number);
  if (c.name === 'mixed') return mixed;
  throw new Error(`unknown fixture case ${c.name}`);
}

/** max |a − b| ≤ atol + rtol · max |b|, with a readable failure. */
export function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol: number, atol = 0): void {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]);
    if (!(err <= atol + rtol * scale)) {
      throw new Error(`mismatch at ${i}: ${a[i]} vs ${b[i]} (|err| ${err.toExponential(2)} > ${(atol + rtol * scale).toExponential(2)})\n got  ${Array.from(a).join(', ')}\n want ${Array.from(b).join(', ')}`);
    }
  }
}
