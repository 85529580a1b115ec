import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expectSameNumbers } from './torchCompare.ts';
import { facts } from '../../../src/content/chapters/calc-16-hessian-vector/facts.ts';

/** What each PyTorch listing printed (scripts/fixtures/calc16_listings.py). */
const fixture = JSON.parse(readFileSync(resolve('test/fixtures/calc16-listings.json'), 'utf8')) as {
  openblas_coretype: string;
  listings: Record<string, { python: string; sha256: string; stdout: string }>;
  indefinite: { x: number[]; hessian: number[][]; eigenvalues: number[] };
};
const chapter = 'src/content/chapters/calc-16-hessian-vector';

/** TypeScript listing id → its file. */
const files: Record<string, string> = {
  'finite-differences': 'finite-differences.ts',
  'hvp-demo': 'hvp-demo.ts',
  'forward-over-reverse': 'forward-over-reverse.ts',
  'hvp-cost': 'hvp-cost.ts',
  'newton-lbfgs-demo': 'newton-lbfgs-demo.ts',
  'newton-cg': 'newton-cg.ts',
  'power-iteration': 'power-iteration.ts',
  'exercise-mlp-hvp-solution': 'exercise-mlp-hvp.solution.ts',
  'exercise-cg-solution': 'exercise-cg.solution.ts',
};

const NUMBER = /-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/gi;
/** An output split into its words (numbers and spacing removed) and its numbers, in order. */
function parse(out: string) {
  const text = out
    .split('\n')
    .filter((l) => !l.startsWith('show: wrote')) // the TypeScript demo reports the SVGs it wrote under Node
    .join('\n');
  return { words: text.replace(NUMBER, '#').replace(/[\s,]+/g, ''), numbers: (text.match(NUMBER) ?? []).map(Number) };
}

/**
 * How closely numbers must agree: rtol for all; numbers below `roundoff` are round-off-dominated errors (two
 * implementations round differently) and must agree within a factor of 10; `skip` lists positions not compared.
 */
const specs: Record<string, { rtol: number; roundoff?: number; skip?: number[]; timings?: true }> = {
  'finite-differences': { rtol: 0.03, roundoff: 1e-9 },
  'hvp-demo': { rtol: 1e-15 },
  'forward-over-reverse': { rtol: 1e-15 },
  'hvp-cost': { rtol: 0, timings: true },
  'newton-lbfgs-demo': { rtol: 1e-8 },
  // SciPy's Newton-CG stops CG at the forcing term min(0.5, √‖g‖₁) and so takes more, inexact outer steps than
  // the course's run with cgTol = 1e-12: its step, HVP and evaluation counts (positions 7–9) are not compared.
  'newton-cg': { rtol: 1e-12, skip: [7, 8, 9] },
  'power-iteration': { rtol: 1e-12 },
  'exercise-mlp-hvp-solution': { rtol: 1e-6, roundoff: 1e-8 },
  'exercise-cg-solution': { rtol: 1e-6, roundoff: 1e-12 },
};

const ours: Record<string, string> = {};
beforeAll(async () => {
  process.env.SHOW_DIR = mkdtempSync(join(tmpdir(), 'calc16-show-'));
  for (const [id, file] of Object.entries(files)) {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    // The cost listing times its calls: a clock that advances 1 ms per reading makes its loops short and its
    // output deterministic, so nothing here measures real time.
    let clock = 0;
    const now = specs[id].timings ? vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1)) : null;
    try {
      await import(resolve(chapter, file));
    } finally {
      log.mockRestore();
      now?.mockRestore();
    }
    ours[id] = `${lines.join('\n')}\n`;
  }
}, 60_000);

describe('chapter 16: each listing and its PyTorch twin print the same thing', () => {
  it('every listing on the page has a PyTorch program, and every PyTorch program a fixture', () => {
    const mdx = readFileSync(resolve(chapter, 'index.mdx'), 'utf8');
    // every listing but the exercise starters, and every exercise's solution (an <Exercise> shows it on request);
    // exercise 5's twin is the one of the worked listing in its explanation (power-iteration)
    const listings = [...mdx.matchAll(/<LiveCode id="([a-z0-9-]+)"/g)].map((m) => m[1]).filter((id) => !id.startsWith('exercise-'));
    const solutions = [...mdx.matchAll(/<Exercise id="([a-z0-9-]+)"/g)].map((m) => m[1]).filter((id) => id !== 'exercise-power').map((id) => `${id}-solution`);
    expect(solutions).toHaveLength(2);
    const listed = [...listings, ...solutions];
    expect(listed.sort()).toEqual(Object.keys(files).sort());
    for (const id of listed) {
      expect(fixture.listings[id], id).toBeDefined();
      expect(mdx).toContain(`<TorchListing id="${id}"`);
    }
    expect(fixture.openblas_coretype).toMatch(/^[A-Za-z]+$/);
  });

  it('the recorded outputs are those of the PyTorch programs as they are now (regenerate with scripts/fixtures/calc16_listings.py)', () => {
    for (const [id, { python, sha256 }] of Object.entries(fixture.listings))
      expect(createHash('sha256').update(readFileSync(resolve(chapter, python))).digest('hex'), `${id}: ${python}`).toBe(sha256);
  });

  for (const id of Object.keys(files)) {
    it(`${id}: same words, same numbers (${files[id]} vs ${fixture.listings[id]?.python})`, () => {
      const a = parse(ours[id]);
      const b = parse(fixture.listings[id].stdout);
      expect(a.words, `${ours[id]}\n---\n${fixture.listings[id].stdout}`).toBe(b.words);
      expect(a.numbers.length).toBe(b.numbers.length);
      const spec = specs[id];
      if (spec.timings) return; // timings differ by machine and run; the words and the layout are what must agree
      expectSameNumbers(a.numbers, b.numbers, spec);
    }, 30_000);
  }

  it('newton-cg: SciPy takes at least as many outer steps and HVPs as the exact-CG run', () => {
    const a = parse(ours['newton-cg']).numbers;
    const b = parse(fixture.listings['newton-cg'].stdout).numbers;
    expect(b[7]).toBeGreaterThanOrEqual(a[7]);
    expect(b[8]).toBeGreaterThanOrEqual(a[8]);
  });

  it('the Hessian at the indefinite point is PyTorch\'s, eigenvalues NumPy\'s', () => {
    expect(fixture.indefinite.x).toEqual(facts.indefinite.x);
    facts.indefinite.H.flat().forEach((h, i) => expect(h).toBeCloseTo(fixture.indefinite.hessian.flat()[i], 12));
    facts.indefinite.lambda.forEach((l, i) => expect(l).toBeCloseTo(fixture.indefinite.eigenvalues[i], 10));
  });
});
