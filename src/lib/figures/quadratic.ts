/** The two-variable quadratic f(x) = ½xᵀAx + bᵀx: its Hessian, eigen-decomposition and stationary point. */
import { eigSym } from '../linalg/index.ts';
import type { NumberField } from './fields.ts';

const entry = (label: string): NumberField => ({ kind: 'number', label, min: -50, max: 50, step: 0.5 });

/** The editable entries of A and b, shared by every figure that lets the reader change the problem. */
export const problemFields = {
  a11: entry('A₁₁'),
  a12: entry('A₁₂'),
  a21: entry('A₂₁'),
  a22: entry('A₂₂'),
  b1: entry('b₁'),
  b2: entry('b₂'),
};

/** The problem's entries as figure state: A = [[a11, a12], [a21, a22]], b = (b1, b2). */
export interface ProblemState {
  a11: number;
  a12: number;
  a21: number;
  a22: number;
  b1: number;
  b2: number;
}

/** The chapter's example: A = [[5, 1], [1, 3]], b = [−4, 2]. */
export const problemDefaults: ProblemState = { a11: 5, a12: 1, a21: 1, a22: 3, b1: -4, b2: 2 };

/** analyzeProblem(s) = {@link analyzeQuadratic} of the state's A and b. */
export function analyzeProblem(s: ProblemState): QuadraticAnalysis {
  return analyzeQuadratic([s.a11, s.a12, s.a21, s.a22], [s.b1, s.b2]);
}

export type Curvature = 'positive-definite' | 'negative-definite' | 'indefinite' | 'singular';

export interface QuadraticAnalysis {
  /** Row-major [a11, a12, a21, a22] and [b1, b2] as given. */
  A: Float64Array;
  b: Float64Array;
  /** The Hessian H = (A + Aᵀ)/2: only the symmetric part of A shapes f. */
  H: Float64Array;
  symmetric: boolean;
  /** Eigenvalues of H, ascending, and unit eigenvectors (columns of the row-major `vectors`). */
  values: Float64Array;
  vectors: Float64Array;
  curvature: Curvature;
  /** The unique stationary point −H⁻¹b, null when H is singular. */
  xStar: Float64Array | null;
  /** f(x*) (NaN when there is no unique stationary point). */
  fStar: number;
}

export function quadValue(A: ArrayLike<number>, b: ArrayLike<number>, x: number, y: number): number {
  return 0.5 * (A[0] * x * x + (A[1] + A[2]) * x * y + A[3] * y * y) + b[0] * x + b[1] * y;
}

/** ∇f(x) = Hx + b with H = (A + Aᵀ)/2. */
export function quadGrad(A: ArrayLike<number>, b: ArrayLike<number>, x: ArrayLike<number>, out: Float64Array = new Float64Array(2)): Float64Array {
  const h12 = (A[1] + A[2]) / 2;
  out[0] = A[0] * x[0] + h12 * x[1] + b[0];
  out[1] = h12 * x[0] + A[3] * x[1] + b[1];
  return out;
}

export function analyzeQuadratic(a: ArrayLike<number>, bv: ArrayLike<number>): QuadraticAnalysis {
  const A = Float64Array.from(a);
  const b = Float64Array.from(bv);
  const h12 = (A[1] + A[2]) / 2;
  const H = new Float64Array([A[0], h12, h12, A[3]]);
  const { values, vectors } = eigSym(H, 2);
  const scale = Math.max(Math.abs(values[0]), Math.abs(values[1]));
  const tol = 1e-12 * Math.max(scale, 1e-300);
  let curvature: Curvature;
  if (scale === 0 || Math.abs(values[0]) <= tol || Math.abs(values[1]) <= tol) curvature = 'singular';
  else if (values[0] > 0) curvature = 'positive-definite';
  else if (values[1] < 0) curvature = 'negative-definite';
  else curvature = 'indefinite';
  let xStar: Float64Array | null = null;
  let fStar = NaN;
  if (curvature !== 'singular') {
    const det = H[0] * H[3] - H[1] * H[2];
    xStar = new Float64Array([-(H[3] * b[0] - H[1] * b[1]) / det, -(H[0] * b[1] - H[2] * b[0]) / det]);
    fStar = quadValue(A, b, xStar[0], xStar[1]);
  }
  return { A, b, H, symmetric: A[1] === A[2], values, vectors, curvature, xStar, fStar };
}

/** A sentence on what the curvature means for minimisation. */
export function curvatureText(q: QuadraticAnalysis): string {
  switch (q.curvature) {
    case 'positive-definite':
      return 'both eigenvalues are positive: f is a bowl with a unique minimum';
    case 'negative-definite':
      return 'both eigenvalues are negative: f is a dome, its stationary point is a maximum and f has no minimum';
    case 'indefinite':
      return 'the eigenvalues have opposite signs: f is a saddle, unbounded below, and its stationary point is not a minimum';
    default:
      return 'an eigenvalue is zero: H is singular, so there is no unique stationary point';
  }
}
