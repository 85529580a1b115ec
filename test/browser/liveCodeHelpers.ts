import type { Browser, BrowserContext, ConsoleMessage, Page, Request } from 'playwright-core';
import { expect, onTestFailed, onTestFinished } from 'vitest';
import { previewUrl, typingContext, watch, type PageProblems } from '../support/browser.ts';
import { KeptPages, type KeptPage } from '../support/keptPages.ts';

export const chapter = 'calc-16-hessian-vector/';
export const root = '[data-island="live-code"][data-listing="hvp-demo"]';

export interface Opened {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  requests: string[];
}

/**
 * Opens the chapter (with a hash) in a fresh context (desktop-sized touch screen, {@link typingContext}, unless
 * `options` say otherwise), closed when the test finishes.
 */
export async function openChapter(browser: Browser, hash = '', options: Parameters<Browser['newContext']>[0] = {}): Promise<Opened> {
  const context = await browser.newContext({ ...typingContext, viewport: { width: 1024, height: 900 }, ...options });
  onTestFinished(() => context.close().catch(() => {}));
  const page = await context.newPage();
  const url = previewUrl(chapter);
  const problems = watch(page, new URL(url).origin);
  reportOnFailure(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => requests.push(w.url()));
  const res = await page.goto(url + hash, { waitUntil: 'networkidle' });
  expect(res?.status()).toBe(200);
  return { context, page, problems, requests };
}

/**
 * When the current test fails, prints what the hvp-demo island shows (its state, status and button) and the page's
 * last console messages and requests: enough to tell a click that went nowhere from an editor that never loaded.
 */
export function reportOnFailure(page: Page): void {
  const log: string[] = [];
  const add = (line: string) => log.push(line) > 60 && log.shift();
  const onConsole = (m: ConsoleMessage) => add(`console.${m.type()}: ${m.text()}`);
  const onFailed = (r: Request) => add(`failed ${r.url()} (${r.failure()?.errorText})`);
  const onFinished = (r: Request) => add(`loaded ${r.url()}`);
  page.on('console', onConsole);
  page.on('requestfailed', onFailed);
  page.on('requestfinished', onFinished);
  onTestFinished(() => {
    page.off('console', onConsole);
    page.off('requestfailed', onFailed);
    page.off('requestfinished', onFinished);
  });
  onTestFailed(async () => {
    const island = await page
      .evaluate((at) => {
        const root = document.querySelector<HTMLElement>(at);
        return {
          url: location.href.slice(0, 100),
          readyState: document.readyState,
          state: root?.dataset.state ?? null,
          status: root?.querySelector('[data-live="status"]')?.textContent ?? null,
          button: root?.querySelector('[data-live="edit"]')?.outerHTML ?? null,
        };
      }, root)
      .catch((e: Error) => `page not readable: ${e.message}`);
    console.log(`The hvp-demo island when the test failed: ${JSON.stringify(island)}\nLast events:\n${log.join('\n')}`);
  });
}

const keptPages = new WeakMap<Browser, KeptPages>();

function keptPagesOf(browser: Browser): KeptPages {
  let kept = keptPages.get(browser);
  if (!kept) keptPages.set(browser, (kept = new KeptPages(() => browser)));
  return kept;
}

/** The options of the pages {@link openKeptChapter} opens: a desktop-sized touch screen ({@link typingContext}). */
const chapterOptions = { ...typingContext, viewport: { width: 1024, height: 900 } };

/**
 * Like {@link openChapter}, but loaded afresh in a page kept across the file's tests ({@link KeptPages}, about a third
 * of the CPU of a new context): for tests that do not check which requests the page makes.
 */
export async function openKeptChapter(browser: Browser, hash = '', options: Parameters<Browser['newContext']>[0] = {}): Promise<KeptPage> {
  const opened = await keptPagesOf(browser).open(previewUrl(chapter) + hash, { ...chapterOptions, ...options }, 'networkidle');
  reportOnFailure(opened.page);
  return opened;
}

/**
 * The hvp-demo editor, opened and run once in the kept page (light scheme), then shared by the tests that only replace
 * its code and run it ({@link KeptPages.reuse}): each of them starts with setCode and waits for its run to end, so
 * none sees another's code or run. Another load in between, or a failed test (which drops the page), makes the next
 * one open the chapter and the editor afresh.
 */
