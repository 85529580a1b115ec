import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBrowser, launch, previewUrl, seriousAxeViolations, testContext, typingContext, watch, type PageProblems } from '../support/browser.ts';
import { BYTES } from '../support/budgets.ts';
import { gzFiles, liveCodeBundles } from '../support/bundles.ts';
import { kb } from '../support/dist.ts';
import { KeptPages } from '../support/keptPages.ts';
import { chapter, EDITOR_LOAD_MS, editAndRun, editorText, openKeptChapter, openSharedEditor, output, reportOnFailure, root, runAndWait, setCode, state } from './liveCodeHelpers.ts';
import { tensor } from '../../src/lib/autodiff/index.ts';
import { withCode } from '../../src/lib/live/codec.ts';

const hvpSource = readFileSync('src/content/chapters/calc-16-hessian-vector/hvp-demo.ts', 'utf8').replace(/\n$/, '');
const A = tensor([
  [5, 1],
  [1, 3],
]);
/** What hvp-demo.ts prints for Hv with direction v: for its quadratic, H = A. */
const expectedHv = (v: number[]) => A.matmul(tensor(v)).toString();
/** The files that make up the editor and the runner (never requested before the reader asks). */
const onDemand = /\/_astro\/(editor|runner\.worker)[.-]/;

interface Opened {
  context: BrowserContext;
  page: Page;
  problems: PageProblems;
  /** Every request and worker script, for a page opened in a context of its own. */
  requests?: string[];
}

