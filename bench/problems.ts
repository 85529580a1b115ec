/**
 * The benchmark's three objectives, defined exactly as in bench/autodiff_torch.py: Rosenbrock, a dense
 * quadratic ½xᵀAx + bᵀx, and a 2-layer tanh MLP's mean squared error as a function of its flattened
 * weights. The point x and direction v are the same on both sides: xᵢ = ½ sin i, vᵢ = cos i.
 */
import { sub, type Tensor, tensor } from '../src/lib/autodiff/index.ts';

/** Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², operation for operation as PyTorch's (1 − xᵢ is one subtraction there too). */
export const rosenbrock = (x: Tensor): Tensor =>
  x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(sub(1, x.slice(0, -1)).pow(2)).sum();

/** ½xᵀAx + bᵀx with A = M Mᵀ / n + I, M_ij = sin(i + 2j), bᵢ = cos i (dense: n ≤ 1000 here). */
export function quadratic(n: number): (x: Tensor) => Tensor {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = Math.sin(i + 2 * j);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      A[i * n + j] = A[j * n + i] = s / n + (i === j ? 1 : 0);
    }
  }
  const At = tensor(A, { shape: [n, n] });
  const b = tensor(Float64Array.from({ length: n }, (_, i) => Math.cos(i)));
  return (x) => x.matmul(At).dot(x).mul(0.5).add(b.dot(x));
}

/** Inputs and batch of the MLP: d inputs, B samples, X_bj = sin(b·d + j), y_b = cos b. */
export const MLP_D = 8;
export const MLP_B = 32;

/** Hidden width h for about n parameters (n = (d + 1)·h exactly). */
export const mlpHidden = (n: number): number => Math.max(1, Math.round(n / (MLP_D + 1)));

/** mean_b (tanh(X W₁) w₂ − y)²_b with W₁ = w[0 : d·h] as d×h and w₂ = w[d·h :], n = (d + 1)·h. */
export function mlp(h: number): (w: Tensor) => Tensor {
  const X = tensor(Float64Array.from({ length: MLP_B * MLP_D }, (_, k) => Math.sin(k)), { shape: [MLP_B, MLP_D] });
  const y = tensor(Float64Array.from({ length: MLP_B }, (_, b) => Math.cos(b)));
  return (w) => X.matmul(w.slice(0, MLP_D * h).reshape([MLP_D, h])).tanh().matmul(w.slice(MLP_D * h)).sub(y).pow(2).mean();
}

/** The point and direction: xᵢ = ½ sin i, vᵢ = cos i. */
export const point = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i));
export const direction = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.cos(i));

export type ProblemName = 'rosenbrock' | 'quadratic' | 'mlp';

/** The objective `name` on n parameters (the MLP's n must be a multiple of d + 1: use mlpN). */
export const problem = (name: ProblemName, n: number): ((x: Tensor) => Tensor) =>
  name === 'rosenbrock' ? rosenbrock : name === 'quadratic' ? quadratic(n) : mlp(n / (MLP_D + 1));

/** The MLP's parameter count nearest n: (d + 1)·h. */
export const mlpN = (n: number): number => (MLP_D + 1) * mlpHidden(n);
