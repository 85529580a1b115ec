/**
 * Every number chapter 17 states, computed by the course library when the page is built; nothing here is timed.
 * test/unit/chapters/calc17.test.ts checks them against closed forms and PyTorch's numbers (test/fixtures/meta.json).
 */
import { grad, hessian, hvp, jacrev, jvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { eigSym } from '../../../lib/linalg/index.ts';
import { facts as chapter16 } from '../calc-16-hessian-vector/facts.ts';
import { hypergradient, hypergradientDescent, hyperProblem, onlineHypergradient, oneStep, spectrum } from './hyper.ts';
import { closedForm, firstOrderGrad, mamlGrad, mamlGradByHvp, mamlProblem, metaLoss, metaTrain, reptileDirection } from './mamlQuadratic.ts';
import { gaussNewtonProduct, halfMseHvp, mlpLoss, mlpPredict } from './mlp.ts';
import { naiveDerivative, NaiveDual } from './naiveDual.ts';
import { ridgeClosedForm, ridgeImplicit, ridgeInfluence, ridgeLambdaMax, ridgeUnrolled, tuneRidge } from './ridge.ts';

// ---- 1. Nested transforms ----
/** Rosenbrock's function, chapter 16's point and direction. */
const rosenbrock = (x: Tensor) => {
  const h = x.slice(0, -1);
  return x.slice(1).sub(h.pow(2)).pow(2).mul(100).add(h.neg().add(1).pow(2)).sum();
};
const point = { x: [-0.5, 0.8], v: [0.6, -1.0] };
const along = (f: (x: Tensor) => Tensor) => (x: Tensor) => jvp(f, x, point.v)[1];
const d1 = along(rosenbrock);
const d2 = along(d1);
const d3 = along(d2);
const d4Vector = jvp((z: Tensor) => jvp((w: Tensor) => hvp(rosenbrock, w, point.v), z, point.v)[1], point.x, point.v)[1];
const d3Reverse = grad((z: Tensor) => grad((w: Tensor) => grad(rosenbrock)(w).dot(tensor(point.v)))(z).dot(tensor(point.v)))(point.x);
const hvNorm = Math.hypot(...chapter16.finiteDifference.exact);
const d4Norm = Math.hypot(...d4Vector.data);

/** The scalar example: f(x) = x³ sin x, and f', f'', f''' at x = 1 by grad∘grad∘grad. */
const scalarF = (x: Tensor) => x.pow(3).mul(x.sin());
const scalarAt = 1;

const nested = {
  point,
  d1: d1(tensor(point.x)).item(),
  d2: d2(tensor(point.x)).item(),
  d3: d3(tensor(point.x)).item(),
  d3Reverse: Array.from(d3Reverse.data),
  d4Vector: Array.from(d4Vector.data),
  /** Chapter 16's central difference of ∇f has error (r²/6)·D⁴f[v, v, v, ·]; relative to ‖Hv‖ at r = 10⁻²: */
  predictedRelErr: (r: number) => ((r * r) / 6) * (d4Norm / hvNorm),
  measuredRelErr: (r: number) => chapter16.finiteDifference.at(r).err,
  scalar: {
    at: scalarAt,
    values: [scalarF, grad(scalarF), grad(grad(scalarF)), grad(grad(grad(scalarF)))].map((g) => g(tensor(scalarAt)).item()),
  },
};

// ---- Perturbation confusion: d/dx [x · d/dy (x + y)] = 1 ----
const confusion = {
  library: grad((x: Tensor) => x.mul(grad((y: Tensor) => x.add(y))(1)))(1).item(),
  libraryForward: jvp((x: Tensor) => x.mul(jvp((y: Tensor) => x.add(y), 1, 1)[1]), 1, 1)[1].item(),
  naive: naiveDerivative((x: NaiveDual) => x.mul(naiveDerivative((y: NaiveDual) => x.add(y))(1)))(1),
};

// ---- 2–3. One step, T steps ----
const etaHd = { eta0: 0.05, beta: 0.002, iterations: 20 };
const hdEtas = hypergradientDescent(etaHd);
const online = onlineHypergradient({ eta0: 0.01, beta: 0.001, steps: 30 });
const unrolledCases = [0.1, 0.4].flatMap((eta) => [1, 5, 50].map((T) => hypergradient(eta, T)));
const truncation = { eta: 0.05, steps: 20, full: hypergradient(0.05, 20).dEta, truncated: [1, 2, 5, 10].map((K) => ({ K, dEta: hypergradient(0.05, 20, K).dEta })) };
const blowUp = { eta: 0.38, short: hypergradient(0.38, 10), long: hypergradient(0.38, 40) };

// ---- 4. MAML on quadratics ----
const probeTheta = tensor([0.3, -0.2]);
const trained = {
  maml: metaTrain(mamlGrad, { lr: mamlProblem.metaLr, iterations: mamlProblem.iterations }),
  firstOrder: metaTrain(firstOrderGrad, { lr: mamlProblem.metaLr, iterations: mamlProblem.iterations }),
  reptile: metaTrain(reptileDirection, { lr: 1, iterations: mamlProblem.iterations }),
};
const maml = {
  problem: mamlProblem,
  closedForm,
  trained,
  metaLossAt: Object.fromEntries(Object.entries(closedForm).map(([k, th]) => [k, metaLoss(tensor(th)).item()])) as Record<keyof typeof closedForm, number>,
  probe: { theta: Array.from(probeTheta.data), maml: Array.from(mamlGrad(probeTheta).data), byHvp: Array.from(mamlGradByHvp(probeTheta).data), firstOrder: Array.from(firstOrderGrad(probeTheta).data) },
};

// ---- 5. Implicit differentiation: ridge ----
const lam0 = 1;
/** The unrolled runs step with η = 0.08, below 2/λmax(XᵀX + λI). */
const ridgeEta = 0.08;
const ridgeLmax = ridgeLambdaMax(lam0);
const tuned = tuneRidge({ lam0: 0.1, lr: 0.5, iterations: 40 });
const ridge = {
  lam: lam0,
  closed: ridgeClosedForm(lam0),
  implicit: ridgeImplicit(lam0),
  eta: ridgeEta,
  lambdaMax: ridgeLmax,
  unrolled: [10, 30, 100, 300].map((T) => ({ T, dVdLam: ridgeUnrolled(lam0, { eta: ridgeEta, steps: T }) })),
  cgPartial: [1, 2].map((k) => ({ k, dVdLam: ridgeImplicit(lam0, k).dVdLam })),
  tuned: { lam0: 0.1, lr: 0.5, lam: tuned[tuned.length - 1], iterations: tuned.length - 1, closed: ridgeClosedForm(tuned[tuned.length - 1]) },
  influence: ridgeInfluence(lam0),
};

// ---- 6. Gauss-Newton against the Hessian on a small tanh network ----
const gnSetup = (() => {
  const k = 8;
  const hidden = 4;
  const xs = Array.from({ length: k }, (_, i) => -5 + (10 * i) / (k - 1));
  const X = tensor(xs.map((x) => [x]));
  const y = tensor(xs.map((x) => 1.5 * Math.sin(x + 0.3)));
  const theta = tensor(Array.from({ length: 3 * hidden + 1 }, (_, j) => 0.8 * Math.sin(3 * j + 1)));
  const v = tensor(Array.from({ length: 3 * hidden + 1 }, (_, j) => Math.cos(2 * j)));
  return { k, hidden, X, y, theta, v };
})();
const gaussNewton = (() => {
  const { k, hidden, X, y, theta, v } = gnSetup;
  const n = theta.size;
  const Gv = gaussNewtonProduct(X, y, hidden, theta, v);
  const Hv = halfMseHvp(X, y, hidden, theta, v);
  const J = jacrev((t: Tensor) => mlpPredict(t, X, hidden).sub(y))(theta);
  const JtJv = J.transpose().matmul(J.matmul(v)).div(k);
  const H = hessian((t: Tensor) => mlpLoss(X, y, hidden)(t).mul(0.5))(theta);
  const G = J.transpose().matmul(J).div(k);
  const ev = (M: Tensor) => eigSym(Float64Array.from(M.data), n).values;
  return {
    n,
    vGv: Gv.dot(v).item(),
    vHv: Hv.dot(v).item(),
    gvMatchesDense: Math.max(...Array.from(Gv.data, (g, i) => Math.abs(g - JtJv.data[i]))),
    hMin: Math.min(...ev(H)),
    gMin: Math.min(...ev(G)),
  };
})();

export const facts = {
  nested,
  confusion,
  hyper: {
    problem: hyperProblem,
    spectrum,
    oneStep: oneStep(0.1),
    hd: { ...etaHd, etas: hdEtas, final: hdEtas[hdEtas.length - 1] },
    online: { eta0: 0.01, beta: 0.001, steps: 30, finalEta: online.etas[online.etas.length - 1], finalLoss: online.losses[online.losses.length - 1], fStar: -0.5 * (1 * (3 * 1 - 1 * -1) + -1 * (5 * -1 - 1 * 1)) / 14 },
    unrolled: unrolledCases,
    truncation,
    blowUp: { ...blowUp, rate: Math.abs(1 - blowUp.eta * spectrum.lambdaMax) },
  },
  maml,
  ridge,
  gaussNewton,
};