export async function openSharedEditor(browser: Browser): Promise<KeptPage> {
  let fresh = false;
  const opened = await keptPagesOf(browser).reuse('hvp-demo editor, run once', previewUrl(chapter), { ...chapterOptions, colorScheme: 'light' }, async (page) => {
    fresh = true;
    reportOnFailure(page);
    await editAndRun(page);
  }, 'networkidle');
  if (!fresh) reportOnFailure(opened.page);
  return opened;
}

export const state = (page: Page, at = root) => page.locator(at).getAttribute('data-state');
export const output = (page: Page, at = root) => page.locator(`${at} [data-live="output"]`).innerText();
export const status = (page: Page, at = root) => page.locator(`${at} [data-live="status"]`).innerText();
export const editorText = (page: Page, at = root) =>
  page.locator(`${at} .cm-content`).evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));

/**
 * How long a test waits, polling, for the editor to mount and run after "Edit & run". It costs nothing when the
 * editor comes at once. Generous because the first mount loads and compiles about a megabyte of JavaScript: three
 * runs of the live-code tests in 19, all on a loaded machine, found no editor after 30 s (a failing test prints the
 * island's state, see {@link reportOnFailure}). An editor that never mounts still fails.
 */
export const EDITOR_LOAD_MS = 120_000;

/** Clicks "Edit & run" in the island at `at` and polls until its state matches `until` (the first run's end). */
export async function editAndRun(page: Page, at = root, until: string | RegExp = 'done'): Promise<void> {
  const button = page.locator(`${at} [data-live="edit"]`);
  // Figures near the button hydrate once it is on screen. A hydrating figure used to change height, and a click
  // sent meanwhile could land where the button had been (seen once in 19 runs: the button unclicked, a figure island
  // loading). Figures now keep their height (figureHeights.ts checks it); the test still scrolls first, lets the
  // figures' observers fire and clicks once none is loading, so that no late layout change can race the click.
  await button.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect.poll(() => page.locator('[data-figure][data-booted="loading"]').count()).toBe(0);
  await button.click();
  const reached = expect.poll(() => state(page, at), { timeout: EDITOR_LOAD_MS });
  await (typeof until === 'string' ? reached.toBe(until) : reached.toMatch(until));
}

/** Opens the hvp-demo editor (in a kept page) and waits for its first run. */
export async function openEditor(browser: Browser): Promise<KeptPage> {
  const o = await openKeptChapter(browser);
  await editAndRun(o.page);
  return o;
}

/** Replaces the editor's whole text the way a reader would: select all, type. */
export async function setCode(page: Page, code: string, at = root) {
  await page.locator(`${at} .cm-content`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect.poll(() => editorText(page, at)).toBe(code);
}

export async function runAndWait(page: Page, at = root, timeout = 30_000) {
  await page.locator(`${at} [data-live="run"]`).click();
  await expect.poll(() => state(page, at), { timeout }).toMatch(/^(done|error|stopped)$/);
}

/**
 * A main-thread probe: a timer that re-arms itself every 16 ms and records the longest gap between two ticks.
 * A page that stops answering (a long task) shows as a long gap. Functional, not a speed budget: a page that
 * answers at all while an attack runs stays far below the bound; a frozen one goes past it by seconds.
 */
export async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __probe: { max: number; last: number; ticks: number } };
    w.__probe = { max: 0, last: performance.now(), ticks: 0 };
    const tick = () => {
      const now = performance.now();
      w.__probe.max = Math.max(w.__probe.max, now - w.__probe.last);
      w.__probe.last = now;
      w.__probe.ticks++;
      setTimeout(tick, 16);
    };
    setTimeout(tick, 16);
  });
}

/** The longest the main thread went without answering the probe so far (ms); Infinity if it does not answer. */
export async function probeMax(page: Page, waitMs = 15_000): Promise<number> {
  const read = page.evaluate(() => {
    const p = (window as unknown as { __probe: { max: number; last: number } }).__probe;
    return Math.max(p.max, performance.now() - p.last);
  });
  const timeout = new Promise<number>((r) => setTimeout(() => r(Infinity), waitMs));
  return Promise.race([read, timeout]);
}

/**
 * The generous bound on {@link probeMax}: the page answered within this many ms throughout. On the shared
 * two-core machine (load average above 12 while these tests ran) a benign run already shows gaps of 100–400 ms,
 * and Observable Plot's first load plus three small figures up to about 1.1 s; the attacks this guards against
 * froze the page for 10–34 s, and the tests fail on them by timing out. 5 s leaves a busy machine room and still
 * fails every one of those freezes.
 */
export const probeBoundMs = 5000;
