import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium to drive: `CHROME_PATH`, else Debian's `/usr/bin/chromium`, else none. */
export function findChromium(env = process.env): string | null {
  const candidates = [env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
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

/** Launches headless Chromium with {@link chromiumFlags}; throws when there is none. */
export function launch(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error("no Chromium: set CHROME_PATH or install Debian's chromium (apt-get install -y chromium)");
  return chromium.launch({ executablePath, args: chromiumFlags });
}
