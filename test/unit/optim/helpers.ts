import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { quadratic, rosenbrock, type Objective, type Problem } from '../../../src/lib/optim/index.ts';

export interface ProblemSpec {
  kind: 'quadratic' | 'rosenbrock';
  name: string;
  A?: number[];
  b?: number[];
  n?: number;
}

export interface FixtureEval {
  x: number[];
  f: number;
  g: number[];
  call?: number;
}

export interface SgdCase {
  name: string;
  problem: ProblemSpec;
  sign: number;
  x0: number[];
  options: { lr: number; momentum?: number; dampening?: number; weight_decay?: number; nesterov?: boolean; maximize?: boolean };
  steps: number;
  evaluations: FixtureEval[];
  final: number[];
}

export interface LbfgsCase {
  name: string;
  problem: ProblemSpec;
  x0: number[];
  options: { lr?: number; max_iter?: number; max_eval?: number; history_size?: number; line_search_fn?: 'strong_wolfe' };
  calls: number;
  evaluations: FixtureEval[];
  returned: number[];
  final: number[];
  n_iter: number;
  func_evals: number;
}

export interface NewtonCgCase {
  name: string;
  problem: ProblemSpec;
  x0: number[];
  iterates: number[][];
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  njev: number;
  nhev: number;
  status: number;
}

export interface OptimFixtures {
  torch: string;
  /** The OpenBLAS kernel PyTorch ran on (OPENBLAS_CORETYPE): bit-level results hold for this one. */
  openblasCoretype: string;
  scipy: string;
  sgd: SgdCase[];
  lbfgs: LbfgsCase[];
  newtonCg: NewtonCgCase[];
}

let cached: OptimFixtures | null = null;
export function fixtures(): OptimFixtures {
  if (!cached) {
    const path = fileURLToPath(new URL('../../fixtures/optim.json', import.meta.url));
    cached = JSON.parse(readFileSync(path, 'utf8')) as OptimFixtures;
  }
  return cached;
}

let cachedHaswell: Pick<OptimFixtures, 'torch' | 'openblasCoretype' | 'lbfgs'> | null = null;
/** The same L-BFGS runs by PyTorch on OpenBLAS's Haswell kernel (PyTorch's own spread across kernels). */
export function haswellFixtures(): Pick<OptimFixtures, 'torch' | 'openblasCoretype' | 'lbfgs'> {
  if (!cachedHaswell) {
    const path = fileURLToPath(new URL('../../fixtures/optim-haswell.json', import.meta.url));
    cachedHaswell = JSON.parse(readFileSync(path, 'utf8')) as OptimFixtures;
  }
  return cachedHaswell;
}

export function problemFromSpec(spec: ProblemSpec): Problem {
  if (spec.kind === 'quadratic') return quadratic(spec.A!, spec.b!, { name: spec.name });
  return rosenbrock(spec.n!);
}

/** f ↦ sign·f, for SGD's `maximize` cases. */
export function scaled(p: Objective, sign: number): Objective {
  if (sign === 1) return p;
  return {
    n: p.n,
    value: (x) => sign * p.value(x),
    grad: (x, out) => {
      const g = p.grad(x, out);
      for (let i = 0; i < g.length; i++) g[i] *= sign;
      return g;
    },
  };
}

/** Wraps an objective and keeps every (x, f, g) it was asked for, in order. */
export function recording(p: Objective): { obj: Objective; log: FixtureEval[] } {
  const log: FixtureEval[] = [];
  const obj: Objective = {
    n: p.n,
    value: (x) => p.value(x),
    grad: (x, out) => p.grad(x, out),
    valueAndGrad: (x, gOut) => {
      const f = p.value(x);
      const g = p.grad(x, gOut);
      if (g !== gOut) gOut.set(g);
      log.push({ x: Array.from(x), f, g: Array.from(gOut) });
      return f;
    },
    hvp: p.hvp ? (x, v, out) => p.hvp!(x, v, out) : undefined,
    hessian: p.hessian ? (x) => p.hessian!(x) : undefined,
  };
  return { obj, log };
}

/** |a − b| ≤ tol·max(1, |b|) elementwise, with a readable failure. */
export function expectClose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-10, what = ''): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length, `${what} length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i] - e[i]);
    if (!(err <= tol * Math.max(1, Math.abs(e[i])))) {
      expect.fail(`${what}[${i}]: got ${a[i]}, expected ${e[i]} (|Δ| = ${err}, tol ${tol})`);
    }
  }
}

export function sgdOptionsFromTorch(o: SgdCase['options']) {
  return { lr: o.lr, momentum: o.momentum, dampening: o.dampening, weightDecay: o.weight_decay, nesterov: o.nesterov, maximize: o.maximize };
}

export function lbfgsOptionsFromTorch(o: LbfgsCase['options']) {
  return { lr: o.lr, maxIter: o.max_iter, maxEval: o.max_eval, historySize: o.history_size, lineSearchFn: o.line_search_fn ?? null };
}

/** Number of x, f, g entries (and final-x entries) that differ from the fixture in any bit. */
export function bitMismatches(log: FixtureEval[], evals: FixtureEval[], x: ArrayLike<number>, final: number[]): number {
  let bad = 0;
  evals.forEach((e, i) => {
    const l = log[i];
    if (!Object.is(l.f, e.f)) bad++;
    e.x.forEach((v, j) => (Object.is(l.x[j], v) ? 0 : bad++));
    e.g.forEach((v, j) => (Object.is(l.g[j], v) ? 0 : bad++));
  });
  final.forEach((v, j) => (Object.is(x[j], v) ? 0 : bad++));
  return bad;
}
