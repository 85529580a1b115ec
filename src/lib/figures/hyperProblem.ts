/**
 * Hypergradients on chapter 16's matrix: f(x) = ½xᵀAx + bᵀx with A = [[5, 1], [1, 3]], b = (1, −1), a
 * validation loss V(x) = ½(x − c)ᵀB(x − c), and SGD steps x ← x − η∇f(x) kept on the tape.
 */
import { grad, tensor, type Tensor } from '../autodiff/index.ts';
import { eigSym2 } from '../linalg/index.ts';
import { sgdStep, unroll } from '../meta/index.ts';

export const hyperProblem = {
  A: [
    [5, 1],
    [1, 3],
  ],
  b: [1, -1],
  /** The validation loss's curvature and centre (the PyTorch fixtures use the same). */
  valB: [
    [2, 0.5],
    [0.5, 1],
  ],
  valC: [-0.5, 0.5],
  x0: [1, 1],
} as const;

const A = tensor(hyperProblem.A.map((r) => [...r]));
const b = tensor([...hyperProblem.b]);
const B = tensor(hyperProblem.valB.map((r) => [...r]));
const c = tensor([...hyperProblem.valC]);

/** f(x) = ½xᵀAx + bᵀx, the training loss. */
export const trainLoss = (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
/** V(x) = ½(x − c)ᵀB(x − c), the validation loss. */
export const valLoss = (x: Tensor): Tensor => {
  const d = x.sub(c);
  return d.matmul(B).dot(d).mul(0.5);
};

const [lambdaMin, lambdaMax] = eigSym2(5, 1, 3).values;
export const spectrum = { lambdaMin, lambdaMax, lrLimit: 2 / lambdaMax };

/** V(x_T(η)) after T SGD steps from x₀, as a function of η; `truncate` keeps only the last K steps on the tape. */
export function unrolledVal(options: { steps: number; truncate?: number; loss?: (x: Tensor) => Tensor }) {
  const { steps, truncate, loss = valLoss } = options;
  return (eta: Tensor): Tensor =>
    loss(unroll({ optimizer: sgdStep({ lr: eta }), loss: trainLoss, x0: [...hyperProblem.x0], steps, ...(truncate === undefined ? {} : { truncate }) }).x);
}

/** dV/dη and V after T steps, by reverse mode through the unrolled loop. */
export function hypergradient(eta: number, steps: number, truncate?: number) {
  const V = unrolledVal({ steps, truncate });
  return { eta, steps, truncate, value: V(tensor(eta)).item(), dEta: grad(V)(eta).item() };
}

/**
 * One step on f itself: φ(η) = f(x₀ − ηg) = f(x₀) − η gᵀg + ½η² gᵀAg, so φ'(η) = −gᵀg + η gᵀAg (the library's
 * value is compared with this), vanishing at the exact line-search step η* = gᵀg / gᵀAg.
 */
export function oneStep(eta: number) {
  const x0 = tensor([...hyperProblem.x0]);
  const g = grad(trainLoss)(x0);
  const gg = g.dot(g).item();
  const gHg = g.matmul(A).dot(g).item();
  const phi = (e: Tensor) => trainLoss(x0.sub(g.mul(e)));
  const x1 = x0.sub(g.mul(eta));
  // The VJP of the step x ↦ x − η∇f(x) with cotangent u is u − ηHu: one HVP.
  const u = grad(trainLoss)(x1);
  const vjpOfStep = u.sub(u.matmul(A).mul(eta));
  return {
    g: Array.from(g.data),
    gg,
    gHg,
    etaStar: gg / gHg,
    dPhi: grad(phi)(eta).item(),
    dPhiClosed: -gg + eta * gHg,
    /** Baydin et al.'s form of the same number: −∇f(x₁)ᵀ∇f(x₀). */
    dPhiBaydin: -u.dot(g).item(),
    d2Phi: grad(grad(phi))(eta).item(),
    vjpOfStep: Array.from(vjpOfStep.data),
    dX0: Array.from(grad((x: Tensor) => trainLoss(x.sub(grad(trainLoss)(x).mul(eta))))(x0).data),
  };
}

/** Gradient descent on η itself: η ← η − β φ'(η), with φ'(η) by differentiating through the step. */
export function hypergradientDescent(options: { eta0: number; beta: number; iterations: number }) {
  const x0 = tensor([...hyperProblem.x0]);
  const g = grad(trainLoss)(x0);
  const dPhi = grad((e: Tensor) => trainLoss(x0.sub(g.mul(e))));
  const etas = [options.eta0];
  for (let k = 0; k < options.iterations; k++) etas.push(etas[k] - options.beta * dPhi(etas[k]).item());
  return etas;
}

/**
 * Online hypergradient descent (Baydin et al. 2018): η_t = η_{t−1} + β ∇f(x_t)ᵀ∇f(x_{t−1}), then
 * x_{t+1} = x_t − η_t ∇f(x_t). Returns the learning rates and losses along the way.
 */
export function onlineHypergradient(options: { eta0: number; beta: number; steps: number }) {
  let x = tensor([...hyperProblem.x0]);
  let gPrev = tensor([0, 0]);
  let eta = options.eta0;
  const etas: number[] = [];
  const losses: number[] = [trainLoss(x).item()];
  for (let t = 0; t < options.steps; t++) {
    const g = grad(trainLoss)(x);
    eta += options.beta * g.dot(gPrev).item();
    etas.push(eta);
    x = x.sub(g.mul(eta));
    losses.push(trainLoss(x).item());
    gPrev = g;
  }
  return { etas, losses, x: Array.from(x.data) };
}
