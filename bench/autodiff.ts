/**
 * Benchmark: `npm run bench`. Our eager tensors and compiled `objective` against PyTorch eager on the
 * same three objectives (bench/problems.ts, bench/autodiff_torch.py), n = 10 … 10⁵: gradient and
 * Hessian-vector product, process CPU time and wall time per call, PyTorch at 1 thread and at its
 * default; the compiled path's first call (trace + compile + run) apart from its amortised calls; dense
 * Hessians against torch.autograd.functional.hessian (vectorize=True and the loop); retained memory of a
 * compiled objective at n = 10⁶; peak memory of eager HVPs against PyTorch's (bench/peakMemory.ts).
 * Each case is measured on our side and then at once on PyTorch's (a server process), over several passes; each figure is
 * the median over passes with the min–max spread. Results go to docs/benchmarks.json; docs/benchmarks.md reads them.
 * Env: BENCH_PASSES (default 3), BENCH_BUDGET (seconds per measurement, default 0.15), BENCH_ONLY (a case filter),
 * BENCH_ARENA=off (our eager side without its arena, src/lib/autodiff/eagerArena.ts: an A/B; docs/ left alone).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { grad, hessian, hvp, objective, type Tensor, tensor } from '../src/lib/autodiff/index.ts';
import { setArena } from '../src/lib/autodiff/eagerArena.ts';
import { direction, mlpN, point, problem, type ProblemName, rosenbrock } from './problems.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const BUDGET = Number(process.env.BENCH_BUDGET ?? 0.15);
/** Seconds of warm-up before our side's measurements, at least. */
const WARMUP = 0.3;

/** Seconds per call: process CPU time (all threads, as Python's process_time) and wall time. */
interface Time { cpu: number; wall: number }

/**
 * Median of 3 rounds, each repeating fn until it lasts about budget/3, after a warm-up of max(budget/3,
 * 0.3 s): JIT tiers (a first measurement after only 50 ms read 2-3× the steady state), first-touch pages,
 * a filled buffer pool.
 */
function measure(fn: () => void, budget = BUDGET): Time {
  // Start from a collected heap, as the PyTorch side does (gc.collect()): the garbage of earlier cases (other
  // problems, compiled tapes, the n = 10⁶ runs) must not be collected on this case's clock.
  gc();
  const warm = performance.now();
  do fn(); while ((performance.now() - warm) / 1000 < Math.max(budget / 3, WARMUP));
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if ((performance.now() - t0) / 1000 > budget / 3 || reps > 1 << 20) break;
    reps *= 2;
  }
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < 3; r++) {
    const w0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const c = process.cpuUsage(c0);
    walls.push((performance.now() - w0) / 1000 / reps);
    cpus.push((c.user + c.system) / 1e6 / reps);
  }
  return { wall: walls.sort((a, b) => a - b)[1], cpu: cpus.sort((a, b) => a - b)[1] };
}
/** One call, timed. */
function once(fn: () => void): Time {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - w0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

type Name = ProblemName;
const key = (name: string, n: number): string => `${name}-${n}`;
/** BENCH_ONLY=<text>: only the cases whose key (e.g. mlp-9999) contains it; such a partial run does not write docs/. */
const ONLY = process.env.BENCH_ONLY ?? '';
/** BENCH_ARENA=off: the eager side runs without its arena (plain arrays and JavaScript loops), for an A/B; does not write docs/. */
const ARENA = process.env.BENCH_ARENA ?? 'on';
if (ARENA !== 'on' && ARENA !== 'off') throw new Error(`bench: BENCH_ARENA must be 'on' or 'off', got '${ARENA}'`);
setArena(ARENA === 'on');
const only = (list: [Name, number][]): [Name, number][] => list.filter(([name, n]) => key(name, n).includes(ONLY));
const CASES: [Name, number][] = only([
  ...[10, 100, 1000, 10000, 100000].map((n): [Name, number] => ['rosenbrock', n]),
  ...[10, 100, 1000].map((n): [Name, number] => ['quadratic', n]),
  ...[10, 100, 1000, 10000, 100000].map((n): [Name, number] => ['mlp', mlpN(n)]),
]);
const HESSIANS: [Name, number][] = only([['rosenbrock', 10], ['rosenbrock', 100], ['quadratic', 10], ['quadratic', 100], ['mlp', mlpN(10)], ['mlp', mlpN(100)]]);
/** Eager HVP peak memory: the sizes (Rosenbrock 10⁵ and 10⁶, the largest MLP). */
const MEMORY: [Name, number][] = only([['rosenbrock', 100000], ['rosenbrock', 1000000], ['mlp', mlpN(100000)]]);

interface Peak { firstKiB: number; tenKiB: number }
type Peaks = Record<string, { ours: Peak; torch: Peak | null }>;

/** Peak KiB added by 1 and by 10 eager HVPs, each side in a fresh process (bench/peakMemory.ts, autodiff_torch.py --memory). */
function peakMemory(): Peaks {
  const out: Peaks = {};
  for (const [name, n] of MEMORY) {
    const child = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Peak | null => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, env });
      return r.status === 0 ? (JSON.parse(r.stdout) as Peak) : null;
    };
    const ours = child(process.execPath, [...process.execArgv, new URL('./peakMemory.ts', import.meta.url).pathname, name, String(n)]);
    if (ours === null) throw new Error(`bench: peak-memory probe failed for ${key(name, n)}`);
    const torch = existsSync('/usr/bin/python3') ? child('/usr/bin/python3', [new URL('./autodiff_torch.py', import.meta.url).pathname, '--memory', name, String(n)], { ...process.env, OPENBLAS_CORETYPE: 'Haswell' }) : null;
    out[key(name, n)] = { ours, torch };
  }
  return out;
}

