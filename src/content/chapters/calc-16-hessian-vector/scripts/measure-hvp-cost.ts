/**
 * ratio = t(Hv) / t(∇f), measured as the median of interleaved repeats: writes ../hvp-cost.json.
 *
 * Run with `npx tsx src/content/chapters/calc-16-hessian-vector/scripts/measure-hvp-cost.ts`. Each repeat times f,
 * ∇f and Hv (both strategies) back to back, in a rotating order, each for a batch of calls long enough for the
 * timer to resolve; a disturbance from other work then hits one repeat's ratios, not one function's figure. The
 * same is done for PyTorch (measure_hvp_cost_torch.py) when /usr/bin/python3 has torch. The chapter reads the
 * samples from the JSON (facts.ts), so building the page times nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { objective } from '../../../../lib/autodiff/index.ts';
import { costProblem, rosenbrock } from '../rosenbrock.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { n, repeats, batchMs } = costProblem;

/** Milliseconds per call of fn over one batch of at least batchMs. */
function msPerCall(fn: () => unknown): number {
  let calls = 0;
  const t0 = performance.now();
  do {
    fn();
    calls++;
  } while (performance.now() - t0 < batchMs);
  return (performance.now() - t0) / calls;
}

const x = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
const out = new Float64Array(n);
const rev = objective(rosenbrock, n, { hvpMode: 'reverse-over-reverse' });
const fwd = objective(rosenbrock, n, { hvpMode: 'forward-over-reverse' });
const fns: Record<'f' | 'grad' | 'hvpRev' | 'hvpFwd', () => unknown> = {
  f: () => fwd.value(x),
  grad: () => fwd.grad(x, out),
  hvpRev: () => rev.hvp(x, v, out),
  hvpFwd: () => fwd.hvp(x, v, out),
};
const names = Object.keys(fns) as (keyof typeof fns)[];
for (const k of names) for (let i = 0; i < 20; i++) fns[k](); // trace and compile the tapes, let the JIT settle

const load = [loadavg()[0]];
if (load[0] > cpus().length)
  console.warn(`Load average ${load[0]} exceeds the ${cpus().length} cores: other work will scatter the samples; consider measuring later.`);
const samples: Record<string, number>[] = [];
for (let r = 0; r < repeats; r++) {
  const row: Record<string, number> = {};
  for (let j = 0; j < names.length; j++) {
    const k = names[(j + r) % names.length];
    row[k] = msPerCall(fns[k]);
  }
  samples.push(row);
}
load.push(loadavg()[0]);

const torchScript = join(here, 'measure_hvp_cost_torch.py');
let torch: unknown = null;
if (existsSync('/usr/bin/python3')) {
  try {
    const stdout = execFileSync('/usr/bin/python3', [torchScript, String(n), String(repeats), String(batchMs)], {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_CORETYPE: 'Haswell' },
    });
    torch = JSON.parse(stdout);
  } catch (e) {
    console.error(`PyTorch timing skipped: ${(e as Error).message}`);
  }
}

const record = {
  generated: new Date().toISOString(),
  command: 'npx tsx src/content/chapters/calc-16-hessian-vector/scripts/measure-hvp-cost.ts',
  problem: `Rosenbrock, n = ${n}, compiled objective (fused tape)`,
  method: `${repeats} repeats; in each, every function runs for a batch of ≥ ${batchMs} ms, in rotating order`,
  units: 'milliseconds per call',
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, loadavg1: { before: load[0], after: load[1] } },
  n,
  samples,
  torch,
};
writeFileSync(join(here, '..', 'hvp-cost.json'), `${JSON.stringify(record, null, 2)}\n`);
const ratios = samples.map((s) => s.hvpRev / s.grad).sort((a, b) => a - b);
console.log(`Hv (reverse-over-reverse) / grad: median ${ratios[(ratios.length - 1) / 2].toFixed(2)}, range ${ratios[0].toFixed(2)}–${ratios.at(-1)!.toFixed(2)}`);
