import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { normalizeBase } from '../../src/lib/site/deployTarget.ts';

const port = Number(process.env.PREVIEW_PORT ?? 4391);

/** Serves dist/ with `astro preview` for the browser tests and hands its URL to them. */
export default async function setup(project: TestProject) {
  const base = normalizeBase(process.env.BASE_PATH ?? '/course/');
  const url = `http://127.0.0.1:${port}${base}`;
  project.provide('previewUrl', url);
  // DIST_DIR and PREVIEW_PORT let two builds be tested side by side without clobbering each other.
  const outDir = resolve(process.env.DIST_DIR ?? 'dist');
  if (!existsSync(resolve(outDir, 'index.html'))) throw new Error(`${outDir} is missing: run \`npm run test:site\`, which builds first`);
  const child: ChildProcess = spawn(resolve('node_modules/.bin/astro'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--outDir', outDir], {
    env: { ...process.env, BASE_PATH: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`astro preview exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`astro preview did not answer at ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return () => {
    child.kill();
  };
}