/** What one pass measures of ours for one case. */
interface Ours { eagerGrad: Time; eagerHvp: Time; firstGrad: Time; firstHvp: Time; grad: Time; hvp: Time; check: [number, number] }

function runOurs(name: Name, n: number): Ours {
  const f = problem(name, n);
  const x = point(n);
  const v = direction(n);
  const xt = tensor(x);
  const vt = tensor(v);
  const out = new Float64Array(n);
  const c = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
  const dotc = (a: Float64Array): number => a.reduce((s, ai, i) => s + ai * c[i], 0);
  const g = grad(f);
  const check: [number, number] = [dotc(g(xt).data), dotc(hvp(f, xt, vt).data)];
  const og = objective(f, n);
  const oh = objective(f, n);
  const firstGrad = once(() => og.grad(x, out));
  const firstHvp = once(() => oh.hvp(x, v, out));
  return {
    eagerGrad: measure(() => g(xt)), eagerHvp: measure(() => hvp(f, xt, vt)),
    firstGrad, firstHvp, grad: measure(() => og.grad(x, out)), hvp: measure(() => oh.hvp(x, v, out)), check,
  };
}

interface TorchCase { check: [number, number]; t1: { grad: Time; hvp: Time }; tdef: { grad: Time; hvp: Time } }
interface TorchRun { torch: string; default_threads: number; cases: Record<string, TorchCase>; hessian: Record<string, { vectorize: Time; loop: Time }> }

/** PyTorch's side as a server (autodiff_torch.py --serve): ask(request) measures one case while we wait idle. */
interface TorchServer { info: { torch: string; default_threads: number }; ask<T>(kind: 'case' | 'hessian', name: Name, n: number): Promise<T>; close(): void }

async function startTorch(): Promise<TorchServer | string> {
  if (!existsSync('/usr/bin/python3')) return 'PyTorch skipped: /usr/bin/python3 not found';
  const script = new URL('./autodiff_torch.py', import.meta.url).pathname;
  const py = spawn('/usr/bin/python3', [script, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OPENBLAS_CORETYPE: 'Haswell' } });
  let stderr = '';
  py.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<unknown> => {
    const r = await lines.next();
    if (r.done) throw new Error(`PyTorch side exited: ${stderr.split('\n').filter(Boolean).pop() ?? ''}`);
    return JSON.parse(r.value as string);
  };
  try {
    const info = (await next()) as TorchServer['info'];
    return {
      info,
      ask: async <T>(kind: 'case' | 'hessian', name: Name, n: number): Promise<T> => {
        py.stdin.write(`${JSON.stringify({ kind, name, n, budget: BUDGET })}\n`);
        return (await next()) as T;
      },
      close: () => py.stdin.end(),
    };
  } catch (e) {
    return `PyTorch skipped: ${(e as Error).message}`;
  }
}

/** Dense Hessian of ours (trace + compile + n HVP replays per call). */
const ourHessian = (name: Name, n: number): Time => { const f = problem(name, n); const xt = tensor(point(n)); return measure(() => hessian(f)(xt)); };

/** Bytes kept alive (heap + array buffers, after forced GC) by a compiled Rosenbrock at n = 10⁶ after its first hvp, and after a grad as well, in n-vectors. */
function retained(): { afterHvp: number; afterGrad: number } {
  const n = 1_000_000;
  const x = point(n);
  const v = direction(n);
  const out = new Float64Array(n);
  const mem = (): number => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  const base = mem();
  const obj = objective(rosenbrock, n);
  obj.hvp(x, v, out);
  const afterHvp = (mem() - base) / (8 * n);
  obj.grad(x, out);
  const afterGrad = (mem() - base) / (8 * n);
  return { afterHvp: Number(afterHvp.toFixed(2)), afterGrad: Number(afterGrad.toFixed(2)) };
}



