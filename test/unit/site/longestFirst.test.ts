import type { TestSpecification, Vitest } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import LongestFirst, { EXPECTED_SECONDS } from '../../support/longestFirst.ts';

const root = '/repo';

/** A Vitest stand-in with the parts a sequencer reads: the root, and a cache of last results and file sizes. */
function sequencer(results: Record<string, { duration: number; failed: boolean }>, sizes: Record<string, number>) {
  const ctx = {
    config: { root },
    cache: {
      getFileTestResults: (key: string) => results[key],
      getFileStats: (key: string) => (key in sizes ? { size: sizes[key] } : undefined),
    },
  } as unknown as Vitest;
  return new LongestFirst(ctx);
}

const projects = new Map<string, unknown>();
function spec(project: string, file: string): TestSpecification {
  if (!projects.has(project)) projects.set(project, { name: project, config: { sequence: { groupOrder: 0 }, isolate: true } });
  return { project: projects.get(project), moduleId: `${root}/${file}` } as unknown as TestSpecification;
}
const names = (specs: TestSpecification[]) => specs.map((s) => `${s.project.name}:${s.moduleId.slice(root.length + 1)}`);

describe('LongestFirst', () => {
  it('without a cache (a fresh clone), orders the site files by their expected seconds, not by size', async () => {
    const files = ['test/browser/search.test.ts', 'test/browser/pages.test.ts', 'test/browser/liveCode.test.ts', 'test/build/site.test.ts'];
    // Sizes as Vitest would see them: pages.test.ts is small, so Vitest alone would start it after the others.
    const sizes = Object.fromEntries(files.map((f, i) => [`site:${f}`, f.includes('pages') ? 1 : 100 - i]));
    const sorted = await sequencer({}, sizes).sort(files.map((f) => spec('site', f)));
    expect(names(sorted)).toEqual(['site:test/browser/liveCode.test.ts', 'site:test/browser/pages.test.ts', 'site:test/browser/search.test.ts', 'site:test/build/site.test.ts']);
    for (const f of files) expect(EXPECTED_SECONDS[f]).toBeGreaterThan(0);
  });

  it('prefers the cached durations, runs unknown files and last run’s failures first, and keeps projects apart', async () => {
    const results = {
      'site:test/browser/pages.test.ts': { duration: 5_000, failed: false },
      // Cached just under liveCode's table entry, so liveCode (no cache entry) must come first by the table.
      'site:test/browser/search.test.ts': { duration: EXPECTED_SECONDS['test/browser/liveCode.test.ts'] * 1000 - 1, failed: false },
      'site:test/browser/maml.test.ts': { duration: 1_000, failed: true },
      'unit:test/unit/a.test.ts': { duration: 10, failed: false },
      'unit:test/unit/b.test.ts': { duration: 20, failed: false },
    };
    const files = [
      spec('unit', 'test/unit/a.test.ts'),
      spec('site', 'test/browser/pages.test.ts'),
      spec('site', 'test/browser/new.test.ts'),
      spec('site', 'test/browser/search.test.ts'),
      spec('unit', 'test/unit/b.test.ts'),
      spec('site', 'test/browser/maml.test.ts'),
      spec('site', 'test/browser/liveCode.test.ts'),
    ];
    const sorted = names(await sequencer(results, {}).sort(files));
    expect(sorted).toEqual([
      'site:test/browser/maml.test.ts',
      'site:test/browser/new.test.ts',
      'site:test/browser/liveCode.test.ts',
      'site:test/browser/search.test.ts',
      'site:test/browser/pages.test.ts',
      'unit:test/unit/b.test.ts',
      'unit:test/unit/a.test.ts',
    ]);
  });
});
