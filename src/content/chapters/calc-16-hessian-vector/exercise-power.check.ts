// Checks for exercise 5: powerIteration(applyH, v0) finds the eigenvalue of largest magnitude and its eigenvector.
import { eigSym } from '../../../lib/linalg/index.ts';
import { defineChecks, type CheckContext } from '../../../lib/live/exercise/checks.ts';
import { absolute, call, copy, cosine, exportedFunction, fail, finiteNumber, near, norm, num, pass, property, vector, zeros, type Verdict } from '../../../lib/live/exercise/kit.ts';

/** A dense symmetric matrix with its eigenvalues (ascending) and the unit eigenvector of largest |λ|. */
interface Matrix {
  n: number;
  H: Float64Array;
  values: Float64Array;
  top: number;
  topVector: Float64Array;
  v0: Float64Array;
}

interface Data {
  /** The running example's Hessian, A = [[5, 1], [1, 3]]. */
  chapter: Matrix;
  /** 3×3 with eigenvalues −6, 2, 1: the largest in magnitude is negative. */
  negative: Matrix;
}

function matrix(H: number[][], v0: number[]): Matrix {
  const n = H.length;
  const flat = Float64Array.from(H.flat());
  const { values, vectors } = eigSym(flat, n);
  const j = Math.abs(values[0]) > Math.abs(values[n - 1]) ? 0 : n - 1;
  return { n, H: flat, values, top: values[j], topVector: Float64Array.from({ length: n }, (_, i) => vectors[i * n + j]), v0: Float64Array.from(v0) };
}

/** Q·diag(λ)·Qᵀ with the Householder reflection Q = I − 2uuᵀ/uᵀu. */
function reflected(lambda: number[], u: number[]): number[][] {
  const uu = u.reduce((s, ui) => s + ui * ui, 0);
  const Q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
  return lambda.map((_, i) => lambda.map((_, j) => lambda.reduce((s, l, k) => s + Q(i, k) * l * Q(j, k), 0)));
}

/** The reader's powerIteration on a matrix, through an operator built of plain loops (it runs after their code). */
function iterate(exports: unknown, m: Matrix, what: string): { lambda: number; v: Float64Array } {
  const fn = exportedFunction(exports, 'powerIteration');
  const apply = (u: unknown) => {
    const x = vector(u, m.n, 'the vector your loop passed to applyH');
    const out = zeros(m.n);
    for (let i = 0; i < m.n; i++) for (let j = 0; j < m.n; j++) out[i] += m.H[i * m.n + j] * x[j];
    return out;
  };
  const result = call(fn, [apply, copy(m.v0)], what);
  return { lambda: finiteNumber(property(result, 'lambda', what), `${what}.lambda`), v: vector(property(result, 'v', what), m.n, `${what}.v`) };
}

function judgeLambda({ exports, data }: CheckContext<Data>): Verdict {
  const m = data.chapter;
  const { lambda } = iterate(exports, m, 'powerIteration(applyH, [1, 0])');
  if (near(lambda, m.top, 1e-9)) return pass(`λ = ${num(lambda, 12)}.`);
  if (near(lambda, m.values[0], 1e-6)) return fail(`λ = ${num(lambda)} is the smallest eigenvalue: v ← Hv / ‖Hv‖ turns v towards the eigenvector of the largest.`);
  if (near(lambda, m.top * m.top, 1e-6)) return fail(`λ = ${num(lambda)} is λmax²: the Rayleigh quotient is vᵀHv with a unit v, not ‖Hv‖² or vᵀH²v.`);
  return fail(`λ = ${num(lambda)} is not the largest eigenvalue of H (relative error ${num(absolute(lambda - m.top) / absolute(m.top), 2)}): is the loop stopping before λ settles?`);
}

function judgeVector({ exports, data }: CheckContext<Data>): Verdict {
  const m = data.chapter;
  const { v } = iterate(exports, m, 'powerIteration(applyH, [1, 0])');
  const length = norm(v);
  if (!near(length, 1, 1e-9)) return fail(`‖v‖ = ${num(length)}: return the unit vector Hv / ‖Hv‖.`);
  const c = absolute(cosine(v, m.topVector));
  if (c < 1 - 1e-9) return fail(`v is ${num(c, 6)} aligned with the top eigenvector (cosine); it should be 1 to nine digits.`);
  return pass('v is the unit eigenvector of λmax (up to sign).');
}

function judgeNegative({ exports, data }: CheckContext<Data>): Verdict {
  const m = data.negative;
  const { lambda } = iterate(exports, m, 'powerIteration on a second Hessian');
  if (near(lambda, m.top, 1e-8)) return pass('It converged to the negative eigenvalue of largest magnitude.');
  if (near(lambda, -m.top, 1e-6)) return fail(`λ = ${num(lambda)} has the wrong sign: ‖Hv‖ is |λ|; the Rayleigh quotient vᵀHv keeps the sign.`);
  return fail(`λ = ${num(lambda)} on a Hessian whose eigenvalue of largest magnitude is negative (relative error ${num(absolute(lambda - m.top) / absolute(m.top), 2)}).`);
}

export default defineChecks<Data>({
  title: 'Curvature without the matrix',
  prepare: () => ({
    chapter: matrix([[5, 1], [1, 3]], [1, 0]),
    negative: matrix(reflected([-6, 2, 1], [0.4, -1, 0.7]), [1, 0, 0]),
  }),
  checks: [
    { label: 'λ is the largest eigenvalue of the running example’s Hessian', run: judgeLambda },
    { label: 'v is its unit eigenvector', run: judgeVector },
    { label: 'a negative eigenvalue of largest magnitude keeps its sign', run: judgeNegative },
  ],
});
