/**
 * Every number chapter 16 states, computed by the course library when the page is built (timings excepted: those
 * were measured once by scripts/measure-hvp-cost.ts and are read from hvp-cost.json, so importing this times nothing).
 *
 * The chapter's prose imports these values instead of typing them, and test/unit/chapters/calc16.test.ts
 * checks them against PyTorch's and SciPy's numbers and against closed forms, so text and code cannot drift.
 */
import { autograd, hvp, objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { eigSym2, solve2 } from '../../../lib/linalg/index.ts';
import { minimize, resolveLbfgsOptions, type Trace } from '../../../lib/optim/index.ts';
import { bfgsExactLineSearch } from './bfgsExact.ts';
import { curvatureAt, rosenbrockGrad2 } from './curvature.ts';
import { cost } from './hvpCost.ts';
import { rOperatorTable } from './rOperator.ts';
import { rosenbrock } from './rosenbrock.ts';

/** The running example, from the reference PyTorch scripts: f(x) = ½xᵀAx + bᵀx. */
export const problem = {
  A: [
    [5, 1],
    [1, 3],
  ],
  b: [-4, 2],
  /** Where the optimizers start. */
  x0: [2.5, -2],
  /** Where the HVP demo evaluates Hv, and the direction v. */
  hvpX: [1.5, -1.2],
  hvpV: [0.6, -1.0],
  sgd: { lr: 0.1, steps: 40 },
  lbfgs: { lr: 1, maxIter: 40, historySize: 10 },
} as const;

/** f(x) = ½xᵀAx + bᵀx as a tensor function, written the way the PyTorch script writes it. */
export function quadraticLoss(A: Tensor, b: Tensor) {
  return (x: Tensor): Tensor => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));
}

const A = tensor(problem.A.map((r) => [...r]));
const b = tensor([...problem.b]);
const f = quadraticLoss(A, b);
const obj = objective(f, 2);
const Aflat = [problem.A[0][0], problem.A[0][1], problem.A[1][0], problem.A[1][1]];

// Hv by double backward, exactly as hvp-demo.ts does it, and by forward-over-reverse.
const xT = tensor([...problem.hvpX], { requiresGrad: true });
const vT = tensor([...problem.hvpV]);
const [gT] = autograd.grad(f(xT), xT, { createGraph: true });
const [HvT] = autograd.grad(gT.dot(vT), xT);
const hvpDoubleBackward = Array.from(HvT.data);
const hvpForwardOverReverse = Array.from(hvp(f, [...problem.hvpX], [...problem.hvpV], { mode: 'forward-over-reverse' }).data);
const directAv = Array.from(A.matmul(vT).data);

// The minimiser solves Ax = −b; the eigenvalues of H = A decide how hard the problem is for gradient descent.
const xStar = Array.from(solve2(Aflat, [-problem.b[0], -problem.b[1]]));
const fStar = obj.value(Float64Array.from(xStar));
const eig = eigSym2(problem.A[0][0], problem.A[0][1], problem.A[1][1]);
const [lambdaMin, lambdaMax] = eig.values;

const dist = (x: ArrayLike<number>) => Math.hypot(x[0] - xStar[0], x[1] - xStar[1]);
const x0 = Float64Array.from(problem.x0);

const newton = minimize(obj, x0, { method: 'newton' });
const newtonCg = minimize(obj, x0, { method: 'newton-cg', cgTol: 1e-12 });
const sgd = minimize(obj, x0, { method: 'sgd', lr: problem.sgd.lr, maxIter: problem.sgd.steps });
const lbfgs = minimize(obj, x0, {
  method: 'lbfgs',
  lr: problem.lbfgs.lr,
  maxIter: problem.lbfgs.maxIter,
  historySize: problem.lbfgs.historySize,
  lineSearchFn: 'strong_wolfe',
});

export { rosenbrock };

/** Where the chapter looks at Rosenbrock's function (an indefinite point), and the direction v used there. */
const fdPoint = { x: [-0.5, 0.8], v: [0.6, -1.0] };

