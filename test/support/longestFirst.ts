import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each site test file took in a full `vitest run --project site` on the 2-core test machine with Chromium's headless shell (two files at a
 * time). Only their order matters: a file missing here runs first, as Vitest runs files it knows nothing about.
 */
export const EXPECTED_SECONDS: Readonly<Record<string, number>> = {
  'test/browser/liveCode.test.ts': 86,
  'test/browser/figuresReader.test.ts': 64,
  'test/browser/pages.test.ts': 59,
  'test/browser/figures.test.ts': 53,
  'test/browser/exercises.test.ts': 48,
  'test/browser/security.test.ts': 42,
  'test/browser/figures17.test.ts': 41,
  'test/browser/maml.test.ts': 34,
  'test/browser/typeCheck.test.ts': 32,
  'test/browser/search.test.ts': 17,
  'test/build/devServer.test.ts': 16,
  'test/build/site.test.ts': 8.1,
  'test/browser/keptPages.test.ts': 4.9,
  'test/browser/lazySource.test.ts': 4.4,
  'test/build/typeChecker.test.ts': 1.8,
  'test/build/scrollRegions.test.ts': 1.0,
  'test/build/chapter16.test.ts': 0.2,
};

/**
 * Runs each project's test files longest first, so that parallel workers end together. Vitest does this itself once
 * its cache holds the last run's durations; without one (a fresh clone) it runs larger files first, which started
 * pages.test.ts (small, 84 s) last in the site project and left the other worker idle for about 30 s at the end.
 * A file's length is its duration in Vitest's cache, else its entry in {@link EXPECTED_SECONDS}; files that failed
 * last time still run first, as Vitest runs them.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    const last = (spec: TestSpecification) => this.ctx.cache.getFileTestResults(`${spec.project.name}:${relative(this.ctx.config.root, spec.moduleId)}`);
    const ms = (spec: TestSpecification): number => last(spec)?.duration ?? (EXPECTED_SECONDS[relative(this.ctx.config.root, spec.moduleId)] ?? Infinity) * 1000;
    const at = new Map(byVitest.map((spec, i) => [spec, i]));
    const failed = (spec: TestSpecification) => (last(spec)?.failed ? 1 : 0);
    return [...byVitest].sort((a, b) => {
      // Projects keep Vitest's order (they run one after another).
      if (a.project !== b.project) return at.get(a)! - at.get(b)!;
      const d = failed(b) - failed(a) || ms(b) - ms(a);
      return Number.isNaN(d) || d === 0 ? at.get(a)! - at.get(b)! : d;
    });
  }
}
