/**
 * MAML on a family of quadratics Lᵢ(θ) = ½(θ − cᵢ)ᵀAᵢ(θ − cᵢ), one inner step θ'ᵢ = θ − α∇Lᵢ(θ), and the meta-loss
 * M(θ) = meanᵢ Lᵢ(θ'ᵢ). With Pᵢ = I − αAᵢ (which commutes with Aᵢ) every method's fixed point has a closed form:
 *   MAML:        Σ PᵢAᵢPᵢ(θ − cᵢ) = 0   (the meta-gradient is Pᵢ∇Lᵢ(θ'ᵢ) = PᵢAᵢPᵢ(θ − cᵢ))
 *   first-order: Σ AᵢPᵢ(θ − cᵢ) = 0     (∇Lᵢ(θ'ᵢ) alone)
 *   Reptile (k inner steps): Σ (I − Pᵢᵏ)(θ − cᵢ) = 0   (θ̃ᵢ − θ = −(I − Pᵢᵏ)(θ − cᵢ))
 */
import { grad, hvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

export const mamlProblem = {
  alpha: 0.1,
  reptileSteps: 5,
  tasks: [
    { A: [[4, 0], [0, 1]], c: [1, 0] },
    { A: [[1, 0], [0, 4]], c: [0, 1] },
    { A: [[3, 1], [1, 2]], c: [-1, -1] },
  ],
  theta0: [0, 0],
  metaLr: 0.2,
  iterations: 300,
} as const;

type Mat = number[][];
const mat = (m: readonly (readonly number[])[]): Mat => m.map((r) => [...r]);
const mul = (a: Mat, b: Mat): Mat => a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
const sub = (a: Mat, b: Mat): Mat => a.map((r, i) => r.map((x, j) => x - b[i][j]));
const eye: Mat = [
  [1, 0],
  [0, 1],
];
const mv = (a: Mat, v: number[]) => a.map((r) => r[0] * v[0] + r[1] * v[1]);

/** Solves (Σ Mᵢ)θ = Σ Mᵢcᵢ for 2 × 2 matrices Mᵢ. */
function fixedPoint(M: (A: Mat) => Mat): number[] {
  let S = [
    [0, 0],
    [0, 0],
  ];
  const r = [0, 0];
  for (const t of mamlProblem.tasks) {
    const Mi = M(mat(t.A));
    S = S.map((row, i) => row.map((x, j) => x + Mi[i][j]));
    const m = mv(Mi, [...t.c]);
    r[0] += m[0];
    r[1] += m[1];
  }
  const det = S[0][0] * S[1][1] - S[0][1] * S[1][0];
  return [(S[1][1] * r[0] - S[0][1] * r[1]) / det, (S[0][0] * r[1] - S[1][0] * r[0]) / det];
}

const P = (A: Mat) => sub(eye, A.map((r) => r.map((x) => mamlProblem.alpha * x)));
const power = (A: Mat, k: number) => Array.from({ length: k }).reduce<Mat>((acc) => mul(acc, A), eye);

export const closedForm = {
  maml: fixedPoint((A) => mul(mul(P(A), A), P(A))),
  firstOrder: fixedPoint((A) => mul(A, P(A))),
  reptile: fixedPoint((A) => sub(eye, power(P(A), mamlProblem.reptileSteps))),
  /** Joint training: the minimiser of meanᵢ Lᵢ(θ), no adaptation. */
  joint: fixedPoint((A) => A),
};

const losses = mamlProblem.tasks.map((t) => {
  const A = tensor(mat(t.A));
  const c = tensor([...t.c]);
  return (x: Tensor) => {
    const d = x.sub(c);
    return d.matmul(A).dot(d).mul(0.5);
  };
});
const alpha = mamlProblem.alpha;

/** M(θ) = meanᵢ Lᵢ(θ − α∇Lᵢ(θ)): the loss after one step of adaptation, averaged over the tasks. */
export const metaLoss = (theta: Tensor): Tensor =>
  losses.map((L) => L(theta.sub(grad(L)(theta).mul(alpha)))).reduce((a, b) => a.add(b)).div(losses.length);

/** The MAML meta-gradient ∇M, by differentiating through the inner step. */
export const mamlGrad = grad(metaLoss);

/** The same meta-gradient written as meanᵢ (I − αHᵢ)∇Lᵢ(θ'ᵢ): one gradient and one HVP per task. */
export function mamlGradByHvp(theta: Tensor): Tensor {
  return losses
    .map((L) => {
      const gVal = grad(L)(theta.sub(grad(L)(theta).mul(alpha)));
      return gVal.sub(hvp(L, theta, gVal).mul(alpha));
    })
    .reduce((a, b) => a.add(b))
    .div(losses.length);
}

/** First-order MAML: meanᵢ ∇Lᵢ(θ'ᵢ), the inner gradient treated as a constant. */
export function firstOrderGrad(theta: Tensor): Tensor {
  return losses
    .map((L) => grad(L)(theta.sub(grad(L)(theta.detach()).mul(alpha))))
    .reduce((a, b) => a.add(b))
    .div(losses.length);
}

/** Reptile's step direction: meanᵢ (θ − θ̃ᵢ), with θ̃ᵢ after k SGD steps of size α on task i. */
export function reptileDirection(theta: Tensor): Tensor {
  return losses
    .map((L) => {
      let x = theta;
      for (let k = 0; k < mamlProblem.reptileSteps; k++) x = x.sub(grad(L)(x).mul(alpha));
      return theta.sub(x);
    })
    .reduce((a, b) => a.add(b))
    .div(losses.length);
}

/** θ ← θ − β·direction(θ), `iterations` times from θ₀. */
export function metaTrain(direction: (theta: Tensor) => Tensor, options: { lr: number; iterations: number }): number[] {
  let theta = tensor([...mamlProblem.theta0]);
  for (let k = 0; k < options.iterations; k++) theta = theta.sub(direction(theta).mul(options.lr));
  return Array.from(theta.data);
}
