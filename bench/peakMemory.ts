/**
 * Peak memory of eager HVPs, in a fresh process: `tsx bench/peakMemory.ts <problem> <n>` prints
 * {"firstKiB": …, "tenKiB": …, "baseKiB": …}. Method (the same as bench/autodiff_torch.py's --memory):
 * build the objective, x and v; warm up with 20 HVPs of the same objective at a small size (compiled
 * code, caches); collect garbage; reset the kernel's peak-RSS mark (`5` to /proc/self/clear_refs); read
 * the resident set (VmRSS) as the base; run one HVP at size n and read the peak (VmHWM): firstKiB =
 * peak − base, what one HVP added at its highest; run 9 more and read the peak again: tenKiB, which
 * also holds the garbage of earlier calls the collector had not reclaimed yet and our pool of recycled
 * buffers. Linux only (both /proc files). BENCH_ARENA=off runs without the eager arena.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { hvp, tensor } from '../src/lib/autodiff/index.ts';
import { setArena } from '../src/lib/autodiff/eagerArena.ts';
import { direction, mlpN, point, problem, type ProblemName } from './problems.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const kib = (field: string): number => Number((readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`)) ?? [])[1]);

setArena(process.env.BENCH_ARENA !== 'off'); // bench/autodiff.ts's A/B switch, passed down in the environment
const name = process.argv[2] as ProblemName;
const n = Number(process.argv[3]);
if (!['rosenbrock', 'quadratic', 'mlp'].includes(name) || !Number.isInteger(n) || n < 2) throw new Error(`peakMemory: usage: <rosenbrock|quadratic|mlp> <n>, got ${process.argv.slice(2).join(' ')}`);
const small = name === 'mlp' ? mlpN(100) : 100;
const fs = problem(name, small);
const [xs, vs] = [tensor(point(small)), tensor(direction(small))];
for (let i = 0; i < 20; i++) hvp(fs, xs, vs);
const f = problem(name, n);
const [x, v] = [tensor(point(n)), tensor(direction(n))];
gc();
gc();
writeFileSync('/proc/self/clear_refs', '5');
const base = kib('VmRSS');
hvp(f, x, v);
const first = kib('VmHWM') - base;
for (let i = 0; i < 9; i++) hvp(f, x, v);
console.log(JSON.stringify({ firstKiB: first, tenKiB: kib('VmHWM') - base, baseKiB: base }));
