import type { TestProject } from 'vitest/node';
import { normalizeBase } from '../../src/lib/site/deployTarget.ts';
import { startPreview } from '../support/preview.ts';

/** Serves dist/ with `astro preview` for the browser tests and hands its URL to them. */
export default async function setup(project: TestProject) {
  // DIST_DIR and PREVIEW_PORT let two builds be tested side by side without clobbering each other.
  const { url, stop } = await startPreview({
    outDir: process.env.DIST_DIR ?? 'dist',
    base: normalizeBase(process.env.BASE_PATH ?? '/course/'),
    port: Number(process.env.PREVIEW_PORT ?? 4391),
  });
  project.provide('previewUrl', url);
  return stop;
}
