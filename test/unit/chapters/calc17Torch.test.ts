import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { format } from 'node:util';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { expectSameNumbers } from './torchCompare.ts';

/** What each PyTorch twin printed (scripts/fixtures/calc17_listings.py). */
const fixture = JSON.parse(readFileSync(resolve('test/fixtures/calc17-listings.json'), 'utf8')) as {
  openblas_coretype: string;
  torch: string;
  functorch: string;
  listings: Record<string, { python: string; sha256: string; stdout: string }>;
};
const chapter = 'src/content/chapters/calc-17-higher-order-gradients';

/** TypeScript listing id → its file. */
const files: Record<string, string> = {
  'nested-derivatives': 'nested-derivatives.ts',
  'perturbation-confusion': 'perturbation-confusion.ts',
  'one-step': 'one-step.ts',
  unrolled: 'unrolled.ts',
  'maml-quadratic': 'maml-quadratic.ts',
  'maml-sine': 'maml-sine.ts',
  'implicit-ridge': 'implicit-ridge.ts',
  'gauss-newton': 'gauss-newton.ts',
  pitfalls: 'pitfalls.ts',
  'exercise-blowup-solution': 'exercise-blowup.solution.ts',
  'exercise-third-derivative-solution': 'exercise-third-derivative.solution.ts',
};

const NUMBER = /-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/gi;
/** An output split into its words (numbers, spacing and lines starting with `omit` removed) and its numbers. */
function parse(out: string, omit?: string) {
  const text = out
    .split('\n')
    .filter((l) => !(omit && l.startsWith(omit)))
    .join('\n');
  return { words: text.replace(NUMBER, '#').replace(/[\s,]+/g, ''), numbers: (text.match(NUMBER) ?? []).map(Number) };
}

/**
 * How closely numbers must agree: rtol for all; numbers below `roundoff` are round-off-dominated and must agree
 * within a factor of 10; `skip` lists positions not compared; `omit` drops lines that differ by design (the two
 * libraries' error messages).
 */
const specs: Record<string, { rtol: number; roundoff?: number; skip?: number[]; omit?: string }> = {
  'nested-derivatives': { rtol: 1e-12 },
  'perturbation-confusion': { rtol: 0 },
  'one-step': { rtol: 1e-12 },
  unrolled: { rtol: 1e-12 },
  'maml-quadratic': { rtol: 1e-12 },
  // 500 Adam steps through second derivatives, printed to four decimals.
  'maml-sine': { rtol: 1e-3 },
  'implicit-ridge': { rtol: 1e-11 },
  'gauss-newton': { rtol: 1e-9, roundoff: 1e-12 },
  pitfalls: { rtol: 1e-12, omit: 'error:' },
  'exercise-blowup-solution': { rtol: 1e-12 },
  // At h = 1e-4 the stencil is dominated by round-off (positions 12 and 13): each library rounds differently.
  'exercise-third-derivative-solution': { rtol: 1e-9, skip: [12, 13] },
};

const ours: Record<string, string> = {};
beforeAll(async () => {
  for (const [id, file] of Object.entries(files)) {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
    try {
      await import(resolve(chapter, file));
    } finally {
      log.mockRestore();
    }
    ours[id] = `${lines.join('\n')}\n`;
  }
}, 120_000);

describe('chapter 17: each listing and its PyTorch twin print the same thing', () => {
  it('every runnable listing on the page has a PyTorch program, and every PyTorch program a fixture', () => {
    const mdx = readFileSync(resolve(chapter, 'index.mdx'), 'utf8');
    const listed = [...mdx.matchAll(/<LiveCode id="([a-z0-9-]+)"/g)].map((m) => m[1]).filter((id) => !/^exercise-.*(?<!-solution)$/.test(id));
    expect(listed.sort()).toEqual(Object.keys(files).sort());
    for (const id of listed) {
      expect(fixture.listings[id], id).toBeDefined();
      expect(mdx).toContain(`<TorchListing id="${id}"`);
      expect(readFileSync(resolve(chapter, fixture.listings[id].python), 'utf8')).toMatch(/^# /);
    }
    expect(fixture.openblas_coretype).toMatch(/^[A-Za-z]+$/);
    expect(fixture.torch).toMatch(/^1\.13/);
    expect(fixture.functorch).toMatch(/^1\.13/);
  });

  it('the recorded outputs are those of the PyTorch programs as they are now (regenerate with scripts/fixtures/calc17_listings.py)', () => {
    for (const [id, { python, sha256 }] of Object.entries(fixture.listings))
      expect(createHash('sha256').update(readFileSync(resolve(chapter, python))).digest('hex'), `${id}: ${python}`).toBe(sha256);
  });

  for (const id of Object.keys(files)) {
    it(`${id}: same words, same numbers (${files[id]} vs ${fixture.listings[id]?.python})`, () => {
      const spec = specs[id];
      const a = parse(ours[id], spec.omit);
      const b = parse(fixture.listings[id].stdout, spec.omit);
      expect(a.words, `${ours[id]}\n---\n${fixture.listings[id].stdout}`).toBe(b.words);
      expect(a.numbers.length).toBe(b.numbers.length);
      expect(a.numbers.length).toBeGreaterThan(0);
      expectSameNumbers(a.numbers, b.numbers, spec);
    }, 30_000);
  }

  it('pitfalls: both libraries refuse to differentiate a gradient computed without a graph', () => {
    expect(ours.pitfalls).toMatch(/^error: .*does not require grad/m);
    expect(fixture.listings.pitfalls.stdout).toMatch(/^error: .*does not require grad/m);
  });
});
