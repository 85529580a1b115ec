/** The functions the meta tests use (same definitions as scripts/fixtures/meta.py) and shared helpers. */
import { readFileSync } from 'node:fs';
import { type NestedArray, type Tensor, tensor } from '../../../src/lib/autodiff';

export const fixture = JSON.parse(readFileSync(new URL('../../fixtures/meta.json', import.meta.url), 'utf8'));

/** f(x) = Σ exp(sin xᵢ) log(1 + xᵢ²) + x₀x₁ / (1 + x₂²). */
export const mixed3 = (x: Tensor): Tensor =>
  x.sin().exp().mul(x.pow(2).log1p()).sum().add(x.at(0).mul(x.at(1)).div(x.at(2).pow(2).add(1)));

/** mean((tanh(X W₁ᵀ + b₁) w₂ + b₂ − y)²), θ = [W₁ (h×d) | b₁ | w₂ | b₂]. */
export const mlp = (X: Tensor, y: Tensor, d: number, h: number) => (theta: Tensor): Tensor => {
  const W1 = theta.slice(0, h * d).reshape([h, d]);
  const b1 = theta.slice(h * d, h * d + h);
  const w2 = theta.slice(h * d + h, h * d + 2 * h);
  const b2 = theta.at(h * d + 2 * h);
  return X.matmul(W1.T).add(b1).tanh().matmul(w2).add(b2).sub(y).pow(2).mean();
};

/** ½ xᵀAx + bᵀx. */
export const quadratic = (A: Tensor, b: Tensor) => (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));

/** (1 − x₀)² + 5 (x₁ − x₀²)². */
export const banana = (x: Tensor): Tensor =>
  x.at(0).neg().add(1).pow(2).add(x.at(1).sub(x.at(0).pow(2)).pow(2).mul(5));

/** ½ (x − c)ᵀ B (x − c). */
export const valLoss = (B: Tensor, c: Tensor) => (x: Tensor): Tensor => {
  const d = x.sub(c);
  return d.matmul(B).dot(d).mul(0.5);
};

/** mean(softplus(Xw) − y ⊙ Xw) + ½ λ |w|². */
export const logistic = (X: Tensor, y: Tensor, lam: number) => (w: Tensor): Tensor => {
  const z = X.matmul(w);
  return z.softplus().sub(y.mul(z)).mean().add(w.dot(w).mul(0.5 * lam));
};

export const t = (v: unknown): Tensor => tensor(v as NestedArray);

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

/** A small deterministic generator (mulberry32) for property tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let s = a;
    s = Math.imul(s ^ (s >>> 15), s | 1);
    s ^= s + Math.imul(s ^ (s >>> 7), s | 61);
    return ((s ^ (s >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random SPD matrix MMᵀ + μI (n×n, row-major) with the generator r. */
export function randomSpd(r: () => number, n: number, mu = 0.5): Float64Array {
  const M = Float64Array.from({ length: n * n }, () => 2 * r() - 1);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? mu : 0;
    for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
    A[i * n + j] = s;
  }
  return A;
}

/** Flattens nested number arrays. */
export const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