/** Median and spread of the per-pass values. */
function spread(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] };
}

type Ratio = { median: number; min: number; max: number } | null;
interface PeakRow { case: string; oursMiB: [number, number]; torchMiB: [number, number] | null; oursVectors: [number, number]; ratio: [Ratio, Ratio] }

/** Peak memory per case over passes (after 1 HVP, after 10): medians in MiB, ours in n-vectors, the ratios per pass summarised. */
function peakRows(peaks: Peaks[]): PeakRow[] {
  const mib = (kib: number): number => Number((kib / 1024).toFixed(1));
  return MEMORY.map(([name, n]) => {
    const k = key(name, n);
    const ps = peaks.map((p) => p[k]);
    const tr = ps.filter((p) => p.torch !== null);
    const ours: [number, number] = [spread(ps.map((p) => p.ours.firstKiB)).median, spread(ps.map((p) => p.ours.tenKiB)).median];
    return {
      case: k, oursMiB: [mib(ours[0]), mib(ours[1])], oursVectors: [Number((ours[0] * 1024 / (8 * n)).toFixed(1)), Number((ours[1] * 1024 / (8 * n)).toFixed(1))],
      torchMiB: tr.length ? [mib(spread(tr.map((p) => p.torch!.firstKiB)).median), mib(spread(tr.map((p) => p.torch!.tenKiB)).median)] : null,
      ratio: tr.length ? [spread(tr.map((p) => p.ours.firstKiB / p.torch!.firstKiB)), spread(tr.map((p) => p.ours.tenKiB / p.torch!.tenKiB))] : [null, null],
    };
  });
}

