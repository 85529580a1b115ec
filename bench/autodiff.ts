/**
 * Benchmark: `npm run bench`. Times f, ∇f, Hv (both strategies) and the dense
 * Hessian for Rosenbrock (n = 1e3, 1e5) and a dense quadratic (n = 1e3), side
 * by side with hand-written loops and PyTorch (float64, one thread), and checks
 * that repeated calls do not grow the heap. Figures are recorded in docs/benchmarks.md; the
 * run's results (machine, table, ratios, targets) are written to docs/benchmarks.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { type Tensor, grad, hessian, hvp, objective, tensor } from '../src/lib/autodiff';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** Median seconds per call over 5 rounds, each long enough to be measurable. */
function timeit(fn: () => void, budget = 0.25, rounds = 5): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    const dt = (performance.now() - t0) / 1000;
    if (dt > budget / rounds || reps > 1 << 20) break;
    reps *= 2;
  }
  const s: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    s.push((performance.now() - t0) / 1000 / reps);
  }
  s.sort((a, b) => a - b);
  return s[rounds >> 1];
}

const rosenbrock = (x: Tensor): Tensor =>
  x.slice(1).sub(x.slice(0, -1).pow(2)).pow(2).mul(100).add(x.slice(0, -1).neg().add(1).pow(2)).sum();

/** Hand-written Rosenbrock: value, gradient and Hv in single loops (the practical limit). */
const hand = {
  rosenbrock: {
    value(x: Float64Array): number {
      let s = 0;
      for (let i = 0; i < x.length - 1; i++) { const a = x[i + 1] - x[i] * x[i]; const b = 1 - x[i]; s += 100 * a * a + b * b; }
      return s;
    },
    grad(x: Float64Array, g: Float64Array): Float64Array {
      g.fill(0);
      for (let i = 0; i < x.length - 1; i++) {
        const a = x[i + 1] - x[i] * x[i];
        g[i] += -400 * a * x[i] - 2 * (1 - x[i]);
        g[i + 1] += 200 * a;
      }
      return g;
    },
    hvp(x: Float64Array, v: Float64Array, out: Float64Array): Float64Array {
      out.fill(0);
      for (let i = 0; i < x.length - 1; i++) {
        const xi = x[i];
        const hii = 1200 * xi * xi - 400 * x[i + 1] + 2;
        const hij = -400 * xi;
        out[i] += hii * v[i] + hij * v[i + 1];
        out[i + 1] += hij * v[i] + 200 * v[i + 1];
      }
      return out;
    },
  },
};

/** Same A, b as bench/autodiff_torch.py: A = M Mᵀ / n + I, M_ij = sin(i + 2j), b_i = cos(i). */
function denseQuadratic(n: number): { A: Float64Array; b: Float64Array } {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = Math.sin(i + 2 * j);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      A[i * n + j] = A[j * n + i] = s / n + (i === j ? 1 : 0);
    }
  }
  return { A, b: Float64Array.from({ length: n }, (_, i) => Math.cos(i)) };
}
function matvec(A: Float64Array, x: Float64Array, out: Float64Array): Float64Array {
  const n = x.length;
  for (let i = 0; i < n; i++) { let s = 0; const r = i * n; for (let j = 0; j < n; j++) s += A[r + j] * x[j]; out[i] = s; }
  return out;
}

interface Row { [k: string]: number | undefined }
const results: Record<string, { ours: Row; generic: Row; hand: Row; torch?: Row }> = {};

