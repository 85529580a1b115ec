// Checks for exercise 7: conjugateGradients(applyA, b) solves the chapter's Newton system, and any SPD system, in
// few products.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { choleskyFactor, choleskySolve } from '../../../lib/linalg/index.ts';
import { defineChecks, type CheckContext } from '../../../lib/live/exercise/checks.ts';
import { call, copy, exportedFunction, fail, norm, num, pass, relativeError, scaled, vector, zeros, type Verdict } from '../../../lib/live/exercise/kit.ts';

/** A dense symmetric system Ax = b with its solution. */
interface System {
  n: number;
  A: Float64Array;
  b: Float64Array;
  x: Float64Array;
}

interface Data {
  newton: System;
  /** 8×8, eigenvalues 1, 10 and 100 only: CG ends in three products in exact arithmetic. */
  clustered: System;
}

/** The chapter's logistic regression at w, with H formed from n HVPs (the check's own copy of it). */
function newtonSystem(): System {
  const X = tensor([[1, 0.5, -1.2, 0.3, 2], [0.2, -1, 0.7, 1.1, -0.4], [-0.8, 0.3, 0.5, -1.5, 0.9], [1.3, 1.2, -0.3, 0.4, -1],
    [-0.5, -0.7, 1.4, 0.2, 0.6], [0.9, -0.2, -0.6, -0.9, 1.2], [0.1, 1.6, 0.8, -0.3, -0.7], [-1.1, 0.4, -0.9, 1, 0.3]]);
  const y = tensor([1, 0, 1, 1, 0, 1, 0, 0]);
  const f = objective((w: Tensor) => {
    const z = X.matmul(w);
    return z.softplus().sub(y.mul(z)).mean().add(w.dot(w).mul(0.05));
  }, 5);
  const w = new Float64Array([0.3, -0.2, 0.5, 0.1, -0.4]);
  const n = 5;
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    f.hvp(w, e).forEach((h, i) => (A[i * n + j] = h));
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i] = (A[i * n + j] + A[j * n + i]) / 2;
  const b = f.grad(w).map((gi) => -gi);
  return { n, A, b, x: solve(A, n, b) };
}

/** Q·diag(λ)·Qᵀ with the Householder reflection Q = I − 2uuᵀ/uᵀu. */
function clusteredSystem(): System {
  const lambda = [1, 1, 1, 10, 10, 100, 100, 100];
  const u = [0.3, -1, 0.7, 0.2, -0.5, 0.9, 0.4, -0.6];
  const n = lambda.length;
  const uu = u.reduce((s, ui) => s + ui * ui, 0);
  const Q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = lambda.reduce((s, l, k) => s + Q(i, k) * l * Q(j, k), 0);
  const b = Float64Array.from({ length: n }, (_, i) => Math.cos(i + 0.5));
  return { n, A, b, x: solve(A, n, b) };
}

function solve(A: Float64Array, n: number, b: Float64Array): Float64Array {
  const c = choleskyFactor(A, n);
  if (!c.ok) throw new Error('exercise-cg checks: the system is not positive definite');
  return choleskySolve(c.L, n, b);
}

/**
 * The reader's conjugateGradients on a system, through an operator that counts its calls (plain loops only: this
 * runs after the reader's code).
 */
function solveWithReaders(exports: unknown, s: System, what: string): { x: Float64Array; products: number } {
  const cg = exportedFunction(exports, 'conjugateGradients');
  let products = 0;
  const n = s.n;
  const A = s.A;
  const apply = (d: unknown) => {
    products++;
    const v = vector(d, n, 'the vector your loop passed to applyA');
    const out = zeros(n);
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let j = 0; j < n; j++) t += A[i * n + j] * v[j];
      out[i] = t;
    }
    return out;
  };
  const x = vector(call(cg, [apply, copy(s.b)], what), n, what);
  return { x, products };
}

/** residual(s, x) = ‖Ax − b‖ / ‖b‖. */
function residual(s: System, x: Float64Array): number {
  const r = zeros(s.n);
  for (let i = 0; i < s.n; i++) {
    let t = -s.b[i];
    for (let j = 0; j < s.n; j++) t += s.A[i * s.n + j] * x[j];
    r[i] = t;
  }
  return norm(r) / norm(s.b);
}

/** Why x is not the solution, in the reader's terms. */
function diagnose(s: System, x: Float64Array, products: number): Verdict {
  if (norm(x) === 0) return fail('The result is still zero: the loop never updated x.');
  if (relativeError(x, scaled(s.x, -1)) <= 1e-6) return fail('Your x solves Ax = −b: the residual starts as r = b − A·0 = b, not −b.');
  return fail(`‖Ax − b‖ / ‖b‖ = ${num(residual(s, x), 2)} after ${products} products: check α = rᵀr / dᵀAd and the updates x += αd, r −= αAd.`);
}

function judgeNewton({ exports, data }: CheckContext<Data>): Verdict {
  const { x, products } = solveWithReaders(exports, data.newton, 'conjugateGradients(applyH, −g)');
  if (relativeError(x, data.newton.x) > 1e-8) return diagnose(data.newton, x, products);
  return pass(`‖Hp + g‖ / ‖g‖ = ${num(residual(data.newton, x), 1)}.`);
}

function judgeProducts({ exports, data }: CheckContext<Data>): Verdict {
  const s = data.newton;
  const { x, products } = solveWithReaders(exports, s, 'conjugateGradients(applyH, −g)');
  if (relativeError(x, s.x) > 1e-8) return fail('The Newton system is not solved yet (see above), so the number of products says nothing.');
  if (products > s.n + 1)
    return fail(`It used ${products} products for n = ${s.n}: in exact arithmetic CG needs at most n. Keep the directions conjugate: d = r + βd with β = r_newᵀr_new / r_oldᵀr_old.`);
  return pass(`${products} products for n = ${s.n}.`);
}

function judgeClustered({ exports, data }: CheckContext<Data>): Verdict {
  const s = data.clustered;
  const { x, products } = solveWithReaders(exports, s, 'conjugateGradients on a second system');
  if (relativeError(x, s.x) > 1e-8) {
    if (products > 5) return fail(`On a system with eigenvalues 1, 10 and 100 it used ${products} products without converging: that is steepest descent's pace. Is d updated as r + βd?`);
    return fail(`It did not solve a second system (relative error ${num(relativeError(x, s.x), 2)}): does your function use its arguments applyA and b, not the chapter's f and g?`);
  }
  if (products > 5) return fail(`It solved a system with three distinct eigenvalues but took ${products} products; CG needs three (a few more in floating point).`);
  return pass(`${products} products for three distinct eigenvalues.`);
}

export default defineChecks<Data>({
  title: 'Conjugate gradients from HVPs',
  prepare: () => ({ newton: newtonSystem(), clustered: clusteredSystem() }),
  checks: [
    { label: 'conjugateGradients(applyH, −g) solves the Newton system Hp = −g', run: judgeNewton },
    { label: 'it needs at most n + 1 Hessian-vector products for n = 5', run: judgeProducts },
    { label: 'it solves any positive definite system through applyA (three distinct eigenvalues: a few products)', run: judgeClustered },
  ],
});
