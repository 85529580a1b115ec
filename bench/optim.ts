/**
 * How long one optimizer run takes. Two tables, asserting nothing:
 *
 * 1. The chapter's problems (n = 2): the interactive race re-runs all four methods on every control change.
 * 2. L-BFGS with strong Wolfe on Rosenbrock, n = 10² and 10⁴, against torch.optim.LBFGS on the same machine
 *    (PyTorch 1.13, one thread, `bench/optim_torch.py`), in the default arithmetic and with `exactRounding`.
 *
 *   npm run bench:optim        (run it alone: timings on a loaded machine mean little)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { minimize, problems, type MinimizeOptions, type Objective } from '../src/lib/optim/index.ts';

/** Median and minimum milliseconds per call of `run` over 9 rounds of `reps` calls, after a warm-up. */
function time(run: () => void, reps: number, warm = reps): { median: number; min: number } {
  for (let i = 0; i < warm; i++) run();
  const samples: number[] = [];
  for (let s = 0; s < 9; s++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) run();
    samples.push((performance.now() - t0) / reps);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[4], min: samples[0] };
}

const seed = problems.seedQuadratic();
const rosen = problems.rosenbrock(2);
const runs: [string, Objective & { x0: Float64Array }, MinimizeOptions][] = [
  ['SGD, seed quadratic, 300 steps', seed, { method: 'sgd', lr: 0.01, maxIter: 300 }],
  ['SGD + momentum, Rosenbrock, 300 steps', rosen, { method: 'sgd', lr: 1e-3, momentum: 0.9, maxIter: 300 }],
  ['L-BFGS strong Wolfe, Rosenbrock, 300 its', rosen, { method: 'lbfgs', lineSearchFn: 'strong_wolfe', maxIter: 300, maxEval: 1000, toleranceGrad: 0, toleranceChange: 0 }],
  ['Newton, Rosenbrock, 300 its', rosen, { method: 'newton', gtol: 0, xtol: 0, maxIter: 300 }],
  ['Newton-CG, Rosenbrock, 300 its', rosen, { method: 'newton-cg', gtol: 0, xtol: 0, maxIter: 300 }],
  ['L-BFGS seed (the chapter\'s run)', seed, { method: 'lbfgs', lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' }],
];
console.log(`Machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model}; node ${process.version}; load average ${os.loadavg()[0].toFixed(2)}\n`);
console.table(runs.map(([name, p, o]) => {
  const t = time(() => minimize(p, p.x0, o), 50);
  const tr = minimize(p, p.x0, o);
  return { run: name, iterations: tr.iterations, evaluations: tr.counts.f, 'median ms/run': t.median.toFixed(3), 'min ms/run': t.min.toFixed(3) };
}));

// L-BFGS at scale, side by side with PyTorch.
const MAX_ITER = 100;
interface TorchRow { seconds: number; min: number; evaluations: number; n_iter: number; torch: string; openblas: string }
function torchRun(n: number): TorchRow | string {
  if (!existsSync('/usr/bin/python3')) return 'skipped: /usr/bin/python3 not found';
  const script = new URL('./optim_torch.py', import.meta.url).pathname;
  const r = spawnSync('/usr/bin/python3', [script, String(n), String(MAX_ITER)], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return `skipped: ${(r.stderr || r.error?.message || '').split('\n').filter(Boolean).pop()}`;
  return JSON.parse(r.stdout) as TorchRow;
}
const rows = [];
for (const n of [100, 10_000]) {
  const p = problems.rosenbrock(n);
  const opts = (exactRounding: boolean): MinimizeOptions => ({ method: 'lbfgs', lineSearchFn: 'strong_wolfe', maxIter: MAX_ITER, exactRounding, record: false });
  const reps = n <= 100 ? 20 : 1;
  const plain = time(() => minimize(p, p.x0, opts(false)), reps, reps * 2);
  const exact = time(() => minimize(p, p.x0, opts(true)), reps, reps * 2);
  const counts = minimize(p, p.x0, opts(false)).counts.f;
  const countsExact = minimize(p, p.x0, opts(true)).counts.f;
  const t = torchRun(n);
  const torchMs = typeof t === 'string' ? NaN : t.seconds * 1e3;
  rows.push({
    n,
    'ours ms (default)': plain.median.toFixed(2),
    'ours ms (exactRounding)': exact.median.toFixed(2),
    'PyTorch ms': typeof t === 'string' ? t : torchMs.toFixed(2),
    'default / PyTorch': typeof t === 'string' ? '—' : `${(plain.median / torchMs).toFixed(2)}×`,
    'exact / PyTorch': typeof t === 'string' ? '—' : `${(exact.median / torchMs).toFixed(2)}×`,
    'evaluations ours / exact / PyTorch': `${counts} / ${countsExact} / ${typeof t === 'string' ? '—' : t.evaluations}`,
  });
}
console.log(`\nL-BFGS, strong Wolfe, Rosenbrock from (−1.2, 1, …), maxIter ${MAX_ITER}, history 100, one step() call (median of 9; PyTorch median of 5, 1 thread, float64):`);
console.table(rows);