function runCase(name: string, f: (x: Tensor) => Tensor, n: number, handImpl: { value(x: Float64Array): number; grad(x: Float64Array, g: Float64Array): Float64Array; hvp(x: Float64Array, v: Float64Array, o: Float64Array): Float64Array }, withHessian: boolean): void {
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1.1);
  const v = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const out = new Float64Array(n);
  const fr = objective(f, n, { hvpMode: 'forward-over-reverse' });
  const rr = objective(f, n, { hvpMode: 'reverse-over-reverse' });
  // Correctness guard: compiled, generic and hand-written agree.
  const gh = handImpl.grad(x, new Float64Array(n));
  const hh = handImpl.hvp(x, v, new Float64Array(n));
  const maxErr = (a: Float64Array, b: Float64Array): number => a.reduce((m, ai, i) => Math.max(m, Math.abs(ai - b[i]) / (1 + Math.abs(b[i]))), 0);
  const errs = [maxErr(fr.grad(x), gh), maxErr(fr.hvp(x, v), hh), maxErr(rr.hvp(x, v), hh)];
  if (errs.some((e) => !(e < 1e-9))) throw new Error(`${name}: results disagree with the hand-written loops: ${errs}`);
  const xt = tensor(x);
  const vt = tensor(v);
  const ours: Row = {
    f: timeit(() => fr.value(x)),
    grad: timeit(() => fr.grad(x, out)),
    'hvp f/r': timeit(() => fr.hvp(x, v, out)),
    'hvp r/r': timeit(() => rr.hvp(x, v, out)),
  };
  const generic: Row = {
    f: timeit(() => f(xt)),
    grad: timeit(() => grad(f)(xt)),
    'hvp f/r': timeit(() => hvp(f, xt, vt, { mode: 'forward-over-reverse' })),
    'hvp r/r': timeit(() => hvp(f, xt, vt, { mode: 'reverse-over-reverse' })),
  };
  if (withHessian) ours.hessian = timeit(() => hessian(f)(xt), 0.5, 1);
  const handRow: Row = {
    f: timeit(() => handImpl.value(x)),
    grad: timeit(() => handImpl.grad(x, out)),
    'hvp f/r': timeit(() => handImpl.hvp(x, v, out)),
  };
  handRow['hvp r/r'] = handRow['hvp f/r'];
  results[name] = { ours, generic, hand: handRow };
  // Heap check: many calls of the compiled objective must not grow the heap.
  gc();
  const before = process.memoryUsage().heapUsed;
  const calls = n >= 1e5 ? 200 : 5000;
  for (let i = 0; i < calls; i++) { fr.grad(x, out); fr.hvp(x, v, out); rr.hvp(x, v, out); }
  gc();
  const after = process.memoryUsage().heapUsed;
  heap.push(`${name}: heap ${(before / 2 ** 20).toFixed(1)} MiB -> ${(after / 2 ** 20).toFixed(1)} MiB after ${calls}× (grad + 2 hvp)`);
}
const heap: string[] = [];

const loadBefore = os.loadavg()[0];
const N1 = 1000;
const N2 = 100000;
runCase('rosenbrock-1e3', rosenbrock, N1, hand.rosenbrock, true);
runCase('rosenbrock-1e5', rosenbrock, N2, hand.rosenbrock, false);
{
  const { A, b } = denseQuadratic(N1);
  const At = tensor(A, { shape: [N1, N1] });
  const bt = tensor(b);
  const q = (x: Tensor): Tensor => x.matmul(At).dot(x).mul(0.5).add(bt.dot(x));
  const tmp = new Float64Array(N1);
  runCase('quadratic-1e3', q, N1, {
    value: (x) => { matvec(A, x, tmp); let s = 0; for (let i = 0; i < N1; i++) s += 0.5 * x[i] * tmp[i] + b[i] * x[i]; return s; },
    grad: (x, g) => { matvec(A, x, g); for (let i = 0; i < N1; i++) g[i] += b[i]; return g; },
    hvp: (_x, v, o) => matvec(A, v, o),
  }, true);
}

// PyTorch on the same machine.
const torchScript = new URL('./autodiff_torch.py', import.meta.url).pathname;
let torchNote = '';
if (existsSync('/usr/bin/python3')) {
  const r = spawnSync('/usr/bin/python3', [torchScript], { encoding: 'utf8', timeout: 600_000 });
  if (r.status === 0) {
    const j = JSON.parse(r.stdout) as { torch: string; threads: number; cases: Record<string, Row> };
    torchNote = `PyTorch ${j.torch}, ${j.threads} thread, float64`;
    for (const [k, row] of Object.entries(j.cases)) if (results[k]) results[k].torch = { f: row.f, grad: row.grad, 'hvp f/r': row.hvp, 'hvp r/r': row.hvp, hessian: row.hessian };
  } else torchNote = `PyTorch skipped: ${(r.stderr || r.error?.message || '').split('\n').filter(Boolean).pop()}`;
} else torchNote = 'PyTorch skipped: /usr/bin/python3 not found';

