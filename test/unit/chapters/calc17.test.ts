import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { facts } from '../../../src/content/chapters/calc-17-higher-order-gradients/facts.ts';
import { mamlSine } from '../../../src/content/chapters/calc-17-higher-order-gradients/mlp.ts';
import { ridgeData } from '../../../src/content/chapters/calc-17-higher-order-gradients/ridge.ts';
import { resolveSpecifier } from '../../../src/lib/live/modules.ts';

/** PyTorch 1.13's numbers (scripts/fixtures/meta.py). */
const torch = JSON.parse(readFileSync(resolve('test/fixtures/meta.json'), 'utf8')) as {
  hyper: { A: number[][]; b: number[]; valB: number[][]; valC: number[]; cases: { problem: string; optimizer: string; eta: number; T: number; x0: number[]; val: number; dEta: number }[] };
  maml: { hidden: number; alpha: number; theta: number[]; tasks: { xTrain: number[][]; yTrain: number[]; xVal: number[][]; yVal: number[] }[]; metaLoss: number; metaGrad: number[]; firstOrderGrad: number[] };
};

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `entry ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
};

// Small dense helpers, independent of the chapter's code.
type M = number[][];
const matmul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
const mv = (a: M, v: number[]) => a.map((r) => r.reduce((s, x, j) => s + x * v[j], 0));
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const eye = (n: number): M => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const addM = (a: M, b: M, s = 1): M => a.map((r, i) => r.map((x, j) => x + s * b[i][j]));
const scaleM = (a: M, s: number): M => a.map((r) => r.map((x) => s * x));
const transpose = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));
/** Solves Ax = b by Gaussian elimination with partial pivoting. */
function solve(A: M, b: number[]): number[] {
  const n = b.length;
  const a = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (a[r][n] - a[r].slice(r + 1, n).reduce((s, v, k) => s + v * x[r + 1 + k], 0)) / a[r][r];
  return x;
}

describe('chapter 17, nested derivatives', () => {
  const n = facts.nested;
  it('grad∘grad∘grad of x³ sin x is its closed-form derivatives', () => {
    const x = n.scalar.at;
    const closed = [
      x ** 3 * Math.sin(x),
      3 * x ** 2 * Math.sin(x) + x ** 3 * Math.cos(x),
      6 * x * Math.sin(x) + 6 * x ** 2 * Math.cos(x) - x ** 3 * Math.sin(x),
      6 * Math.sin(x) + 18 * x * Math.cos(x) - 9 * x ** 2 * Math.sin(x) - x ** 3 * Math.cos(x),
    ];
    close(n.scalar.values, closed, 1e-13);
  });

  it('D¹…D³ along v on Rosenbrock equal the derivatives of the quartic g(t) = f(x + tv), read off exact stencils', () => {
    const ros = (t: number) => {
      const [a, b] = [n.point.x[0] + t * n.point.v[0], n.point.x[1] + t * n.point.v[1]];
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const h = 0.5; // exact for polynomials of degree ≤ 4 (the error terms involve g⁽⁵⁾ = 0)
    const g1 = (ros(-2 * h) - 8 * ros(-h) + 8 * ros(h) - ros(2 * h)) / (12 * h);
    const g2 = (-ros(-2 * h) + 16 * ros(-h) - 30 * ros(0) + 16 * ros(h) - ros(2 * h)) / (12 * h * h);
    const g3 = (ros(2 * h) - 2 * ros(h) + 2 * ros(-h) - ros(-2 * h)) / (2 * h ** 3);
    expect(n.d1).toBeCloseTo(g1, 10);
    expect(n.d2).toBeCloseTo(g2, 10);
    expect(n.d3).toBeCloseTo(g3, 10);
    expect(dot(n.d3Reverse, [...n.point.v])).toBeCloseTo(n.d3, 10);
  });

  it('D⁴f[v, v, v, ·] = (2400 v₁³, 0), and (r²/6)‖D⁴f‖/‖Hv‖ is chapter 16\'s measured error at r = 10⁻²', () => {
    close(n.d4Vector, [2400 * n.point.v[0] ** 3, 0], 1e-12);
    const predicted = n.predictedRelErr(1e-2);
    expect(Math.abs(predicted / n.measuredRelErr(1e-2) - 1)).toBeLessThan(1e-3);
    expect(Math.abs(n.predictedRelErr(1) / n.measuredRelErr(1) - 1)).toBeLessThan(1e-3);
  });

  it('perturbation confusion: the library says 1 both ways, untagged dual numbers say 2', () => {
    expect(facts.confusion.library).toBe(1);
    expect(facts.confusion.libraryForward).toBe(1);
    expect(facts.confusion.naive).toBe(2);
  });
});

describe('chapter 17, one step and T steps on the quadratic', () => {
  const h = facts.hyper;
  const A = h.problem.A.map((r) => [...r]);
  const b = [...h.problem.b];
  const B = h.problem.valB.map((r) => [...r]);
  const c = [...h.problem.valC];
  const gradF = (x: number[]) => mv(A, x).map((v, i) => v + b[i]);
  const x0 = [...h.problem.x0];

  it('uses the fixtures\' problem', () => {
    expect(A).toEqual(torch.hyper.A);
    expect(b).toEqual(torch.hyper.b);
    expect(B).toEqual(torch.hyper.valB);
    expect(c).toEqual(torch.hyper.valC);
  });

  it('one step: g, gᵀg, gᵀHg, φ\'(η) = −gᵀg + ηgᵀHg, φ\'\' = gᵀHg, η* = gᵀg/gᵀHg; the VJP of the step is (I − ηH)∇f(x₁)', () => {
    const s = h.oneStep;
    const g = gradF(x0);
    close(s.g, g, 0);
    expect(s.gg).toBe(dot(g, g));
    expect(s.gHg).toBe(dot(g, mv(A, g)));
    expect(s.etaStar).toBeCloseTo(dot(g, g) / dot(g, mv(A, g)), 15);
    const eta = 0.1;
    expect(s.dPhi).toBeCloseTo(-dot(g, g) + eta * dot(g, mv(A, g)), 12);
    expect(s.dPhiBaydin).toBeCloseTo(s.dPhi, 12);
    expect(s.d2Phi).toBeCloseTo(dot(g, mv(A, g)), 12);
    const x1 = x0.map((x, i) => x - eta * g[i]);
    const u = gradF(x1);
    const expected = u.map((ui, i) => ui - eta * mv(A, u)[i]);
    close(s.vjpOfStep, expected, 1e-14);
    close(s.dX0, expected, 1e-14);
  });

  it('hypergradient descent converges to η*; the online rule drives f to f* = −½bᵀA⁻¹b', () => {
    expect(Math.abs(h.hd.final - h.oneStep.etaStar)).toBeLessThan(1e-8);
    expect(Math.abs(h.hd.etas[1] - h.oneStep.etaStar)).toBeGreaterThan(1e-2); // it did have to move
    const fStar = -0.5 * dot(b, solve(A, b));
    expect(h.online.fStar).toBeCloseTo(fStar, 15);
    expect(Math.abs(h.online.finalLoss - fStar)).toBeLessThan(1e-10);
    expect(h.online.finalEta).toBeGreaterThan(h.online.eta0);
  });

  it('V and dV/dη through T = 1, 5, 50 steps match PyTorch and the closed form −T∇V(x_T)ᵀ(I − ηA)^(T−1)∇f(x₀)', () => {
    for (const u of h.unrolled) {
      const t = torch.hyper.cases.find((k) => k.problem === 'quadratic' && k.optimizer === 'sgd' && k.eta === u.eta && k.T === u.steps)!;
      expect(t, `${u.eta}/${u.steps}`).toBeDefined();
      expect(Math.abs(u.value - t.val)).toBeLessThanOrEqual(1e-10 * Math.abs(t.val));
      expect(Math.abs(u.dEta - t.dEta)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(t.dEta), 1e-6));
      let x: number[] = x0;
      let p = gradF(x0);
      for (let k = 0; k < u.steps; k++) x = x.map((xi, i) => xi - u.eta * gradF(x)[i]);
      for (let k = 0; k < u.steps - 1; k++) p = p.map((pi, i) => pi - u.eta * mv(A, p)[i]);
      const gradV = mv(B, x.map((xi, i) => xi - c[i]));
      expect(Math.abs(u.dEta - -u.steps * dot(gradV, p))).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(u.dEta), 1e-6));
    }
  });

  it('2/λmax = 2/(4 + √2); past it the hypergradient explodes, below it it dies out', () => {
    expect(h.spectrum.lrLimit).toBeCloseTo(2 / (4 + Math.SQRT2), 14);
    const at = (eta: number, T: number) => h.unrolled.find((u) => u.eta === eta && u.steps === T)!.dEta;
    expect(Math.abs(at(0.4, 50))).toBeGreaterThan(1e6 * Math.abs(at(0.4, 1)));
    expect(Math.abs(at(0.1, 50))).toBeLessThan(1e-6 * Math.abs(at(0.1, 1)));
    const { short, long, rate } = h.blowUp;
    expect(h.blowUp.eta).toBeGreaterThan(h.spectrum.lrLimit);
    expect(rate).toBeCloseTo(Math.abs(1 - h.blowUp.eta * (4 + Math.SQRT2)), 14);
    const predicted = (long.steps / short.steps) * rate ** (2 * (long.steps - short.steps));
    const ratio = long.dEta / short.dEta;
    expect(ratio).toBeGreaterThan(50);
    expect(Math.abs(ratio / predicted - 1)).toBeLessThan(0.1);
  });

  it('truncated backpropagation keeps exactly K/T of the hypergradient on the quadratic', () => {
    const { full, truncated, steps } = h.truncation;
    for (const t of truncated) expect(Math.abs(t.dEta - (t.K / steps) * full)).toBeLessThanOrEqual(1e-12 * Math.abs(full));
  });
});

describe('chapter 17, MAML', () => {
  const m = facts.maml;
  const alpha = m.problem.alpha;
  const tasks = m.problem.tasks.map((t) => ({ A: t.A.map((r) => [...r]), c: [...t.c] }));
  const P = (A: M) => addM(eye(2), A, -alpha);
  const fixed = (W: (A: M) => M) => {
    let S: M = [[0, 0], [0, 0]];
    let rhs = [0, 0];
    for (const t of tasks) {
      S = addM(S, W(t.A));
      rhs = rhs.map((r, i) => r + mv(W(t.A), t.c)[i]);
    }
    return solve(S, rhs);
  };
  const metaLoss = (th: number[]) =>
    tasks.reduce((s, t) => {
      const d = th.map((x, i) => x - t.c[i]);
      return s + 0.5 * dot(d, mv(matmul(matmul(P(t.A), t.A), P(t.A)), d));
    }, 0) / tasks.length;

  it('the fixed points of MAML, first-order MAML, Reptile (k steps) and joint training are the closed forms, and meta-training reaches them', () => {
    const k = m.problem.reptileSteps;
    const Pk = (A: M) => Array.from({ length: k }).reduce<M>((acc) => matmul(acc, P(A)), eye(2));
    close(m.closedForm.maml, fixed((A) => matmul(matmul(P(A), A), P(A))), 1e-13);
    close(m.closedForm.firstOrder, fixed((A) => matmul(A, P(A))), 1e-13);
    close(m.closedForm.reptile, fixed((A) => addM(eye(2), Pk(A), -1)), 1e-13);
    close(m.closedForm.joint, fixed((A) => A), 1e-13);
    close(m.trained.maml, m.closedForm.maml, 1e-10);
    close(m.trained.firstOrder, m.closedForm.firstOrder, 1e-10);
    close(m.trained.reptile, m.closedForm.reptile, 1e-10);
  });

  it('only MAML\'s point minimises the meta-loss M(θ) = mean ½(θ − cᵢ)ᵀPᵢAᵢPᵢ(θ − cᵢ)', () => {
    for (const [k, th] of Object.entries(m.closedForm)) expect(m.metaLossAt[k as keyof typeof m.metaLossAt]).toBeCloseTo(metaLoss(th), 13);
    for (const k of ['firstOrder', 'reptile', 'joint'] as const) expect(m.metaLossAt.maml).toBeLessThan(m.metaLossAt[k] - 1e-4);
  });

  it('the meta-gradient through the step equals (I − αH)∇L(θ\'), one HVP per task; first-order MAML drops the H term', () => {
    const th = m.probe.theta;
    const mean = (f: (t: { A: M; c: number[] }) => number[]) => tasks.map(f).reduce((a, b) => a.map((x, i) => x + b[i])).map((x) => x / tasks.length);
    const exact = mean((t) => mv(matmul(matmul(P(t.A), t.A), P(t.A)), th.map((x, i) => x - t.c[i])));
    const fo = mean((t) => mv(matmul(t.A, P(t.A)), th.map((x, i) => x - t.c[i])));
    close(m.probe.maml, exact, 1e-14);
    close(m.probe.byHvp, exact, 1e-14);
    close(m.probe.firstOrder, fo, 1e-14);
  });

  it('the MAML meta-gradient of a 1-4-1 tanh network on two sine tasks is PyTorch\'s, and so is first-order MAML\'s', () => {
    const t = torch.maml;
    const ours = mamlSine({ theta: t.theta, tasks: t.tasks, alpha: t.alpha, hidden: t.hidden });
    expect(Math.abs(ours.metaLoss - t.metaLoss)).toBeLessThan(1e-12 * t.metaLoss);
    close(ours.metaGrad, t.metaGrad, 1e-12);
    close(ours.firstOrderGrad, t.firstOrderGrad, 1e-12);
    // The Hessian term matters here: the two gradients differ.
    expect(Math.max(...ours.metaGrad.map((g, i) => Math.abs(g - ours.firstOrderGrad[i])))).toBeGreaterThan(0.1);
  });
});

describe('chapter 17, implicit differentiation of ridge regression', () => {
  const r = facts.ridge;
  const d = ridgeData();
  const X = d.X;
  const XtX = matmul(transpose(X), X);
  const Mof = (lam: number) => addM(XtX, scaleM(eye(d.n), lam));
  const Xty = mv(transpose(X), d.y);
  const gradV = (x: number[]) => mv(transpose(d.Z), mv(d.Z, x).map((z, i) => z - d.u[i]));
  const closed = (lam: number) => {
    const xs = solve(Mof(lam), Xty);
    return { xs, dV: dot(gradV(xs), solve(Mof(lam), xs).map((v) => -v)) };
  };

  it('x* and dV/dλ in closed form; implicitGrad (CG on HVPs) agrees in at most n CG iterations', () => {
    const c = closed(r.lam);
    close(r.closed.xStar, c.xs, 1e-12);
    expect(Math.abs(r.closed.dVdLam - c.dV)).toBeLessThan(1e-12);
    expect(Math.abs(r.implicit.dVdLam - c.dV)).toBeLessThan(1e-12);
    expect(r.implicit.reason).toBe('converged');
    expect(r.implicit.iterations).toBeLessThanOrEqual(d.n);
    for (const p of r.cgPartial) expect(Math.abs(p.dVdLam - c.dV)).toBeGreaterThan(1e-3);
  });

  it('unrolled hypergradients follow Exercise 4\'s formula and converge to the implicit one', () => {
    const Mm = Mof(r.lam);
    const xs = solve(Mm, Xty);
    const dxs = solve(Mm, xs).map((v) => -v);
    const I = eye(d.n);
    const step = addM(I, Mm, -r.eta);
    expect(r.eta).toBeLessThan(2 / r.lambdaMax);
    for (const u of r.unrolled) {
      let Pt = I; // (I − ηM)^(t−1), then ^t
      for (let k = 0; k < u.T - 1; k++) Pt = matmul(Pt, step);
      const PT = matmul(Pt, step);
      const xT = xs.map((x, i) => x - mv(PT, xs)[i]);
      const dxT = addM(I, PT, -1).map((row) => dot(row, dxs)).map((v, i) => v + u.T * r.eta * mv(Pt, xs)[i]);
      expect(Math.abs(u.dVdLam - dot(gradV(xT), dxT)), `T = ${u.T}`).toBeLessThan(1e-10);
    }
    const last = r.unrolled[r.unrolled.length - 1];
    expect(Math.abs(last.dVdLam - r.closed.dVdLam)).toBeLessThan(1e-10);
    expect(Math.abs(r.unrolled[0].dVdLam - r.closed.dVdLam)).toBeGreaterThan(0.1 * Math.abs(r.closed.dVdLam));
  });

  it('tuning log λ by the implicit hypergradient ends at a minimum of V(x*(λ))', () => {
    const V = (lam: number) => {
      const res = mv(d.Z, closed(lam).xs).map((z, i) => z - d.u[i]);
      return 0.5 * dot(res, res);
    };
    expect(Math.abs(closed(r.tuned.lam).dV)).toBeLessThan(1e-6);
    expect(V(r.tuned.lam)).toBeLessThan(V(r.tuned.lam * 0.9));
    expect(V(r.tuned.lam)).toBeLessThan(V(r.tuned.lam * 1.1));
    expect(V(r.tuned.lam)).toBeLessThan(V(r.tuned.lam0));
  });

  it('influence of each training point: implicit (one CG solve) = closed form = central differences of re-solved weighted problems', () => {
    close(r.influence.implicit, r.influence.closed, 1e-10);
    const Vw = (j: number, eps: number) => {
      const w = new Array(d.m).fill(1);
      w[j] += eps;
      const XtWX = X[0].map((_, a) => X[0].map((__, b) => X.reduce((s, row, i) => s + w[i] * row[a] * row[b], 0) + (a === b ? r.lam : 0)));
      const xs = solve(XtWX, X[0].map((_, a) => X.reduce((s, row, i) => s + w[i] * row[a] * d.y[i], 0)));
      const res = mv(d.Z, xs).map((z, i) => z - d.u[i]);
      return 0.5 * dot(res, res);
    };
    for (const j of [0, 5, 11]) {
      const fd = (Vw(j, 1e-5) - Vw(j, -1e-5)) / 2e-5;
      expect(Math.abs(fd - r.influence.closed[j])).toBeLessThan(1e-7);
    }
    expect(Math.max(...r.influence.closed)).toBeGreaterThan(0);
    expect(Math.min(...r.influence.closed)).toBeLessThan(0);
  });
});

describe('chapter 17, Gauss-Newton against the Hessian', () => {
  it('Gv from one jvp and one vjp is J\'Jv/k; vᵀGv ≥ 0; H is indefinite, G positive semidefinite (singular: rank ≤ 8 < 13)', () => {
    const g = facts.gaussNewton;
    expect(g.gvMatchesDense).toBeLessThan(1e-12);
    expect(g.vGv).toBeGreaterThan(0);
    expect(g.hMin).toBeLessThan(-0.1);
    expect(Math.abs(g.gMin)).toBeLessThan(1e-12);
    expect(g.vHv).not.toBeCloseTo(g.vGv, 2);
  });
});

describe('chapter 17\'s listings run in the page', () => {
  it('every listing on the page imports only modules the page\'s runner provides', () => {
    const dir = 'src/content/chapters/calc-17-higher-order-gradients';
    const mdx = readFileSync(resolve(dir, 'index.mdx'), 'utf8');
    const files = [...mdx.matchAll(/^import \w+ from '\.\/([\w.-]+\.ts)\?raw';$/gm)].map((m) => m[1]);
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const file of files) {
      const src = readFileSync(resolve(dir, file), 'utf8');
      const specifiers = [...src.matchAll(/^import [^;]*? from '([^']+)';$/gm)].map((m) => m[1]);
      expect(specifiers.length, file).toBeGreaterThan(0);
      for (const sp of specifiers) expect(resolveSpecifier(sp), `${file} imports ${sp}`).not.toBeNull();
    }
  });
});

describe('chapter 17\'s facts', () => {
  it('importing facts.ts times nothing', async () => {
    vi.resetModules();
    const now = vi.spyOn(performance, 'now');
    const dateNow = vi.spyOn(Date, 'now');
    try {
      await import('../../../src/content/chapters/calc-17-higher-order-gradients/facts.ts');
      expect(now).not.toHaveBeenCalled();
      expect(dateNow).not.toHaveBeenCalled();
    } finally {
      now.mockRestore();
      dateNow.mockRestore();
    }
  });
});
