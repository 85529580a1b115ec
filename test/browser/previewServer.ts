import type { TestProject } from 'vitest/node';
import { normalizeBase } from '../../src/lib/site/deployTarget.ts';
import { findChromium } from '../support/chromium.ts';
import { startPreview } from '../support/preview.ts';

/**
 * The default preview port: 4391 plus a number derived from the checkout's path, so test runs in two checkouts
 * of the project on one machine do not meet on one port.
 */
export function defaultPort(dir: string): number {
  let h = 2166136261;
  for (const ch of dir) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 4391 + (h % 400);
}

/** Serves dist/ with `astro preview` for the browser tests and hands its URL to them. */
export default async function setup(project: TestProject) {
  // DIST_DIR and PREVIEW_PORT let two builds be tested side by side without clobbering each other.
  const { url, stop } = await startPreview({
    outDir: process.env.DIST_DIR ?? 'dist',
    base: normalizeBase(process.env.BASE_PATH ?? '/course/'),
    port: Number(process.env.PREVIEW_PORT ?? defaultPort(process.cwd())),
  });
  project.provide('previewUrl', url);
  // Which browser the tests drive: CHROME_PATH, Debian's headless shell, or the full chromium (test/support/chromium.ts).
  console.log(`browser tests: ${findChromium() ?? 'no Chromium found'} against ${url}`);
  return stop;
}