const fmt = (s: number | undefined): string => (s === undefined ? '—' : s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
console.log(`Machine: ${os.cpus().length} cores (nproc), ${cpu}; node ${process.version}; ${torchNote}\n`);
const cols = ['f', 'grad', 'hvp f/r', 'hvp r/r', 'hessian'];
const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
console.log(line(['case', 'impl', ...cols]));
console.log(line(['---', '---', ...cols.map(() => '---:')]));
for (const [name, r] of Object.entries(results)) {
  const rows: [string, Row | undefined][] = [['objective (compiled)', r.ours], ['generic tensors', r.generic], ['hand-written loops', r.hand], ['PyTorch', r.torch]];
  for (const [impl, row] of rows) {
    if (!row) continue;
    const cells = cols.map((c) => (c === 'hessian' && impl === 'objective (compiled)' && row[c] !== undefined ? fmt(row[c]) + ' ¹' : fmt(row[c])));
    console.log(line([name, impl, ...cells]));
  }
}
console.log('\n¹ dense Hessian = hessian(f)(x): f traced once into an HVP tape, replayed with the n unit vectors; skipped for Rosenbrock 1e5 (n² = 1e10 entries).\n');
console.log('Ratios (targets in brackets):');
for (const [name, r] of Object.entries(results)) {
  const o = r.ours;
  console.log(`${name}: hvp f/r / grad = ${ratio(o['hvp f/r'], o.grad)}, hvp r/r / grad = ${ratio(o['hvp r/r'], o.grad)} [≤ 2.5×]; ` +
    `hvp vs PyTorch: f/r ${ratio(o['hvp f/r'], r.torch?.['hvp f/r'])}, r/r ${ratio(o['hvp r/r'], r.torch?.['hvp r/r'])} [< 1× at 1e3, ≤ 1.5× at 1e5]; ` +
    `grad vs PyTorch ${ratio(o.grad, r.torch?.grad)}; vs hand-written: grad ${ratio(o.grad, r.hand.grad)}, hvp f/r ${ratio(o['hvp f/r'], r.hand['hvp f/r'])}, hvp r/r ${ratio(o['hvp r/r'], r.hand['hvp r/r'])} [≤ 10× at 1e5]`);
}
console.log('\nMemory:');
for (const h of heap) console.log(`  ${h}`);

// Machine-readable results for other pages (docs/benchmarks.json): seconds per call.
const r2 = (x: number | undefined): number | null => (x === undefined ? null : Number(x.toPrecision(4)));
const targets: { target: string; case: string; value: number | null; limit: number; met: boolean | null }[] = [];
const check = (target: string, name: string, a: number | undefined, b: number | undefined, limit: number, strict = false): void => {
  const v = a === undefined || b === undefined ? null : a / b;
  targets.push({ target, case: name, value: v === null ? null : Number(v.toFixed(3)), limit, met: v === null ? null : strict ? v < limit : v <= limit });
};
for (const [name, r] of Object.entries(results)) {
  for (const m of ['hvp f/r', 'hvp r/r'] as const) {
    check(`${m} <= 2.5x our grad`, name, r.ours[m], r.ours.grad, 2.5);
    if (name.endsWith('1e3')) check(`${m} faster than PyTorch at n = 1e3`, name, r.ours[m], r.torch?.[m], 1, true);
    else check(`${m} within 1.5x of PyTorch at n = 1e5`, name, r.ours[m], r.torch?.[m], 1.5);
    if (name.endsWith('1e5')) check(`${m} within 10x of hand-written at n = 1e5`, name, r.ours[m], r.hand[m], 10);
  }
  if (name.endsWith('1e5')) check('grad within 10x of hand-written at n = 1e5', name, r.ours.grad, r.hand.grad, 10);
}
const json = {
  generated: new Date().toISOString(),
  command: 'npm run bench',
  units: 'seconds per call (median of 5 rounds)',
  machine: {
    nproc: os.cpus().length,
    cpu: cpu ?? null,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg1: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
    pytorch: torchNote,
  },
  cases: Object.fromEntries(Object.entries(results).map(([name, r]) => [name, Object.fromEntries(
    ([['objective', r.ours], ['generic', r.generic], ['hand', r.hand], ['torch', r.torch]] as [string, Row | undefined][])
      .filter(([, row]) => row !== undefined)
      .map(([impl, row]) => [impl, Object.fromEntries(cols.filter((c) => row![c] !== undefined).map((c) => [c, r2(row![c])]))]),
  )])),
  targets,
  heap,
};
const jsonPath = new URL('../docs/benchmarks.json', import.meta.url).pathname;
writeFileSync(jsonPath, `${JSON.stringify(json, null, 2)}\n`);
console.log(`\nTargets: ${targets.filter((t) => t.met === true).length} met, ${targets.filter((t) => t.met === false).length} missed, ${targets.filter((t) => t.met === null).length} not measured`);
for (const t of targets.filter((t) => t.met === false)) console.log(`  missed: ${t.target} (${t.case}: ${t.value}×)`);
console.log(`Results written to ${jsonPath}`);