describeBrowser('live code in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * The chapter at `hash`: in `options.context` when one is given, with every request recorded; else loaded afresh in
   * a page kept across the file's tests (see KeptPages), which records none.
   */
  async function openChapter(hash = '', options: { colorScheme?: 'light' | 'dark'; context?: BrowserContext } = {}): Promise<Opened> {
    if (!options.context) return openKeptChapter(browser, hash, { colorScheme: options.colorScheme ?? 'light' });
    const context = options.context;
    const page = await context.newPage();
    const url = previewUrl(chapter);
    const problems = watch(page, new URL(url).origin);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('worker', (w) => requests.push(w.url()));
    const o = { context, page, problems, requests };
    reportOnFailure(page);
    const res = await page.goto(url + hash, { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    return o;
  }

  /** Ends a test's use of the page: it must have reported no problems. (Contexts close when their test ends.) */
  async function close(o: Opened) {
    expect(o.problems).toEqual({ console: [], failed: [], external: [] });
  }

  /** The ranges CodeMirror marks as errors: their line and text. */
  const marked = (page: Page) =>
    page.locator(`${root} .cm-content`).evaluate((el) =>
      [...el.querySelectorAll('.cm-lintRange-error')].map((r) => ({
        line: [...el.querySelectorAll('.cm-line')].indexOf(r.closest('.cm-line')!) + 1,
        text: r.textContent,
      })),
    );

  /** The hvp-demo editor, opened and run once, then shared by the tests that only replace its code and run it. */
  const openEditor = (): Promise<Opened> => openSharedEditor(browser);

  it('shows the listing highlighted at build time and requests nothing of the editor before the click', async () => {
    const o = await openChapter('', { context: await testContext(browser, { ...typingContext, colorScheme: 'light', viewport: { width: 1024, height: 900 } }) });
    const { page } = o;
    const requests = o.requests!;
    const pre = page.locator(`${root} [data-live="static"] pre.astro-code`);
    await expect(pre.textContent()).resolves.toBe(hvpSource);
    expect(await pre.locator('span[style*="--shiki-dark"]').count()).toBeGreaterThan(5);
    // The page has settled (network idle after load) and its islands are booted or waiting: nothing asked for the editor.
    await page.waitForLoadState('networkidle');
    expect(requests.filter((u) => onDemand.test(u))).toEqual([]);
    expect(await page.locator(`${root} .cm-editor`).count()).toBe(0);

    // Click "Edit & run": the editor loads, the listing runs, Hv appears. (How long that takes is measured by
    // `npm run perf`; here only that the page records it.)
    const runnerChunks: string[] = [];
    page.on('request', (r) => /runner\.worker/.test(r.url()) && runnerChunks.push(r.url()));
    // Records, in the page, each worker started and each terminated, in order.
    await page.evaluate(() => {
      const w = window as unknown as { __workers: string[]; Worker: typeof Worker };
      const Original = w.Worker;
      w.__workers = [];
      w.Worker = class extends Original {
        constructor(url: string | URL, options?: WorkerOptions) {
          super(url, options);
          w.__workers.push(`start ${String(url).slice(0, 5)}`);
        }
        override terminate() {
          w.__workers.push('end');
          super.terminate();
        }
      };
    });
    await page.locator(`${root} [data-live="edit"]`).click();
    await expect.poll(() => output(page), { timeout: EDITOR_LOAD_MS }).toContain(`Hessian-vector product Hv: ${expectedHv([0.6, -1])}`);
    expect(Number(await page.locator(root).getAttribute('data-first-output-ms'))).toBeGreaterThan(0);
    await expect.poll(() => state(page)).toBe('done');
    expect(await editorText(page)).toBe(hvpSource);
    // The first click started one runner worker (a blob: module importing the runner); the spare for the next run
    // started only once that run's worker had ended.
    await expect.poll(() => page.evaluate(() => (window as unknown as { __workers: string[] }).__workers)).toEqual(['start blob:', 'end', 'start blob:']);
    expect(runnerChunks.length).toBeGreaterThanOrEqual(1);

    // Everything came from the site, under the base path, the worker included.
    const worker = requests.find((u) => /runner\.worker.*\.js$/.test(u));
    expect(worker, 'the runner worker was started').toBeDefined();
    expect(worker!.startsWith(previewUrl('_astro/'))).toBe(true);
    expect(requests.filter((u) => onDemand.test(u)).every((u) => u.startsWith(previewUrl()))).toBe(true);
    await close(o);
  });

  it('runs the edited listing: a new v gives the new Hv', async () => {
    const o = await openEditor();
    const { page } = o;
    const edited = hvpSource.replace(/const v = tensor\(\[[^\]]*\]\)/, 'const v = tensor([1, 0.5])');
    expect(edited).not.toBe(hvpSource);
    await setCode(page, edited);
    await runAndWait(page);
    const text = await output(page);
    expect(text).toContain(`Hessian-vector product Hv: ${expectedHv([1, 0.5])}`);
    expect(text).not.toContain(expectedHv([0.6, -1]));
    await expect(page.locator(`${root} [data-live="status"]`).innerText()).resolves.toMatch(/Finished in/);
    await close(o);
  });

  it('reports a syntax error at its line and a runtime error at its line and column, in the reader\'s source', async () => {
    const o = await openEditor();
    const { page } = o;

    await setCode(page, "const a: number = 1;\nconsole.log('before');\nlet x = 1 y;\n");
    await runAndWait(page);
    expect(await state(page)).toBe('error');
    const syntax = await output(page);
    expect(syntax).toBe("Line 3, column 11: expected ';'");
    // Said once on the page (the status points to it), and the line is marked in the editor.
    const island = await page.locator(root).innerText();
    expect(island.split("expected ';'").length - 1).toBe(1);
    expect(island).not.toMatch(/Error transforming/);
    expect(await status(page)).toBe('Did not run: the code has a syntax error on line 3 (see below).');
    await expect.poll(() => marked(page)).toEqual([{ line: 3, text: 'y' }]);

    // Types are stripped before the call, so only the map brings the column back to what the reader sees.
    await setCode(page, "const n: number = 2;\nconsole.log('n is', n);\nconst t = { a: 1 } as { a: number; b?: { c: number } }; t.b!.c;\n");
    await runAndWait(page);
    const runtime = await output(page);
    expect(runtime).toContain('n is 2');
    expect(runtime).toMatch(/^Line 3, column 62: TypeError: Cannot read properties of undefined/m);
    await expect.poll(() => marked(page)).toEqual([{ line: 3, text: 'c' }]);
    // The location is a button that puts the cursor there.
    await page.locator(`${root} .live-goto`).click();
    const caret = await page.evaluate(() => {
      const sel = getSelection();
      const line = sel?.anchorNode?.parentElement?.closest('.cm-line');
      return line ? [...line.parentElement!.children].indexOf(line) + 1 : -1;
    });
    expect(caret).toBe(3);
    await close(o);
  });

  it('stops `while (true) {}` at its budget, says so, and the next run works', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(page, "console.log('spinning');\nwhile (true) {}\n");
    await page.locator(`${root} [data-live="run"]`).click();
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('stopped');
    expect(await output(page)).toMatch(/spinning[\s\S]*Stopped: the run went past its 3 s budget/);
    // The page stayed responsive and the editor works: a fresh worker runs the listing.
    await setCode(page, hvpSource);
    await runAndWait(page);
    expect(await state(page)).toBe('done');
    expect(await output(page)).toContain(`Hessian-vector product Hv: ${expectedHv([0.6, -1])}`);
    await close(o);
  });

  it('caps output with a notice', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(page, 'for (let i = 0; i < 100000; i++) console.log(i);\n');
    await runAndWait(page);
    const text = await output(page);
    expect(text).toMatch(/Output truncated: a run shows at most 500 lines/);
    expect(await page.locator(`${root} .live-line`).count()).toBeLessThanOrEqual(502);
    await close(o);
  });

  const status = (page: Page) => page.locator(`${root} [data-live="status"]`).innerText();
  const rows = (page: Page) => page.locator(`${root} .live-line`).count();

  it('refuses postMessage and close to a listing, on the global, the scope and its prototype', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(
      page,
      [
        'const tries: Record<string, () => void> = {',
        "  self: () => self.postMessage({ type: 'console', runId: 2, level: 'log', text: 'forged' }),",
        "  global: () => postMessage({ type: 'console', runId: 2, level: 'log', text: 'forged' }),",
        '  chain: () => {',
        '    for (let p: any = self; p; p = Object.getPrototypeOf(p))',
        "      Object.getOwnPropertyDescriptor(p, 'postMessage')?.value?.call(self, { type: 'console', runId: 2, level: 'log', text: 'forged' });",
        '  },',
        "  restored: () => { delete (self as any).postMessage; self.postMessage({ type: 'console', runId: 2, level: 'log', text: 'forged' }); },",
        '  close: () => close(),',
        '  selfClose: () => self.close(),',
        '};',
        'for (const [k, f] of Object.entries(tries)) {',
        '  try { f(); console.log(k, "went through"); } catch (e) { console.log(k, "refused:", (e as Error).message); }',
        '}',
      ].join('\n'),
    );
    await runAndWait(page);
    const text = await output(page);
    for (const k of ['self', 'global', 'chain']) expect(text).toContain(`${k} refused: postMessage is not available in live code`);
    expect(text).toMatch(/restored refused: .*(postMessage is not available|Cannot delete)/);
    for (const k of ['close', 'selfClose']) expect(text).toContain(`${k} refused: close() is not available in live code`);
    expect(text).not.toMatch(/went through|forged/);
    expect(await state(page)).toBe('done');
    await close(o);
  });

  it('a listing cannot flood the output through self.postMessage (attack a)', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(page, "for (let i = 0; i < 300000; i++) self.postMessage({ type: 'console', runId: 2, level: 'log', text: 'spam ' + i });\n");
    await runAndWait(page);
    expect(await state(page)).toBe('error');
    expect(await output(page)).toMatch(/^Line 1, column \d+: TypeError: postMessage is not available in live code/);
    expect(await output(page)).not.toContain('spam');
    expect(await rows(page)).toBeLessThanOrEqual(2);
    await close(o);
  });

  it('a listing cannot forge "done" to escape its budget (attack b)', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(
      page,
      [
        // Every run id the page could be at (this editor may have run before), through both names of postMessage.
        "for (let runId = 0; runId < 1000; runId++) try { self.postMessage({ type: 'done', runId, ok: true, ms: 0 }); } catch {}",
        "for (let runId = 0; runId < 1000; runId++) try { postMessage({ type: 'done', runId, ok: true, ms: 0 }); } catch {}",
        "console.log('spinning');",
        'while (true) {}',
      ].join('\n'),
    );
    await page.locator(`${root} [data-live="run"]`).click();
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('stopped');
    expect(await status(page)).toMatch(/went past its 3 s budget/);
    expect(await output(page)).not.toMatch(/Finished/);
    await close(o);
  });

  it('a listing cannot send a figure that skipped the checks (attack c)', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(
      page,
      // The 2M-point payload is a typed array, cheap to build even on a loaded machine, so the run reaches the
      // postMessage well inside its time budget and the refusal is what ends it.
      "const data = new Float64Array(2_000_000);\nself.postMessage({ type: 'plot', runId: 4, name: 'big', spec: { marks: [{ mark: 'dot', data, options: { x: 'x', y: 'y' } }] } });\n",
    );
    await runAndWait(page);
    expect(await state(page)).toBe('error');
    expect(await output(page)).toMatch(/TypeError: postMessage is not available in live code/);
    expect(await page.locator(`${root} .live-figure`).count()).toBe(0);
    await close(o);
  });

  it('a show() with a bad spec and no await ends the run in the error state', async () => {
    const o = await openEditor();
    const { page } = o;
    await setCode(page, "show('bad', { marks: [{ mark: 'nope' }] } as any);\nconsole.log('after');\n");
    await runAndWait(page);
    await expect.poll(() => output(page)).toMatch(/after[\s\S]*TypeError: show: marks\[0\]\.mark 'nope'/);
    expect(await status(page)).toMatch(/^Stopped by an error/);
    expect(await state(page)).toBe('error');
    await close(o);
  });

  it('passes axe with the editor open, output and an error shown, in light and dark', async () => {
    // The shared editor, last of the tests that share it: axe adds a style sheet to the page.
    const o = await openEditor();
    const { page } = o;
    // The static, highlighted listings (every token colour) are checked with the whole page in pages.test.ts;
    // here the island that changed: the editor, its output and its error.
    await setCode(page, "console.log('ok');\nconsole.warn('careful');\nthrow new RangeError('boom');");
    await runAndWait(page);
    // Both themes on the one page: the island's colours are CSS custom properties, recoloured by the scheme.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      expect(await seriousAxeViolations(page, root), colorScheme).toEqual([]);
    }
    await close(o);
  }, 240_000); // axe takes about a minute per run on the chapter when the machine is busy

  it('runs newton-lbfgs-demo.ts and draws its figures with Observable Plot under the editor', async () => {
    const o = await openChapter();
    const { page } = o;
    const nl = '[data-island="live-code"][data-listing="newton-lbfgs-demo"]';
    await editAndRun(page, nl);
    const text = await page.locator(`${nl} [data-live="output"]`).innerText();
    expect(text).toMatch(/SGD ended at \[ ?1\.0+\d* -1\.0+\d*\] after 40 steps/);
    expect(text).toMatch(/L-BFGS ended at/);
    await expect.poll(() => page.locator(`${nl} .live-figure svg`).count(), { timeout: 10_000 }).toBe(2);
    const figures = await page.locator(`${nl} .live-figure`).evaluateAll((els) =>
      els.map((e) => ({ name: e.getAttribute('data-figure'), label: e.querySelector('svg')?.getAttribute('aria-label'), paths: e.querySelectorAll('path').length })),
    );
    expect(figures.map((f) => f.name)).toEqual(['contours', 'paths']);
    expect(figures.every((f) => f.paths > 2 && f.label)).toBe(true);
    expect(await seriousAxeViolations(page, nl)).toEqual([]);
    await close(o);
  });

  it('draws show() figures at the width they have on a 360 px phone, titled by a caption, not a heading', async () => {
    const o = await openKeptChapter(browser, '', { colorScheme: 'light', viewport: { width: 360, height: 800 } });
    const { page } = o;
    const nl = root;
    await editAndRun(page, nl, /^(done|stopped|error)$/);
    const path = (k: number) => `Array.from({ length: 40 }, (_, i) => ({ x: i / 10, y: Math.exp(-i / ${k}) }))`;
    await setCode(
      page,
      [
        `await show('decay', { title: 'f(x) − f* by iteration', y: { type: 'log', label: 'f(x) − f*' }, marks: [{ mark: 'line', data: ${path(8)}, options: { x: 'x', y: 'y' } }] });`,
        `await show('slow', { title: 'A slower decay', subtitle: 'same axes', marks: [{ mark: 'dot', data: ${path(30)}, options: { x: 'x', y: 'y' } }, { mark: 'frame' }] });`,
      ].join('\n'),
    );
    await runAndWait(page);
    expect(await state(page)).toBe('done');
    await expect.poll(() => page.locator(`${nl} .live-figure svg`).count(), { timeout: 10_000 }).toBe(2);
    const drawn = await page.locator(`${nl} .live-figure`).evaluateAll((els) =>
      els.map((e) => {
        const svg = e.querySelector('svg')!;
        const tick = svg.querySelector('[aria-label$="tick label"] text, g text');
        return {
          drawnAt: Number(svg.getAttribute('width')),
          shownAt: svg.getBoundingClientRect().width,
          box: e.parentElement!.clientWidth,
          caption: e.querySelector('figcaption')?.textContent ?? null,
          headings: e.querySelectorAll('h1, h2, h3, h4').length,
          tickPx: tick ? parseFloat(getComputedStyle(tick).fontSize) * (svg.getBoundingClientRect().width / Number(svg.getAttribute('width'))) : 0,
        };
      }),
    );
    for (const f of drawn) {
      expect(f.drawnAt).toBeLessThanOrEqual(f.box);
      expect(f.drawnAt).toBeGreaterThan(f.box - 2);
      expect(Math.abs(f.shownAt - f.drawnAt)).toBeLessThan(1); // not shrunk
      expect(f.tickPx).toBeGreaterThanOrEqual(10);
      expect(f.headings).toBe(0);
    }
    expect(drawn.map((f) => f.caption)).toEqual(['f(x) − f* by iteration', 'A slower decay — same axes']);
    await close(o);
  });

  /**
   * The next run's worker (the warm spare), with its own postMessage and close captured by the test before the
   * runner locks them, and the run request it receives: a stand-in for a runner gone wrong.
   */
  async function compromisedSpare(page: Page, workers: import('playwright-core').Worker[]) {
    await expect.poll(() => workers.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const spare = workers.at(-1)!;
    await spare.evaluate(() => {
      const g = self as unknown as Record<string, unknown> & DedicatedWorkerGlobalScope;
      g.__post = g.postMessage.bind(g);
      g.__close = g.close.bind(g);
      g.addEventListener('message', (e: MessageEvent) => (g.__req = e.data));
    });
    return spare;
  }

  /**
   * Opens the editor, takes over the spare runner (as code that escaped into it could), runs `code` on it and
   * returns once the run's request (its id and token) has reached the compromised runner.
   */
  async function hijackedRun(code: string) {
    const o = await openChapter();
    const { page } = o;
    const workers: import('playwright-core').Worker[] = [];
    KeptPages.on(page, 'worker', (w) => workers.push(w));
    await editAndRun(page);
    const spare = await compromisedSpare(page, workers);
    await setCode(page, code);
    await page.locator(`${root} [data-live="run"]`).click();
    await expect.poll(() => spare.evaluate(() => !!(self as unknown as { __req?: unknown }).__req), { timeout: 10_000 }).toBe(true);
    const req = (await spare.evaluate(() => (self as unknown as { __req: { runId: number; token: string } }).__req)) as { runId: number; token: string };
    return { o, page, spare, req };
  }

  it('ignores messages without the run\'s token, and holds even the runner\'s own messages to the limits', async () => {
    const { o, page, spare, req } = await hijackedRun("console.log('waiting');\nawait new Promise((r) => setTimeout(r, 2000));\n");
    expect(req.token).toMatch(/^[0-9a-f]{32}$/);

    // Without the token (or with another), nothing counts: no output, no "done".
    await spare.evaluate(({ runId, token: good }) => {
      const post = (self as unknown as { __post: (m: unknown) => void }).__post;
      for (const token of [undefined, '', '0'.repeat(32)]) {
        post({ type: 'console', runId, token, level: 'log', text: 'forged' });
        post({ type: 'done', runId, token, ok: true, ms: 0 });
      }
      // A message with the token after the forged ones: once it shows, the page has handled every message before it.
      post({ type: 'console', runId, token: good, level: 'log', text: 'marker' });
    }, req);
    await expect.poll(() => output(page), { timeout: 20_000 }).toContain('marker');
    expect(await state(page)).toBe('running');
    expect(await output(page)).not.toContain('forged');

    // With the token: the page caps lines itself, and ends a run whose worker sends more messages than any
    // runner would (2,000 per run).
    await spare.evaluate(({ runId, token }) => {
      const post = (self as unknown as { __post: (m: unknown) => void }).__post;
      for (let i = 0; i < 300_000; i++) post({ type: 'console', runId, token, level: 'log', text: 'spam ' + i });
    }, req);
    await expect.poll(() => state(page), { timeout: 60_000 }).toBe('stopped');
    const text = await output(page);
    // 'waiting', the marker and spam 0 to 497 make the 500 lines.
    expect(text).toMatch(/spam 497\n[\s\S]*Output truncated: a run shows at most 500 lines/);
    expect(text).not.toContain('spam 498');
    expect(await status(page)).toMatch(/^Stopped: the run sent more than 2,000 messages to the page/);
    expect(await rows(page)).toBeLessThanOrEqual(503);
    await close(o);
  });

  it('ends a run whose runner sends a figure too big to carry, before drawing anything', async () => {
    const { o, page, spare, req } = await hijackedRun("console.log('waiting');\nawait new Promise((r) => setTimeout(r, 2000));\n");
    await spare.evaluate(({ runId, token }) => {
      const post = (self as unknown as { __post: (m: unknown) => void }).__post;
      post({ type: 'plot', runId, token, name: 'big', spec: { marks: [{ mark: 'dot', data: new Float64Array(2_000_000), options: { x: 'x', y: 'y' } }] } });
    }, req);
    await expect.poll(() => state(page), { timeout: 20_000 }).toBe('stopped');
    expect(await status(page)).toMatch(/^Stopped: the run sent more than 8 MB to the page/);
    expect(await page.locator(`${root} .live-figure`).count()).toBe(0);
    await close(o);
  });

  it('reports a runner that ended without finishing, at once and not as a spent budget', async () => {
    const o = await openChapter();
    const { page } = o;
    const workers: import('playwright-core').Worker[] = [];
    KeptPages.on(page, 'worker', (w) => workers.push(w));
    await editAndRun(page);
    const spare = await compromisedSpare(page, workers);
    // The listing waits a minute: long enough that its own end can never come before the test closes its worker,
    // however slow the machine (a runner that did not close would leave the run 'running' and fail the poll below).
    await setCode(page, "console.log('waiting');\nawait new Promise((r) => setTimeout(r, 60_000));\n");
    await page.locator(`${root} [data-live="run"]`).click();
    await expect.poll(() => output(page), { timeout: 10_000 }).toContain('waiting');
    await spare.evaluate(() => (self as unknown as { __close: () => void }).__close()).catch(() => {});
    await expect.poll(() => state(page), { timeout: 30_000 }).toBe('error');
    expect(await status(page)).toMatch(/the runner ended without finishing/);
    expect(await output(page)).not.toMatch(/budget/);
    expect(await page.locator(`${root} [data-live="stop"]`).isDisabled()).toBe(true);
    // The next run starts fresh.
    await setCode(page, "console.log('again');");
    await runAndWait(page);
    expect(await state(page)).toBe('done');
    expect(await output(page)).toContain('again');
    await close(o);
  });

  it('restores code from a shared link without running it, next to other keys of the hash', async () => {
    const shared = "// shared\nconsole.log('from the link', 'äöü → ∇²f 🚀');\n";
    const hash = withCode('#fig-quadratic=x0:1,2', 'hvp-demo', shared);
    expect(hash.startsWith('#fig-quadratic=x0:1,2&code-hvp-demo=')).toBe(true);
    const o = await openChapter(hash);
    const { page } = o;
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toBe(shared.replace(/\n$/, '\n'));
    await expect(page.locator(`${root} [data-live="notice"]`).innerText()).resolves.toMatch(/shared link.*not run/);
    expect(await page.locator(`${root} [data-live="editor"]`).getAttribute('data-restored')).toBe('link');
    // Restoring is done (the editor says so); after the network settles (editor and runner loaded) it still has not run.
    await page.waitForLoadState('networkidle');
    expect(await state(page)).toBe('editing');
    await expect(page.locator(`${root} [data-live="output"]`).isHidden()).resolves.toBe(true);
    // The reader runs it when they choose.
    await runAndWait(page);
    expect(await output(page)).toContain('from the link äöü → ∇²f 🚀');
    // Copy link writes this listing's key and keeps the figure's.
    await setCode(page, "console.log('edited again');");
    await page.locator(`${root} [data-live="copy"]`).click();
    await expect(page.locator(`${root} [data-live="notice"]`).innerText()).resolves.toMatch(/Link|address bar/);
    const after = await page.evaluate(() => location.hash);
    expect(after).toBe(withCode('#fig-quadratic=x0:1,2', 'hvp-demo', "console.log('edited again');"));
    await close(o);
  });

  it('opens a shared link scrolled to its listing, the editor open with the code highlighted and marked, not run', async () => {
    const nl = '[data-island="live-code"][data-listing="newton-lbfgs-demo"]';
    const shared = "import { tensor } from 'course/autodiff';\n// from a friend\nconst x = tensor([1, 2]);\nconsole.log(x.mul(2).toString());\n";
    const o = await openChapter(withCode('', 'newton-lbfgs-demo', shared));
    const { page } = o;
    await expect.poll(() => page.locator(`${nl} .cm-content`).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator(nl).evaluate((el) => Math.round(el.getBoundingClientRect().top)), { timeout: 5000 }).toBeLessThan(100);
    const view = await page.locator(nl).evaluate((el) => ({ top: el.getBoundingClientRect().top, scrolled: scrollY, restored: el.querySelector<HTMLElement>('[data-live="editor"]')!.dataset.restored }));
    expect(view.top).toBeGreaterThanOrEqual(-1);
    expect(view.scrolled).toBeGreaterThan(500); // the listing is far down the chapter
    expect(view.restored).toBe('link');
    // Syntax-highlighted like the static listing: keywords, strings and comments carry highlight classes.
    const tokens = await page.locator(`${nl} .cm-line span[class]`).evaluateAll((els) => els.map((e) => getComputedStyle(e).color));
    expect(new Set(tokens).size).toBeGreaterThanOrEqual(3);
    expect(await page.locator(nl).getAttribute('data-state')).toBe('editing');
    await expect(page.locator(`${nl} [data-live="output"]`).isHidden()).resolves.toBe(true);
    // Running it clears the mark.
    await page.locator(`${nl} [data-live="run"]`).click();
    await expect.poll(() => page.locator(nl).getAttribute('data-state')).toBe('done');
    expect(await page.locator(`${nl} [data-live="editor"]`).getAttribute('data-restored')).toBeNull();
    await close(o);
  });

  it('without JavaScript, every "Edit & run" button says why it does not work', async () => {
    const context = await testContext(browser, { javaScriptEnabled: false });
    const o = await openChapter('', { context });
    const { page } = o;
    const buttons = await page.locator('[data-live-edit]').evaluateAll((els) =>
      els.map((b) => {
        const note = document.getElementById(b.getAttribute('aria-describedby') ?? '');
        return { text: note?.textContent ?? null, visible: !!note && note.getBoundingClientRect().height > 0, opacity: getComputedStyle(b).opacity };
      }),
    );
    expect(buttons.length).toBeGreaterThanOrEqual(2);
    for (const b of buttons) {
      expect(b.text).toMatch(/needs JavaScript, which is off/);
      expect(b.visible).toBe(true);
      expect(Number(b.opacity)).toBeLessThan(1);
    }
    await close(o);
  });

  it('ignores a malformed link with a visible notice', async () => {
    const o = await openChapter('#code-hvp-demo=!!not-lz-string!!');
    const { page } = o;
    const notice = page.locator(`${root} [data-live="notice"]`);
    await expect.poll(() => notice.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect(notice.innerText()).resolves.toMatch(/could not be read/);
    expect(await editorText(page)).toBe(hvpSource);
    await close(o);
  });

  it('keeps edits across a reload, and Reset brings back the original', async () => {
    // The kept page starts with the origin's storage cleared, so nothing is restored before the edit.
    const o = await openChapter();
    expect(await o.page.evaluate(() => localStorage.getItem('live-code:v1:hvp-demo'))).toBeNull();
    const { page } = o;
    await editAndRun(page);
    const edited = `${hvpSource}\nconsole.log('my edit');`;
    await setCode(page, edited);
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => editorText(page), { timeout: 10_000 }).toBe(edited);
    await expect(page.locator(`${root} [data-live="notice"]`).innerText()).resolves.toMatch(/restored/);
    expect(await state(page)).toBe('editing');
    await page.locator(`${root} [data-live="reset"]`).click();
    expect(await editorText(page)).toBe(hvpSource);
    expect(await page.evaluate(() => localStorage.getItem('live-code:v1:hvp-demo'))).toBeNull();
    await close(o);
  });

  it('loads only a tiny bootstrap with the page; the editor and transpiler load on demand within their budget', () => {
    const { page, boot, rows, editorAndTranspiler, plot } = liveCodeBundles(`${chapter}index.html`);
    console.log('\nLive code: what loads when (gzip -9)');
    console.table(rows.map((r) => ({ what: r.what, when: r.when, files: r.files.length, 'KB gz': kb(r.gz) })));
    expect(rows.every((r) => r.files.length > 0)).toBe(true);
    expect(editorAndTranspiler).toBeLessThanOrEqual(BYTES.editorAndTranspiler);
    expect(gzFiles([boot])).toBeLessThanOrEqual(BYTES.liveBootstrap);
    expect(page.jsGzip).toBeLessThanOrEqual(BYTES.chapterInitialJs);
    expect(plot).toBeLessThanOrEqual(BYTES.plot);
  });
});