/**
 * The relative error of the central difference (∇f(x + rv) − ∇f(x − rv)) / 2r against the exact Hv, for
 * r = 1, 10⁻¹, …, 10⁻¹², with ∇f from `grad`: truncation error O(r²) on the left of the V, round-off O(ε/r) on
 * the right. The exact Hv is the library's.
 */
function finiteDifferenceStudy(grad: (x: Float64Array) => ArrayLike<number>) {
  const n = 2;
  const x = Float64Array.from(fdPoint.x);
  const v = Float64Array.from(fdPoint.v);
  const exact = objective(rosenbrock, n).hvp(x, v);
  const xp = new Float64Array(n);
  const xm = new Float64Array(n);
  const rows: { r: number; err: number }[] = [];
  for (let k = 0; k <= 12; k++) {
    const r = 10 ** -k;
    for (let i = 0; i < n; i++) {
      xp[i] = x[i] + r * v[i];
      xm[i] = x[i] - r * v[i];
    }
    const gp = Array.from(grad(xp));
    const gm = Array.from(grad(xm));
    const fd = gp.map((g, i) => (g - gm[i]) / (2 * r));
    const err = Math.hypot(fd[0] - exact[0], fd[1] - exact[1]) / Math.hypot(exact[0], exact[1]);
    rows.push({ r, err });
  }
  const best = rows.reduce((a, b) => (b.err < a.err ? b : a));
  const at = (r: number) => {
    const row = rows.find((row) => row.r === r);
    if (!row) throw new RangeError(`finite-difference study: no row for r = ${r}`);
    return row;
  };
  return { exact: Array.from(exact), rows, best, at };
}

const rosObjective = objective(rosenbrock, 2);
const fdAutodiff = finiteDifferenceStudy((x) => rosObjective.grad(x));
const fdHand = finiteDifferenceStudy((x) => rosenbrockGrad2(x[0], x[1]));

/**
 * Power iteration v ← Mv/‖Mv‖ with M = H − σI from HVPs at x; returns the Rayleigh quotient vᵀHv and the
 * number of HVPs, stopping when it changes by less than 1e-12 relatively.
 */
function powerIteration(obj: ReturnType<typeof objective>, x: Float64Array, shift = 0) {
  let v = Float64Array.from({ length: obj.n }, (_, i) => (i === 0 ? 1 : 0));
  let lambda = NaN;
  for (let k = 1; k <= 500; k++) {
    const Hv = obj.hvp(x, v);
    const rq = Hv.reduce((s, h, i) => s + h * v[i], 0);
    const Mv = Hv.map((h, i) => h - shift * v[i]);
    const norm = Math.hypot(...Mv);
    v = Mv.map((m) => m / norm);
    if (Math.abs(rq - lambda) < 1e-12 * Math.abs(rq)) return { lambda: rq, hvps: k };
    lambda = rq;
  }
  throw new Error('power iteration did not converge in 500 HVPs');
}

const curvature = curvatureAt(fdPoint.x, fdPoint.v);
const indefiniteX = Float64Array.from(fdPoint.x);
const newtonIndefinite = minimize(rosObjective, indefiniteX, { method: 'newton' });
const powerTop = powerIteration(rosObjective, indefiniteX);
const powerShifted = powerIteration(rosObjective, indefiniteX, powerTop.lambda);

/** The first accepted iterate after x₀ (row 1 of the trace). */
function firstStep(t: Trace): number[] {
  return [t.iterates.x[2], t.iterates.x[3]];
}

/** A summary of one optimizer run, for the prose. */
function summary(t: Trace) {
  return {
    x: Array.from(t.x),
    error: t.f - fStar,
    distance: dist(t.x),
    iterations: t.iterations,
    evaluations: t.counts.f,
    gradients: t.counts.grad,
    hvps: t.counts.hvp,
    reason: t.reason,
  };
}

// Gradient descent on a quadratic contracts the error along eigenvector i by |1 − lr·λᵢ| per step.
const sgdRate = Math.max(Math.abs(1 - problem.sgd.lr * lambdaMin), Math.abs(1 - problem.sgd.lr * lambdaMax));

/**
 * L-BFGS's first pair: s = x₁ − x₀ and y = ∇f(x₁) − ∇f(x₀), a forward difference of the gradient along s with
 * step 1; on a quadratic it equals As exactly (the secant equation y = Hs holds with H = A).
 */
