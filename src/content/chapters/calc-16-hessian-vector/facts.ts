/**
 * Every number chapter 16 states, computed by the course library when the page is built.
 *
 * The chapter's prose imports these values instead of typing them, and test/unit/chapters/calc16.test.ts
 * checks them against PyTorch's and SciPy's numbers and against closed forms, so text and code cannot drift.
 */
import { autograd, hvp, objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { eigSym2, solve2 } from '../../../lib/linalg/index.ts';
import { minimize, resolveLbfgsOptions, type Trace } from '../../../lib/optim/index.ts';

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

/** Rosenbrock's function, f(x) = Σ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², in one line of the library. */
export function rosenbrock(x: Tensor): Tensor {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

/**
 * The relative error of the central difference (∇f(x + rv) − ∇f(x − rv)) / 2r against the exact Hv, for
 * r = 1, 10⁻¹, …, 10⁻¹²: truncation error O(r²) on the left of the V, round-off O(ε/r) on the right.
 */
function finiteDifferenceStudy() {
  const n = 2;
  const ros = objective(rosenbrock, n);
  const x = Float64Array.from(fdPoint.x);
  const v = Float64Array.from(fdPoint.v);
  const exact = ros.hvp(x, v);
  const xp = new Float64Array(n);
  const xm = new Float64Array(n);
  const rows: { r: number; err: number }[] = [];
  for (let k = 0; k <= 12; k++) {
    const r = 10 ** -k;
    for (let i = 0; i < n; i++) {
      xp[i] = x[i] + r * v[i];
      xm[i] = x[i] - r * v[i];
    }
    const gp = ros.grad(xp);
    const gm = ros.grad(xm);
    const fd = Array.from(gp, (g, i) => (g - gm[i]) / (2 * r));
    const err = Math.hypot(fd[0] - exact[0], fd[1] - exact[1]) / Math.hypot(exact[0], exact[1]);
    rows.push({ r, err });
  }
  const best = rows.reduce((a, b) => (b.err < a.err ? b : a));
  return { exact: Array.from(exact), rows, best, at: (r: number) => rows.find((row) => row.r === r)! };
}
const fdPoint = { x: [-0.5, 0.8], v: [0.6, -1.0] };

/**
 * Times several functions fairly on a shared machine: warm each up, then run them in interleaved rounds and keep
 * each one's fastest round (the least disturbed by other work). Returns milliseconds per call.
 */
function timePerCall(fns: Record<string, () => void>, rounds = 15, roundMs = 8): Record<string, number> {
  const names = Object.keys(fns);
  for (const k of names) for (let i = 0; i < 5; i++) fns[k](); // trace the tape, let the JIT compile
  const best: Record<string, number> = Object.fromEntries(names.map((k) => [k, Infinity]));
  for (let r = 0; r < rounds; r++) {
    for (const k of names) {
      let reps = 0;
      const t0 = performance.now();
      do {
        fns[k]();
        reps++;
      } while (performance.now() - t0 < roundMs);
      best[k] = Math.min(best[k], (performance.now() - t0) / reps);
    }
  }
  return best;
}

/**
 * What an HVP costs next to a gradient, measured with this library on Rosenbrock's function when the page is
 * built: the ratios are timings on the build machine, not constants typed into the text.
 */
function measureCost(n = 10_000) {
  const x = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
  const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const out = new Float64Array(n);
  const rev = objective(rosenbrock, n, { hvpMode: 'reverse-over-reverse' });
  const fwd = objective(rosenbrock, n, { hvpMode: 'forward-over-reverse' });
  const t = timePerCall({
    f: () => fwd.value(x),
    grad: () => fwd.grad(x, out),
    hvpRev: () => rev.hvp(x, v, out),
    hvpFwd: () => fwd.hvp(x, v, out),
  });
  return { n, ...t, gradOverF: t.grad / t.f, revOverGrad: t.hvpRev / t.grad, fwdOverGrad: t.hvpFwd / t.grad };
}

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

export const facts = {
  problem,
  hvp: { doubleBackward: hvpDoubleBackward, forwardOverReverse: hvpForwardOverReverse, direct: directAv },
  quadratic: {
    xStar,
    fStar,
    lambdaMin,
    lambdaMax,
    condition: lambdaMax / lambdaMin,
    /** The eigenvalues in closed form: (a + c)/2 ± √(((a − c)/2)² + b²) = 4 ± √2 for the example's A. */
    eigenCentre: (problem.A[0][0] + problem.A[1][1]) / 2,
    eigenRadiusSquared: ((problem.A[0][0] - problem.A[1][1]) / 2) ** 2 + problem.A[0][1] ** 2,
  },
  newton: { ...summary(newton), firstStep: firstStep(newton), firstStepDistance: dist(firstStep(newton)) },
  newtonCg: { ...summary(newtonCg), firstStepDistance: dist(firstStep(newtonCg)) },
  sgd: { ...summary(sgd), rate: sgdRate, lrLimit: 2 / lambdaMax },
  lbfgs: { ...summary(lbfgs), toleranceChange: resolveLbfgsOptions({}).toleranceChange },
  finiteDifference: { ...fdPoint, ...finiteDifferenceStudy() },
  cost: measureCost(),
  /** Bytes to store a dense float64 Hessian of a model with a million parameters. */
  hessianBytesMillion: 8 * 1e6 ** 2,
};