function report(run: { ours: Record<string, Ours>[]; torch: (TorchRun | string)[]; hess: Record<string, Time>[]; memory: { afterHvp: number; afterGrad: number }; peaks: Peaks[]; load: number[] }): void {
  const tr = run.torch.filter((t): t is TorchRun => typeof t !== 'string');
  const note = tr.length > 0 ? `PyTorch ${tr[0].torch} (default ${tr[0].default_threads} threads), ${tr.length} of ${run.torch.length} passes` : String(run.torch[0]);
  const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1] ?? os.cpus()[0]?.model;
  console.log(`Machine: ${os.cpus().length} cores, ${cpuModel}; node ${process.version}; ${note}; load average (1 min) per pass: ${run.load.map((l) => l.toFixed(2)).join(', ')}\n`);
  const rows = CASES.map(([name, n]) => caseRow(key(name, n), run.ours, tr));
  printTable(rows);
  const peaks = peakRows(run.peaks);
  const targets = checkTargets(rows, run.memory, peaks);
  const hessRows = HESSIANS.map(([name, n]) => {
    const k = key(name, n);
    const r = (pick: (t: TorchRun) => Time): string => fmtSpread(spread(run.hess.map((h, p) => h[k].cpu / pick(tr[Math.min(p, tr.length - 1)]).cpu)));
    return { case: k, ours: fmtTime(spread(run.hess.map((h) => h[k].cpu)).median), vsVectorize: tr.length ? r((t) => t.hessian[k].vectorize) : '—', vsLoop: tr.length ? r((t) => t.hessian[k].loop) : '—' };
  });
  console.log('\nDense Hessian, CPU time, ours ÷ torch.autograd.functional.hessian (1 thread):');
  for (const h of hessRows) console.log(`  ${h.case}: ours ${h.ours}; ÷ vectorize=True ${h.vsVectorize}; ÷ vectorize=False ${h.vsLoop}`);
  console.log(`\nMemory: compiled Rosenbrock at n = 10⁶ keeps ${run.memory.afterHvp} n-vectors after its first hvp, ${run.memory.afterGrad} after a grad too (target ≤ 8 beyond its input).`);
  console.log('Eager HVP peak memory: resident set added by the first HVP at size n / by 10, after a warm-up at a small size, each side in a fresh process; medians over passes:');
  for (const p of peaks) console.log(`  ${p.case}: ours ${p.oursMiB[0]} / ${p.oursMiB[1]} MiB (${p.oursVectors[0]} / ${p.oursVectors[1]} n-vectors), PyTorch ${p.torchMiB?.join(' / ') ?? '—'} MiB; ours ÷ PyTorch ${fmtSpread(p.ratio[0])} / ${fmtSpread(p.ratio[1])}`);
  console.log(`\nTargets: ${targets.filter((t) => t.met).length} met, ${targets.filter((t) => !t.met).length} missed`);
  for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'missed'} ${t.target}: ${t.detail}`);
  const json = { generated: new Date().toISOString(), command: 'npm run bench', passes: PASSES, budget: BUDGET, machine: { nproc: os.cpus().length, cpu: cpuModel, node: process.version, loadavg1PerPass: run.load }, pytorch: note, rows, hessian: hessRows, memory: run.memory, peakMemory: peaks, targets };
  if (ONLY === '' && ARENA === 'on') writeFileSync(new URL('../docs/benchmarks.json', import.meta.url), `${JSON.stringify(json, null, 2)}\n`);
  else console.log(`\n(BENCH_ONLY=${ONLY}, BENCH_ARENA=${ARENA}: a partial or A/B run, docs/benchmarks.json left as it was)`);
}

interface CaseRow { case: string; ratios: Record<string, { median: number; min: number; max: number } | null>; times: Record<string, number>; checked: boolean }

/** Ratios ours ÷ PyTorch (1 thread, CPU time unless marked wall) per pass, summarised; our median times. */
function caseRow(k: string, ours: Record<string, Ours>[], tr: TorchRun[]): CaseRow {
  const pair = (a: (o: Ours) => number, b: (t: TorchCase) => number): { median: number; min: number; max: number } | null =>
    tr.length === 0 ? null : spread(ours.map((o, p) => a(o[k]) / b(tr[Math.min(p, tr.length - 1)].cases[k])));
  const ratios = {
    'eager grad': pair((o) => o.eagerGrad.cpu, (t) => t.t1.grad.cpu),
    'eager hvp': pair((o) => o.eagerHvp.cpu, (t) => t.t1.hvp.cpu),
    'eager grad (wall)': pair((o) => o.eagerGrad.wall, (t) => t.t1.grad.wall),
    'eager hvp (wall)': pair((o) => o.eagerHvp.wall, (t) => t.t1.hvp.wall),
    'eager hvp vs default threads (wall)': pair((o) => o.eagerHvp.wall, (t) => t.tdef.hvp.wall),
    'compiled grad': pair((o) => o.grad.cpu, (t) => t.t1.grad.cpu),
    'compiled hvp': pair((o) => o.hvp.cpu, (t) => t.t1.hvp.cpu),
    'compiled first hvp (wall)': pair((o) => o.firstHvp.wall, (t) => t.t1.hvp.wall),
  };
  const med = (f: (o: Ours) => number): number => spread(ours.map((o) => f(o[k]))).median;
  const times = { eagerGrad: med((o) => o.eagerGrad.cpu), eagerHvp: med((o) => o.eagerHvp.cpu), grad: med((o) => o.grad.cpu), hvp: med((o) => o.hvp.cpu), firstGrad: med((o) => o.firstGrad.wall), firstHvp: med((o) => o.firstHvp.wall) };
  const rel = (a: number, b: number): number => Math.abs(a - b) / (1e-12 + Math.abs(b));
  const checked = tr.length > 0 && ours.every((o) => { const t = tr[0].cases[k].check; return rel(o[k].check[0], t[0]) < 1e-8 && rel(o[k].check[1], t[1]) < 1e-8; });
  return { case: k, ratios, times, checked };
}

const fmtTime = (s: number): string => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`);
const fmtSpread = (r: { median: number; min: number; max: number } | null): string =>
  r === null ? '—' : `${r.median.toFixed(2)} (${r.min.toFixed(2)}–${r.max.toFixed(2)})`;

function printTable(rows: CaseRow[]): void {
  const cols = ['eager grad', 'eager hvp', 'eager grad (wall)', 'eager hvp (wall)', 'eager hvp vs default threads (wall)', 'compiled grad', 'compiled hvp', 'compiled first hvp (wall)'];
  console.log('Ours ÷ PyTorch 1.13 eager (1 thread; CPU time unless "wall"); median (min–max) over passes; ✓ = same numbers as PyTorch');
  console.log(`| case | ${cols.join(' | ')} |`);
  console.log(`| --- | ${cols.map(() => '---:').join(' | ')} |`);
  for (const r of rows) console.log(`| ${r.case}${r.checked ? ' ✓' : ''} | ${cols.map((c) => fmtSpread(r.ratios[c])).join(' | ')} |`);
  console.log('\nOur times (CPU, median): eager grad / eager hvp / compiled grad / compiled hvp; compiled first grad / first hvp (wall, trace + compile + run)');
  for (const r of rows) console.log(`  ${r.case}: ${fmtTime(r.times.eagerGrad)} / ${fmtTime(r.times.eagerHvp)} / ${fmtTime(r.times.grad)} / ${fmtTime(r.times.hvp)}; first ${fmtTime(r.times.firstGrad)} / ${fmtTime(r.times.firstHvp)}`);
}

