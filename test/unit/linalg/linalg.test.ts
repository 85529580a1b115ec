import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addScaled, allFinite, axpy, choleskyFactor, choleskySolve, det2, dot, eigSym, eigSym2, fma, inv2, matvec, norm1, norm2, normInf, scale, solve2,
} from '../../../src/lib/linalg/index.ts';

const f64 = (a: number[]) => Float64Array.from(a);

/** Random SPD matrix MᵀM + εI of size n from entries in [−2, 2]. */
const spd = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n * n, maxLength: n * n })),
).map(([n, m]) => {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = i === j ? 0.5 : 0;
      for (let k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
      A[i * n + j] = A[j * n + i] = s;
    }
  return { n, A };
});

const symmetric = fc.integer({ min: 1, max: 7 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: n * n, maxLength: n * n })),
).map(([n, m]) => {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = m[i * n + j];
  return { n, A };
});

describe('vector helpers', () => {
  it('dot, axpy, addScaled, scale', () => {
    expect(dot(f64([1, 2, 3]), f64([4, 5, 6]))).toBe(32);
    expect(Array.from(axpy(2, f64([1, 1]), f64([1, 2])))).toEqual([3, 4]);
    expect(Array.from(addScaled(f64([1, 2]), -1, f64([1, 1]), new Float64Array(2)))).toEqual([0, 1]);
    expect(Array.from(scale(3, f64([1, -2])))).toEqual([3, -6]);
  });
  it('norms L1, L2, Inf, with overflow-safe L2 and NaN propagation', () => {
    const v = f64([3, -4]);
    expect(norm1(v)).toBe(7);
    expect(norm2(v)).toBe(5);
    expect(normInf(v)).toBe(4);
    expect(norm2(f64([3e200, 4e200]))).toBeCloseTo(5e200, -186);
    expect(norm2(f64([0, 0]))).toBe(0);
    expect(normInf(f64([1, NaN, 2]))).toBeNaN();
    expect(allFinite(f64([1, Infinity]))).toBe(false);
  });
  it('matvec', () => {
    expect(Array.from(matvec(f64([1, 2, 3, 4, 5, 6]), f64([1, 1, 1])))).toEqual([6, 15]);
    expect(() => matvec(f64([1, 2, 3]), f64([1, 1]), new Float64Array(2))).toThrow(/entries/);
  });
  it('fma rounds a·b + c once', () => {
    // (1 + 2⁻⁵²)(1 − 2⁻⁵²) − 1 = −2⁻¹⁰⁴ exactly; the unfused expression gives 0.
    const e = 2 ** -52;
    expect(fma(1 + e, 1 - e, -1)).toBe(-(2 ** -104));
    expect((1 + e) * (1 - e) - 1).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (a, b, c) => {
        const r = fma(a, b, c);
        expect(Math.abs(r - (a * b + c))).toBeLessThanOrEqual(4 * Number.EPSILON * (Math.abs(a * b) + Math.abs(c)) + 1e-300);
      }),
    );
  });
  it('fma with infinite or NaN inputs, or an overflowing sum, is a·b + c (IEEE), never a spurious NaN', () => {
    expect(fma(1, 1, Infinity)).toBe(Infinity);
    expect(fma(2, 3, -Infinity)).toBe(-Infinity);
    expect(fma(Infinity, 2, 1)).toBe(Infinity);
    expect(fma(-Infinity, 2, Infinity)).toBeNaN();
    expect(fma(0, Infinity, 1)).toBeNaN();
    expect(fma(1, 1, NaN)).toBeNaN();
    expect(fma(1e308, 1, 1e308)).toBe(Infinity);
    expect(fma(-1e308, 1, -1e308)).toBe(-Infinity);
    expect(fma(1e-200, 1e-200, 1)).toBe(1);
    for (const a of [-3, -1e-10, 0, 2.5, 1e100]) for (const b of [-7, 0.5, 1e-300]) for (const c of [Infinity, -Infinity, NaN]) {
      expect(Object.is(fma(a, b, c), a * b + c), `fma(${a}, ${b}, ${c})`).toBe(true);
    }
  });
});

