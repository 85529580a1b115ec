import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Which build of Chromium to look for: `'tests'` prefers Debian's `chromium-headless-shell` (the headless-only
 * build: the site tests took 261 s with it against 318–336 s with the browser), then the full browser; `'reader'` wants the full
 * browser a reader runs (what `npm run perf` measures).
 */
export type ChromiumUse = 'tests' | 'reader';

const SHELL = ['/usr/bin/chromium-headless-shell'];
const BROWSER = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Where to look, in order: `CHROME_PATH`, then Debian's headless shell (for tests), then Debian's browser. */
export function chromiumCandidates(env: NodeJS.ProcessEnv, use: ChromiumUse): string[] {
  return [env.CHROME_PATH, ...(use === 'tests' ? SHELL : []), ...BROWSER].filter((p): p is string => Boolean(p));
}

/** The first of {@link chromiumCandidates} that exists, else null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env, use: ChromiumUse = 'tests'): string | null {
  return chromiumCandidates(env, use).find((p) => existsSync(p)) ?? null;
}

/** True for the headless shell, which is always headless and takes no `--headless=` mode. */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell$/.test(executablePath);
}

/** Chromium flags that work on machines without network access (no background fetches, no sandbox as root). */
export const chromiumFlags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** {@link chromiumFlags} for one executable: without the headless mode for the headless shell. */
export function flagsFor(executablePath: string): string[] {
  return isHeadlessShell(executablePath) ? chromiumFlags.filter((f) => !f.startsWith('--headless')) : chromiumFlags;
}

/** Launches headless Chromium (see {@link findChromium}) with {@link flagsFor}; throws when there is none. */
export function launch(use: ChromiumUse = 'tests'): Promise<Browser> {
  const executablePath = findChromium(process.env, use);
  if (!executablePath) throw new Error("no Chromium: set CHROME_PATH or install Debian's chromium (apt-get install -y chromium chromium-headless-shell)");
  return chromium.launch({ executablePath, args: flagsFor(executablePath) });
}
