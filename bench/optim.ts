/**
 * How long one optimizer run takes on the chapter's problems (n = 2): the interactive race re-runs all four
 * methods on every control change, so this is the budget that matters for it. Prints a table; asserts nothing.
 *
 *   npm run bench:optim
 */
import { minimize, problems, type MinimizeOptions } from '../src/lib/optim/index.ts';

const seed = problems.seedQuadratic();
const rosen = problems.rosenbrock(2);
const runs: [string, typeof seed, MinimizeOptions][] = [
  ['SGD, seed quadratic, 300 steps', seed, { method: 'sgd', lr: 0.01, maxIter: 300 }],
  ['SGD + momentum, Rosenbrock, 300 steps', rosen, { method: 'sgd', lr: 1e-3, momentum: 0.9, maxIter: 300 }],
  ['L-BFGS strong Wolfe, Rosenbrock, 300 its', rosen, { method: 'lbfgs', lineSearchFn: 'strong_wolfe', maxIter: 300, maxEval: 1000, toleranceGrad: 0, toleranceChange: 0 }],
  ['Newton, Rosenbrock, 300 its', rosen, { method: 'newton', gtol: 0, xtol: 0, maxIter: 300 }],
  ['Newton-CG, Rosenbrock, 300 its', rosen, { method: 'newton-cg', gtol: 0, xtol: 0, maxIter: 300 }],
  ['L-BFGS seed (the chapter\'s run)', seed, { method: 'lbfgs', lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' }],
];

const rows = runs.map(([name, p, o]) => {
  for (let i = 0; i < 50; i++) minimize(p, p.x0, o); // warm up the JIT
  const samples: number[] = [];
  for (let s = 0; s < 9; s++) {
    const reps = 50;
    const t0 = performance.now();
    let evals = 0;
    for (let r = 0; r < reps; r++) evals = minimize(p, p.x0, o).evaluations.count;
    samples.push((performance.now() - t0) / reps);
    void evals;
  }
  samples.sort((a, b) => a - b);
  const t = minimize(p, p.x0, o);
  return { run: name, iterations: t.iterations, evaluations: t.counts.f, 'median ms/run': samples[4].toFixed(3), 'min ms/run': samples[0].toFixed(3) };
});
console.table(rows);