/** The targets, judged on the medians (CPU time, PyTorch at 1 thread). */
function checkTargets(rows: CaseRow[], memory: { afterHvp: number }, peaks: PeakRow[]): { target: string; met: boolean; detail: string }[] {
  const out: { target: string; met: boolean; detail: string }[] = [];
  const judge = (target: string, pick: (r: CaseRow) => boolean, col: string, limit: (r: CaseRow) => number): void => {
    const bad = rows.filter(pick).filter((r) => r.ratios[col] !== null && r.ratios[col]!.median > limit(r));
    const measured = rows.filter(pick).filter((r) => r.ratios[col] !== null);
    out.push({ target, met: measured.length > 0 && bad.length === 0, detail: measured.length === 0 ? 'not measured' : bad.length === 0 ? 'all cases' : bad.map((r) => `${r.case} ${r.ratios[col]!.median.toFixed(2)}`).join(', ') });
  };
  const size = (r: CaseRow): number => Number(r.case.split('-')[1]);
  for (const col of ['eager grad', 'eager hvp']) judge(`${col} ≤ 1.5× PyTorch (≤ 1× at n ≤ 10²)`, () => true, col, (r) => (size(r) <= 100 ? 1 : 1.5));
  judge('compiled MLP hvp no slower than PyTorch at n ≥ 10³', (r) => r.case.startsWith('mlp') && size(r) >= 1000, 'compiled hvp', () => 1);
  judge('compiled MLP grad no slower than PyTorch at n ≥ 10³', (r) => r.case.startsWith('mlp') && size(r) >= 1000, 'compiled grad', () => 1);
  for (const col of ['compiled grad', 'compiled hvp']) judge(`${col} ≤ 1.5× PyTorch`, () => true, col, () => 1.5);
  out.push({ target: 'compiled objective keeps ≤ 8 n-vectors after the first hvp at n = 10⁶', met: memory.afterHvp <= 8, detail: `${memory.afterHvp}` });
  for (const [i, what] of [[0, 'during one HVP'], [1, 'over 10 HVPs']] as const) {
    const bad = peaks.filter((p) => p.ratio[i] === null || p.ratio[i]!.median > 1.5);
    const show = (p: PeakRow): string => `${p.case} ${p.ratio[i] === null ? 'not measured' : p.ratio[i]!.median.toFixed(2)}`;
    out.push({ target: `eager peak memory ${what} ≤ 1.5× PyTorch's`, met: bad.length === 0, detail: (bad.length === 0 ? peaks : bad).map(show).join(', ') });
  }
  out.push({ target: 'both sides compute the same gradient and HVP (checked first)', met: rows.every((r) => r.checked), detail: rows.filter((r) => !r.checked).map((r) => r.case).join(', ') || 'all cases' });
  return out;
}

// The run: each case is measured on our side and then at once on PyTorch's (a server process kept
// across passes), so a change of load between cases hits both sides of a ratio alike.
const server = await startTorch();
const load = [os.loadavg()[0]];
const ours: Record<string, Ours>[] = [];
const torch: (TorchRun | string)[] = [];
const hess: Record<string, Time>[] = [];
const peaks: Peaks[] = [];
for (let p = 0; p < PASSES; p++) {
  const o: Record<string, Ours> = {};
  const h: Record<string, Time> = {};
  const t: TorchRun = { torch: '', default_threads: 0, cases: {}, hessian: {} };
  for (const [name, n] of CASES) {
    o[key(name, n)] = runOurs(name, n);
    if (typeof server !== 'string') t.cases[key(name, n)] = await server.ask<TorchCase>('case', name, n);
  }
  for (const [name, n] of HESSIANS) {
    h[key(name, n)] = ourHessian(name, n);
    if (typeof server !== 'string') t.hessian[key(name, n)] = await server.ask<TorchRun['hessian'][string]>('hessian', name, n);
  }
  ours.push(o);
  hess.push(h);
  torch.push(typeof server === 'string' ? server : { ...t, torch: server.info.torch, default_threads: server.info.default_threads });
  peaks.push(peakMemory());
  load.push(os.loadavg()[0]);
  console.error(`pass ${p + 1}/${PASSES} done (load ${os.loadavg()[0].toFixed(2)})`);
}
if (typeof server !== 'string') server.close();
const memory = retained();

report({ ours, torch, hess, memory, peaks, load });
