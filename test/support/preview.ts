import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface PreviewOptions {
  /** The built site (default `dist`). */
  outDir: string;
  /** The base path it was built with, e.g. `/course/`. */
  base: string;
  port: number;
  /** How long to wait for the first answer, in ms: a hang guard, generous for a loaded machine. */
  startupMs?: number;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** Serves a built site with `astro preview`; resolves with its URL (base included) once it answers. */
export async function startPreview({ outDir, base, port, startupMs = 180_000 }: PreviewOptions): Promise<{ url: string; stop: () => void }> {
  const url = `http://127.0.0.1:${port}${base}`;
  const dir = resolve(outDir);
  if (!existsSync(resolve(dir, 'index.html'))) throw new Error(`${dir} is missing: build first (npm run test:site builds)`);
  if (await answers(url)) {
    throw new Error(`Something already answers at ${url} (another test run?): the tests would not see this dist/. Set PREVIEW_PORT to a free port.`);
  }
  const child = spawn(resolve('node_modules/.bin/astro'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--outDir', dir], {
    env: { ...process.env, BASE_PATH: base },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = await serving(child, url, 'astro preview', startupMs);
  return { url, stop: server.stop };
}

/**
 * Resolves once `child` (an Astro server) answers at `url`, with its output so far and to come (`log()`) and a way to
 * stop it; throws with that output if it exits first or does not answer within `startupMs`.
 */
async function serving(child: ChildProcess, url: string, what: string, startupMs: number): Promise<{ log: () => string; stop: () => void }> {
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const deadline = Date.now() + startupMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`${what} did not answer at ${url} within ${startupMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { log: () => log, stop: () => child.kill() };
}

/** Serves the sources with `astro dev` (what `npm run dev` runs); resolves once it answers, with its log. */
export async function startDev({ port, startupMs = 180_000 }: { port: number; startupMs?: number }): Promise<{ url: string; log: () => string; stop: () => void }> {
  const url = `http://127.0.0.1:${port}/`;
  if (await answers(url)) throw new Error(`Something already answers at ${url}: set DEV_PORT to a free port.`);
  // Without Vitest's variables: under VITEST=true the dev server starts but never answers a request.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'));
  const child = spawn(resolve('node_modules/.bin/astro'), ['dev', '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...env, BASE_PATH: '/' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const server = await serving(child, url, 'astro dev', startupMs);
  return { url, ...server };
}
