import type { Browser, BrowserContext, CDPSession, Page, Request, Worker } from 'playwright-core';
import { afterAll, beforeAll, onTestFailed, onTestFinished } from 'vitest';
import { watch, type PageProblems } from './browser.ts';
import { launch } from './chromium.ts';

type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

/** A page opened by {@link KeptPages.open}: the kept page, its context, and what went wrong on it in this test. */
export interface KeptPage {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
}

interface Kept {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  /** What the page holds when a test left it through {@link KeptPages.reuse} (label and address); null after `open`. */
  prepared: string | null;
}

/**
 * Pages kept open across the tests of one file, one per set of context options. `open(url)` loads the address as a
 * new document in the kept page (it goes through about:blank first, so even a change of hash alone is a full load).
 *
 * Why: a new context's first page starts a renderer process with cold caches. Loading chapter 16 that way costs
 * about 3.7 s of CPU on the test machine; loading it again in a kept page costs about 1.3 s. The browser tests are
 * CPU-bound, so that difference is most of their running time.
 *
 * Each test still starts from a clean page: before every load the origin's storage is cleared and the emulated media
 * and viewport are set back to the context's options; listeners added through `on` and the problem watch end with
 * the test; a failing test closes its page, so the next test gets a new one. Colour scheme, reduced motion and the
 * viewport are emulated per page, so options that differ only in those share one kept page.
 *
 * Not for tests that assert a request was or was not made: a kept renderer may serve a file from its memory cache
 * without a request. Nor for tests that need context-level routes, permissions, or JavaScript disabled per test
 * (page-level routes: `openRouted`).
 */
export class KeptPages {
  private readonly kept = new Map<string, Promise<Kept>>();

  constructor(private readonly browserOf: () => Browser) {}

  /** The browser the pages live in. */
  get browser(): Browser {
    return this.browserOf();
  }

  /** Loads `url` in the kept page for `options` (a new one the first time) and watches it until the test ends. */
  async open(url: string, options: ContextOptions = {}, waitUntil: 'load' | 'networkidle' = 'load'): Promise<KeptPage> {
    return this.load(url, options, waitUntil);
  }

  /**
   * Like `open`, with page-level routes that `route` adds before the load and that end with the test. While a page has
   * routes, Playwright turns its cache off, so every request of the load reaches them, as in a new context.
   */
  async openRouted(url: string, options: ContextOptions, route: (page: Page) => Promise<unknown>, waitUntil: 'load' | 'networkidle' = 'load'): Promise<KeptPage> {
    return this.load(url, options, waitUntil, route);
  }

  private async load(url: string, options: ContextOptions, waitUntil: 'load' | 'networkidle', route?: (page: Page) => Promise<unknown>): Promise<KeptPage> {
    const kept = await this.entry(options);
    kept.prepared = null;
    await this.reset(kept, new URL(url).origin, options);
    if (route) {
      onTestFinished(() => kept.page.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => {}));
      await route(kept.page);
    }
    const problems = watch(kept.page, new URL(url).origin, { until: 'test end' });
    const res = await kept.page.goto(url, { waitUntil });
    if (!res || res.status() >= 400) throw new Error(`KeptPages.open: ${url} answered ${res?.status() ?? 'nothing'}`);
    return { context: kept.context, page: kept.page, problems };
  }

  /**
   * The kept page as the last test left it, when that test also came through `reuse` with the same `label`, address
   * and options and no other load came between; otherwise `url` loaded afresh (as by `open`) and `prepare` run on it.
   * For tests that share a costly state (every figure hydrated, an editor opened and run once) and change nothing of
   * it that a later test reads, or set back first what they read. The media and viewport are set to `options` again
   * (no reload); problems are watched from this call to the end of the test; a failing test drops the page.
   */
  async reuse(label: string, url: string, options: ContextOptions, prepare: (page: Page) => Promise<unknown>, waitUntil: 'load' | 'networkidle' = 'load'): Promise<KeptPage> {
    const state = JSON.stringify([label, url, options]);
    const kept = await this.entry(options);
    if (kept.prepared !== state) {
      const opened = await this.open(url, options, waitUntil);
      await prepare(opened.page);
      kept.prepared = state;
      return opened;
    }
    await this.emulate(kept.page, options);
    return { context: kept.context, page: kept.page, problems: watch(kept.page, new URL(url).origin, { until: 'test end' }) };
  }

  /** Adds a listener to a page for the rest of the current test only. */
  static on(page: Page, event: 'request', listener: (r: Request) => void): void;
  static on(page: Page, event: 'worker', listener: (w: Worker) => void): void;
  static on(page: Page, event: 'request' | 'worker', listener: ((r: Request) => void) | ((w: Worker) => void)): void {
    const l = listener as (r: Request) => void;
    page.on(event as 'request', l);
    onTestFinished(() => void page.off(event as 'request', l));
  }

  /** Closes every kept page; call it in `afterAll`. */
  async closeAll(): Promise<void> {
    const all = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(all.map(async (p) => (await p).context.close().catch(() => {})));
  }

  /** The kept page for `options` (a new context the first time), dropped if the current test fails. */
  private async entry(options: ContextOptions): Promise<Kept> {
    // Colour scheme, reduced motion and viewport are emulated per page (in `emulate`), so they need no context of
    // their own; only a page without a fixed viewport (viewport: null) does.
    const { colorScheme: _c, reducedMotion: _r, viewport, ...rest } = options;
    const contextOptions = viewport === null ? { ...rest, viewport } : rest;
    const key = JSON.stringify(contextOptions);
    let entry = this.kept.get(key);
    if (entry && (await entry).page.isClosed()) entry = undefined;
    if (!entry) {
      entry = this.create(contextOptions);
      this.kept.set(key, entry);
    }
    const kept = await entry;
    onTestFailed(() => this.drop(key, entry));
    return kept;
  }

  private async create(options: ContextOptions): Promise<Kept> {
    const context = await this.browserOf().newContext(options);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    return { context, page, cdp, prepared: null };
  }

  private async reset(kept: Kept, origin: string, options: ContextOptions): Promise<void> {
    if (kept.page.url() !== 'about:blank') await kept.page.goto('about:blank');
    await kept.cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'cookies,local_storage,indexeddb,cache_storage,service_workers' });
    await this.emulate(kept.page, options);
  }

  /** Sets the page's emulated media and viewport to `options` (the defaults where they say nothing). */
  private async emulate(page: Page, options: ContextOptions): Promise<void> {
    await page.emulateMedia({ media: null, colorScheme: options.colorScheme ?? 'light', reducedMotion: options.reducedMotion ?? 'no-preference', forcedColors: options.forcedColors ?? 'none' });
    if (options.viewport === null) return;
    const size = options.viewport ?? { width: 1280, height: 720 };
    const now = page.viewportSize();
    if (now?.width !== size.width || now?.height !== size.height) await page.setViewportSize(size);
  }

  private drop(key: string, entry: Promise<Kept>): void {
    if (this.kept.get(key) !== entry) return;
    this.kept.delete(key);
    void entry.then((k) => k.context.close()).catch(() => {});
  }
}

/**
 * The setup every browser test file that keeps pages shares: Chromium launched before the file's tests, and closed
 * with every kept page after them. Call it in the file's `describeBrowser` block; `browser` is there from `beforeAll` on.
 */
export function keptPagesForFile(): KeptPages {
  let browser: Browser | undefined;
  const kept = new KeptPages(() => {
    if (!browser) throw new Error('keptPagesForFile: the browser is launched in beforeAll');
    return browser;
  });
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await kept.closeAll();
    await browser?.close();
  });
  return kept;
}
