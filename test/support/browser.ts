import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, ConsoleMessage, Page, Request, Response } from 'playwright-core';
import { describe, expect, inject, onTestFinished } from 'vitest';
import { chromiumFlags, findChromium, launch } from './chromium.ts';

export { chromiumFlags, findChromium, launch };

declare module 'vitest' {
  export interface ProvidedContext {
    previewUrl: string;
  }
}

const executablePath = findChromium();
const inCi = process.env.CI === 'true';

if (!executablePath) {
  const msg =
    'NO CHROMIUM FOUND (set CHROME_PATH or install Debian\'s chromium: apt-get install -y chromium chromium-headless-shell). ' +
    (inCi ? 'CI=true: browser tests FAIL.' : 'Browser tests are SKIPPED.');
  console.warn(`\n${'!'.repeat(msg.length)}\n${msg}\n${'!'.repeat(msg.length)}\n`);
  if (inCi) throw new Error(msg);
}

/** `describe` when a browser exists; otherwise a loudly skipped suite (outside CI) — in CI the import throws. */
export const describeBrowser = executablePath ? describe : describe.skip;

/** The URL `astro preview` serves the built site at, base included. */
export function previewUrl(path = ''): string {
  return inject('previewUrl') + path.replace(/^\//, '');
}

/**
 * A new browser context that is closed when the current test finishes, pass or fail, so one failure does not
 * leave pages running into the next test.
 */
export async function testContext(browser: Browser, options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  onTestFinished(() => context.close().catch(() => {}));
  return context;
}

/**
 * Context options for tests that type into editors but are not about type checking: a touch screen. On a desktop
 * (a fine pointer that hovers) the editor starts the TypeScript checker 1.2 s after typing stops, which loads about
 * 9 MB of JavaScript into a worker and type-checks the library: seconds of CPU in every test that types, spent on
 * nothing it checks. `typeCheck.test.ts` covers the desktop behaviour.
 */
export const typingContext = { hasTouch: true } as const;

/** axe-core's browser build, injected into pages by `seriousAxeViolations`. */
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * The serious and critical axe-core violations on a page (or inside `selector`), one readable line each.
 *
 * axe runs in the page's own frame, asked for violations only: the site has no iframes (checked here, so one
 * appearing fails loudly instead of going unchecked), and skipping a cross-frame
 * collection, which serialises every passing node, makes a long chapter 3 to 5 times quicker to check.
 * Rules whose impact is minor or moderate are not run: axe gives every violation of a rule that rule's impact, so
 * they could only report what this function leaves out. Every other rule runs as axe runs it by default.
 */
export async function seriousAxeViolations(page: Page, selector?: string): Promise<string[]> {
  // Off-screen blocks skip rendering (content-visibility: auto); render everything so axe can check every colour.
  await page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
  const frames = await page.locator('iframe, frame').count();
  if (frames > 0) throw new Error(`seriousAxeViolations: the page has ${frames} frame(s), which this check does not enter`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { _audit: { rules: { id: string; impact?: string }[] }; run(c: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = include === null ? document : { include: [include] };
    const minor = axe._audit.rules.filter((r) => r.impact === 'minor' || r.impact === 'moderate');
    const rules = Object.fromEntries(minor.map((r) => [r.id, { enabled: false }]));
    return (await axe.run(context, { resultTypes: ['violations'], rules })).violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
    }));
  }, selector ?? null);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
}

/** Problems a page reported while it was open: console errors, page errors, failed and off-site requests. */
export interface PageProblems {
  console: string[];
  failed: string[];
  external: string[];
}

/**
 * With PAGE_METRICS=1, prints a page's renderer time (TaskDuration, LayoutDuration, RecalcStyleDuration,
 * ScriptDuration from the DevTools protocol, in seconds), tab-separated after the test's name: when the page closes,
 * or, for a page kept across tests, what this test added by its end. The way to find which tests cost the suite its
 * time (`grep PAGE_METRICS | sort -t$'\t' -k3 -rn`).
 */
function reportRendererTime(page: Page, perTest: boolean): void {
  const first: Record<string, number> = {};
  const last: Record<string, number> = {};
  const name = expect.getState().currentTestName ?? '?';
  let timer: ReturnType<typeof setInterval> | undefined;
  const print = () => {
    clearInterval(timer);
    const s = (k: string) => ((last[k] ?? 0) - (first[k] ?? 0)).toFixed(2);
    console.error(['PAGE_METRICS', name, s('TaskDuration'), s('LayoutDuration'), s('RecalcStyleDuration'), s('ScriptDuration')].join('\t'));
  };
  void page.context().newCDPSession(page).then(async (cdp) => {
    await cdp.send('Performance.enable');
    const read = (into: Record<string, number>) =>
      cdp.send('Performance.getMetrics').then(({ metrics }) => metrics.forEach((m) => (into[m.name] = m.value)));
    if (perTest) await read(first);
    timer = setInterval(() => read(last).catch(() => clearInterval(timer)), 250);
    if (!perTest) page.on('close', print);
  });
  if (perTest) onTestFinished(async () => {
    await page.context().newCDPSession(page).then((cdp) => cdp.send('Performance.getMetrics')).then(({ metrics }) => metrics.forEach((m) => (last[m.name] = m.value)), () => {});
    print();
  });
}

/**
 * Records every console error, uncaught exception, failed request and request to another host on a page. With
 * `until: 'test end'` (pages kept across tests) the recording stops when the current test finishes.
 */
export function watch(page: Page, origin: string, { until }: { until?: 'test end' } = {}): PageProblems {
  const problems: PageProblems = { console: [], failed: [], external: [] };
  if (process.env.PAGE_METRICS) reportRendererTime(page, until === 'test end');
  const listeners = {
    console: (m: ConsoleMessage) => {
      if (m.type() === 'error') problems.console.push(m.text());
    },
    pageerror: (e: Error) => problems.console.push(`uncaught: ${e.message}`),
    // A request the page itself abandoned (net::ERR_ABORTED: a reload or navigation while it loads, such as the type
    // checker fetched after a pause in editing) is not a failure of the site; missing files still show as 4xx below.
    requestfailed: (r: Request) => {
      const error = r.failure()?.errorText ?? '';
      if (error !== 'net::ERR_ABORTED') problems.failed.push(`${r.url()} (${error})`);
    },
    response: (r: Response) => {
      if (r.status() >= 400 && !r.url().endsWith('/does-not-exist/')) problems.failed.push(`${r.url()} → ${r.status()}`);
    },
    request: (r: Request) => {
      const u = new URL(r.url());
      if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) problems.external.push(r.url());
    },
  };
  for (const [event, listener] of Object.entries(listeners)) page.on(event as 'console', listener as never);
  if (until === 'test end')
    onTestFinished(() => {
      for (const [event, listener] of Object.entries(listeners)) page.off(event as 'console', listener as never);
    });
  return problems;
}