function secantPair(t: Trace) {
  const x0v = t.iterates.x.slice(0, 2);
  const x1v = t.iterates.x.slice(2, 4);
  const s = [x1v[0] - x0v[0], x1v[1] - x0v[1]];
  const g0 = obj.grad(x0v);
  const g1 = obj.grad(x1v);
  const y = [g1[0] - g0[0], g1[1] - g0[1]];
  const As = Array.from(A.matmul(tensor(s)).data);
  return { s, y, As, ys: y[0] * s[0] + y[1] * s[1] };
}

/**
 * Which of PyTorch's stop tests ended the L-BFGS run. Its trace reports them together, so this rules out the
 * others: the last |Δf| and max|t·d| were above tolerance_change and max|∇f| above tolerance_grad, which leaves
 * the test gᵀd > −tolerance_change on the next direction (a first-order prediction of the next step's change).
 */
function lbfgsStop(t: Trace) {
  const o = resolveLbfgsOptions({});
  const k = t.iterations;
  const lastChange = Math.abs(t.iterates.f[k] - t.iterates.f[k - 1]);
  let stepMax = 0;
  for (let i = 0; i < 2; i++) stepMax = Math.max(stepMax, Math.abs(t.iterates.x[2 * k + i] - t.iterates.x[2 * (k - 1) + i]));
  const gradMax = Math.max(...Array.from(obj.grad(t.x), Math.abs));
  const others = lastChange < o.toleranceChange || stepMax <= o.toleranceChange || gradMax <= o.toleranceGrad || k >= problem.lbfgs.maxIter;
  return {
    lastChange,
    stepMax,
    gradMax,
    test: others ? 'other' : 'directional-derivative',
    /** Step length t of each iteration, and how many line-search evaluations it took. */
    steps: Array.from(t.iterates.step.slice(1)),
    trials: Array.from(t.iterates.inner.slice(1)),
  };
}

export const facts = {
  problem,
  hvp: { doubleBackward: hvpDoubleBackward, forwardOverReverse: hvpForwardOverReverse, direct: directAv },
  quadratic: {
    xStar,
    fStar,
    lambdaMin,
    lambdaMax,
    condition: lambdaMax / lambdaMin,
    /** The ratio of the longest to the shortest axis of a level set: √κ. */
    axisRatio: Math.sqrt(lambdaMax / lambdaMin),
    /** The eigenvalues in closed form: (a + c)/2 ± √(((a − c)/2)² + b²) = 4 ± √2 for the example's A. */
    eigenCentre: (problem.A[0][0] + problem.A[1][1]) / 2,
    eigenRadiusSquared: ((problem.A[0][0] - problem.A[1][1]) / 2) ** 2 + problem.A[0][1] ** 2,
  },
  newton: { ...summary(newton), firstStep: firstStep(newton), firstStepDistance: dist(firstStep(newton)) },
  newtonCg: { ...summary(newtonCg), firstStepDistance: dist(firstStep(newtonCg)) },
  sgd: { ...summary(sgd), rate: sgdRate, lrLimit: 2 / lambdaMax },
  lbfgs: { ...summary(lbfgs), toleranceChange: resolveLbfgsOptions({}).toleranceChange, secant: secantPair(lbfgs), stop: lbfgsStop(lbfgs) },
  bfgsExact: bfgsExactLineSearch({ A: problem.A, b: problem.b, x0: problem.x0 }),
  finiteDifference: { ...fdPoint, ...fdAutodiff, hand: fdHand },
  /** The Rosenbrock point where H is indefinite: H by hand, curvature along v, Newton there. */
  indefinite: {
    ...curvature,
    newtonRun: { ...summary(newtonIndefinite), notPositiveDefinite: newtonIndefinite.counts.notPositiveDefinite, tau: newtonIndefinite.iterates.tau[1] },
    power: { top: powerTop, shifted: powerShifted },
  },
  rOperator: rOperatorTable(fdPoint.x, fdPoint.v),
  cost,
  /** Bytes to store a dense float64 Hessian of a model with a million parameters. */
  hessianBytesMillion: 8 * 1e6 ** 2,
};