describe('Cholesky', () => {
  it('L Lᵀ reproduces A and solves A x = b (random SPD matrices)', () => {
    fc.assert(
      fc.property(spd, ({ n, A }) => {
        const r = choleskyFactor(A, n);
        expect(r.ok).toBe(true);
        const L = r.L;
        let scaleA = 0;
        for (const v of A) scaleA = Math.max(scaleA, Math.abs(v));
        for (let i = 0; i < n; i++) {
          expect(L[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += L[i * n + k] * L[j * n + k];
            expect(Math.abs(s - A[i * n + j])).toBeLessThanOrEqual(1e-12 * scaleA);
          }
        }
        const xTrue = Float64Array.from({ length: n }, (_, i) => i - 1.5);
        const b = matvec(A, xTrue);
        const x = choleskySolve(L, n, b);
        const res = matvec(A, x);
        for (let i = 0; i < n; i++) expect(Math.abs(res[i] - b[i])).toBeLessThanOrEqual(1e-9 * (1 + scaleA * 10));
      }),
      { numRuns: 200 },
    );
  });
  it('reports the failing pivot of an indefinite or NaN matrix instead of throwing', () => {
    const r = choleskyFactor(f64([1, 2, 2, 1]), 2);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.pivot).toBe(1);
      expect(r.value).toBe(-3);
    }
    const z = choleskyFactor(f64([0, 0, 0, 1]), 2);
    expect(z.ok).toBe(false);
    const nan = choleskyFactor(f64([NaN, 0, 0, 1]), 2);
    expect(nan.ok).toBe(false);
    if (!nan.ok) expect(nan.value).toBeNaN();
    expect(() => choleskyFactor(f64([1, 2, 3]), 2)).toThrow(/entries/);
  });
});

describe('symmetric eigendecomposition (Jacobi)', () => {
  it('A V = V Λ, VᵀV = I, ascending eigenvalues, trace preserved', () => {
    fc.assert(
      fc.property(symmetric, ({ n, A }) => {
        const { values, vectors, converged } = eigSym(A, n);
        expect(converged).toBe(true);
        let tr = 0;
        let sum = 0;
        let fro = 0;
        for (let i = 0; i < n; i++) {
          tr += A[i * n + i];
          sum += values[i];
          if (i > 0) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]);
        }
        for (const v of A) fro += v * v;
        const tol = 1e-10 * (1 + Math.sqrt(fro));
        expect(Math.abs(tr - sum)).toBeLessThanOrEqual(tol * n);
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let k = 0; k < n; k++) av += A[i * n + k] * vectors[k * n + j];
            expect(Math.abs(av - values[j] * vectors[i * n + j])).toBeLessThanOrEqual(tol);
          }
          for (let l = 0; l < n; l++) {
            let vv = 0;
            for (let k = 0; k < n; k++) vv += vectors[k * n + j] * vectors[k * n + l];
            expect(Math.abs(vv - (j === l ? 1 : 0))).toBeLessThanOrEqual(1e-12 * n);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
  it('agrees with Cholesky: SPD ⇔ smallest eigenvalue > 0', () => {
    fc.assert(
      fc.property(symmetric, ({ n, A }) => {
        const { values } = eigSym(A, n);
        const chol = choleskyFactor(A, n);
        // Skip nearly singular matrices where rounding may decide either way.
        fc.pre(Math.abs(values[0]) > 1e-8);
        expect(chol.ok).toBe(values[0] > 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('2×2 helpers', () => {
  it('det2, inv2, solve2', () => {
    const M = [5, 1, 1, 3];
    expect(det2(M)).toBe(14);
    const inv = inv2(M);
    expect(Array.from(inv).map((v) => v * 14)).toEqual([3, -1, -1, 5]);
    expect(Array.from(solve2(M, [4, -2]))).toEqual([1, -1]);
    expect(() => inv2([1, 2, 2, 4])).toThrow(/singular/);
    expect(() => solve2([0, 0, 0, 0], [1, 1])).toThrow(/singular/);
  });
  it('eigSym2 matches the Jacobi solver', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true }), (a, b, c) => {
        const closed = eigSym2(a, b, c);
        const jac = eigSym(f64([a, b, b, c]), 2);
        expect(closed.values[0]).toBeCloseTo(jac.values[0], 10);
        expect(closed.values[1]).toBeCloseTo(jac.values[1], 10);
        // Columns are unit eigenvectors.
        for (let j = 0; j < 2; j++) {
          const v0 = closed.vectors[j];
          const v1 = closed.vectors[2 + j];
          expect(Math.hypot(v0, v1)).toBeCloseTo(1, 12);
          expect(a * v0 + b * v1).toBeCloseTo(closed.values[j] * v0, 9);
          expect(b * v0 + c * v1).toBeCloseTo(closed.values[j] * v1, 9);
        }
      }),
    );
  });
});
