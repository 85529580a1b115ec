import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longestFirst.ts';

/**
 * Three projects, all run by `npm test` (unit and scripts in one run, `npm run test:node`, beside the type check;
 * then the site):
 * - unit: the library and site helpers in Node (`npm run test:unit`, fast feedback);
 * - scripts: the chapters' runnable scripts, each run as a `tsx` subprocess (`npm run test:scripts`);
 * - site: the built dist/ and headless Chromium against `astro preview` (`npm run test:site`).
 * Unit and script tests run one worker per core (`--maxWorkers=100%` in package.json: Vitest's default leaves a core
 * free, which made `npm run test:unit` take 55 s instead of 40–44 s on two cores; beside the type check the node
 * phase of `npm test` took 74 s instead of 84 s).
 * Timeouts are generous on purpose: they catch a hang, never a slow machine. Speed is `npm run perf`'s business.
 */
export default defineConfig({
  test: {
    // Longest files first in every project, so the site project's two workers finish together (test/support/longestFirst.ts).
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Property tests use one fixed seed (FC_SEED=random explores: npm run test:fuzz).
          setupFiles: ['test/support/fastCheckSeed.ts'],
          // Worker threads start faster than forked processes: most unit files take well under a second to run.
          pool: 'threads',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'scripts',
          include: ['test/scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'site',
          include: ['test/build/**/*.test.ts', 'test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/previewServer.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          // Two files at a time: a browser test mostly waits on one Chromium renderer, so two share two cores.
          fileParallelism: true,
          maxWorkers: 2,
          // expect.poll waits for a signal; on a busy machine the signal can be late without anything being wrong.
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});
