import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, previewUrl, seriousAxeViolations, testContext, watch } from '../support/browser.ts';
import { expectSameHeightsAcrossHydration } from '../support/figureHeights.ts';
import { KeptPages, keptPagesForFile } from '../support/keptPages.ts';
import { BYTES } from '../support/budgets.ts';
import { distDir, distFiles, kb, pageWeight } from '../support/dist.ts';

const chapter = 'calc-16-hessian-vector/';
const FIGURES = ['quad', 'race', 'hvp'] as const;

let kept: KeptPages;

/** The chapter at `hash`, loaded afresh in a page kept across tests (see KeptPages). */
function open(hash = '', opts: Parameters<Browser['newContext']>[0] = {}) {
  return kept.open(previewUrl(chapter) + hash, { viewport: { width: 1024, height: 800 }, ...opts });
}

/** The chapter in a context of its own, for the test that checks which requests it makes. */
async function openFresh(browser: Browser) {
  const context = await testContext(kept.browser, { viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  const url = previewUrl(chapter);
  const problems = watch(page, new URL(url).origin);
  const islandRequests: string[] = [];
  page.on('request', (r) => {
    if (/Island|plot/i.test(r.url()) && r.url().endsWith('.js')) islandRequests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  return { context, page, problems, islandRequests };
}

/** Scrolls a figure into view and waits for its island to mount. */
async function hydrate(page: Page, name: string) {
  await page.locator(`[data-figure="${name}"]`).scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-figure="${name}"][data-hydrated="true"]`, { timeout: 15_000 });
}

describeBrowser('chapter figures in Chromium', () => {
  kept = keptPagesForFile();

  it('prints each island chunk and the initial JS of the chapter (gzip -9)', () => {
    const js = distFiles().filter((f) => f.endsWith('.js'));
    const rows = js.map((f) => {
      const buf = readFileSync(join(distDir, f));
      return { file: f, bytes: buf.length, gz: kb(gzipSync(buf, { level: 9 }).length) };
    });
    console.log('\nJavaScript chunks of the build:');
    console.table(rows);
    const w = pageWeight(chapter + 'index.html');
    console.log(`chapter initial JS: ${kb(w.jsGzip)} gz in ${w.jsFiles.length} file(s); HTML ${kb(w.htmlGzip)} gz, CSS ${kb(w.cssGzip)} gz`);
    expect(w.jsGzip).toBeLessThanOrEqual(BYTES.chapterInitialJs);
    for (const f of w.jsFiles) expect(f).not.toMatch(/Island/);
  });

  it('hydrates a figure only when it nears the viewport: no island or Plot chunk at the top of the page', async () => {
    const { context, page, problems, islandRequests } = await openFresh(kept.browser);
    for (const name of FIGURES) {
      // The bootstrap marks each figure it watches (on a busy machine possibly after network idle); a figure that
      // hydrated at the top of the page would read 'loading' or 'ready' and fail the poll.
      await expect.poll(() => page.locator(`[data-figure="${name}"]`).getAttribute('data-booted')).toBe('waiting');
      // The static SVG is there before hydration.
      expect(await page.locator(`[data-figure="${name}"] svg[role="img"]`).count()).toBeGreaterThan(0);
    }
    expect(islandRequests).toEqual([]);
    // Hydrating changes no figure's height (the handles' hint is in the page from the build, invisible until then).
    await expectSameHeightsAcrossHydration(page, FIGURES, hydrate);
    expect(islandRequests.length).toBeGreaterThan(0);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
    await context.close();
  });

  it('figure 1: editing A updates the chart, caption and hash; bad input shows a message and keeps the figure', async () => {
    const { page, problems } = await open();
    await hydrate(page, 'quad');
    const fig = page.locator('[data-figure="quad"]');
    await fig.locator('input[name="a12"][type="text"]').fill('3');
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('H = (A + Aᵀ)/2 = [[5, 2], [2, 3]]');
    expect(new URL(page.url()).hash).toBe('#quad.v=1&quad.a12=3');
    await fig.locator('input[name="a11"][type="text"]').fill('abc');
    await expect.poll(() => fig.locator('#fig-quad-a11-msg').textContent()).toContain('is not a number');
    expect(await fig.locator('#fig-quad-a11').getAttribute('aria-invalid')).toBe('true');
    expect(await fig.locator('svg[role="img"]').count()).toBe(1);
    expect(await fig.locator('.fig-caption').textContent()).toContain('A = [[5, 3], [1, 3]]');
    await fig.locator('input[name="a11"][type="text"]').fill('');
    await expect.poll(() => fig.locator('#fig-quad-a11-msg').textContent()).toContain('enter a number');
    // A saddle is explained, not blanked.
    await fig.locator('input[name="a11"][type="text"]').fill('-5');
    await expect.poll(() => fig.locator('.fig-status').textContent()).toContain('saddle');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('figure 1: a hash link reopens the same state; a malformed hash is ignored with a notice', async () => {
    let { page } = await open('#quad.v=1&quad.a11=7&quad.b2=4&code-x=keep');
    await hydrate(page, 'quad');
    let fig = page.locator('[data-figure="quad"]');
    expect(await fig.locator('#fig-quad-a11').inputValue()).toBe('7');
    expect(await fig.locator('.fig-caption').textContent()).toContain('A = [[7, 1], [1, 3]] and b = (−4, 4)');
    ({ page } = await open('#quad.a11=banana&code-x=keep'));
    await hydrate(page, 'quad');
    fig = page.locator('[data-figure="quad"]');
    expect(await fig.locator('.fig-notice').isVisible()).toBe(true);
    expect(await fig.locator('.fig-notice').textContent()).toMatch(/ignored/);
    expect(await fig.locator('#fig-quad-a11').inputValue()).toBe('5');
  });

  it('figure 2: moving the start point with the keyboard changes the paths and the hash; a diverging lr is stopped and marked', async () => {
    const { page, problems } = await open();
    await hydrate(page, 'race');
    const fig = page.locator('[data-figure="race"]');
    const handle = fig.locator('.fig-handle');
    expect(await handle.getAttribute('aria-label')).toContain('Start point x₀ at (2.5, −2)');
    const before = await fig.locator('.fig-path-sgd path').getAttribute('d');
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#race.v=1&race.x0=2.4&race.y0=-1.5');
    expect(await fig.locator('#fig-race-x0').inputValue()).toBe('2.4');
    await expect.poll(() => fig.locator('.fig-path-sgd path').getAttribute('d')).not.toBe(before);
    expect(await handle.getAttribute('aria-label')).toContain('(2.4, −1.5)');
    // Pointer drag moves it too.
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x - 60, box.y + 40, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => fig.locator('#fig-race-x0').inputValue()).not.toBe('2.4');
    await fig.locator('#fig-race-lr').fill('0.5');
    await expect.poll(() => fig.locator('.fig-status li[data-method="sgd"]').textContent()).toContain('diverged');
    expect(await fig.locator('svg').first().textContent()).toContain('SGD diverged');
    await fig.locator('#fig-race-lr').fill('NaN');
    await expect.poll(() => fig.locator('#fig-race-lr-msg').textContent()).toContain('is not a number');
    expect(await fig.locator('.fig-status li[data-method="sgd"]').textContent()).toContain('diverged');
    await fig.locator('#fig-race-axis').selectOption('eval');
    await expect.poll(() => fig.locator('svg').nth(1).getAttribute('aria-label')).toContain('against function evaluations');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('figure 2: a hash link reopens the race in the same state', async () => {
    const { page } = await open('#code-1=abc&race.v=1&race.x0=-1&race.y0=1.5&race.ls=0&race.hist=3');
    await hydrate(page, 'race');
    const fig = page.locator('[data-figure="race"]');
    expect(await fig.locator('#fig-race-x0').inputValue()).toBe('-1');
    expect(await fig.locator('#fig-race-ls').isChecked()).toBe(false);
    expect(await fig.locator('.fig-caption').textContent()).toContain('history 3 and fixed unit steps');
    expect(await fig.locator('.fig-handle').getAttribute('aria-label')).toContain('(−1, 1.5)');
  });

  it('figure 3: moving x with the keyboard changes Hv, the panel and the hash; the link reopens it', async () => {
    let { page, problems } = await open();
    await hydrate(page, 'hvp');
    let fig = page.locator('[data-figure="hvp"]');
    expect(await fig.locator('svg').first().getAttribute('aria-label')).toContain('Hv = (22, 30)');
    const handle = fig.locator('.fig-handle').first();
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#hvp.v=1&hvp.x1=-0.4');
    await expect.poll(() => fig.locator('svg').first().getAttribute('aria-label')).not.toContain('Hv = (22, 30)');
    expect(await fig.locator('.fig-status').textContent()).toContain('Double backward');
    await fig.locator('#fig-hvp-logr').fill('');
    await expect.poll(() => fig.locator('#fig-hvp-logr-msg').textContent()).toContain('enter a number');
    await fig.locator('#fig-hvp-fn').selectOption('quad');
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('Hv = Av wherever x is');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
    ({ page } = await open('#hvp.v=1&hvp.fn=wave&hvp.x1=1&hvp.logr=-8'));
    await hydrate(page, 'hvp');
    fig = page.locator('[data-figure="hvp"]');
    expect(await fig.locator('#fig-hvp-fn').inputValue()).toBe('wave');
    expect(await fig.locator('.fig-status').textContent()).toContain('Central difference, r = 1e−8');
  });

  it('figure 2: a diverged run is marked at the edge of the chart, its label inside the SVG', async () => {
    const { page, problems } = await open('#race.v=1&race.lr=0.5');
    await hydrate(page, 'race');
    const svg = page.locator('[data-figure="race"] svg').first();
    const label = svg.locator('.fig-diverged-label text', { hasText: 'SGD diverged' });
    await expect.poll(() => label.count()).toBe(1);
    const s = (await svg.boundingBox())!;
    const l = (await label.boundingBox())!;
    expect(l.x).toBeGreaterThanOrEqual(s.x);
    expect(l.y).toBeGreaterThanOrEqual(s.y);
    expect(l.x + l.width).toBeLessThanOrEqual(s.x + s.width);
    expect(l.y + l.height).toBeLessThanOrEqual(s.y + s.height);
    const cross = (await svg.locator('.fig-diverged path').boundingBox())!;
    expect(cross.x).toBeGreaterThanOrEqual(s.x);
    expect(cross.x + cross.width).toBeLessThanOrEqual(s.x + s.width);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  for (const [what, hash] of [
    ['a saddle', '#race.v=1&race.a11=1&race.a22=-1'],
    ['a dome', '#race.v=1&race.a11=-5&race.a22=-3'],
  ]) {
    it(`figure 2: on ${what}, runs heading to 1e300 draw finite, window-sized paths and log no errors`, async () => {
      const { page, problems } = await open(hash);
      await hydrate(page, 'race');
      const ds = await page.locator('[data-figure="race"] svg').first().locator('path').evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''));
      const nums = ds.flatMap((d) => d.match(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi) ?? []).map(Number);
      expect(nums.length).toBeGreaterThan(10);
      for (const n of nums) expect(Number.isFinite(n) && Math.abs(n) < 5000).toBe(true);
      expect(problems).toEqual({ console: [], failed: [], external: [] });
      });
  }

  it('figure 2: the caption speaks of line-search trials only when some are drawn', async () => {
    let { page } = await open();
    await hydrate(page, 'race');
    let fig = page.locator('[data-figure="race"]');
    expect(await fig.locator('.fig-caption').textContent()).toContain('accepted its first trial at every step');
    ({ page } = await open('#race.v=1&race.x0=-2.5&race.y0=7.5'));
    await hydrate(page, 'race');
    fig = page.locator('[data-figure="race"]');
    expect(await fig.locator('.fig-caption').textContent()).toMatch(/(Small hollow circles are the \d+ line-search trials|The small hollow circle is a line-search trial)/);
    expect(await fig.locator('svg').first().locator('[class^="fig-trials-"] > *').count()).toBeGreaterThan(0);
  });

  it('figure 3: x stays in the function’s view, with a notice when a link puts it outside; v = 0 is explained', async () => {
    let { page, problems } = await open('#hvp.v=1&hvp.x1=4&hvp.x2=4');
    await hydrate(page, 'hvp');
    let fig = page.locator('[data-figure="hvp"]');
    expect(await fig.locator('.fig-notice').isVisible()).toBe(true);
    expect(await fig.locator('.fig-notice').textContent()).toContain('moved to (2.3, 2.5)');
    expect(await fig.locator('#fig-hvp-x1').inputValue()).toBe('2.3');
    const chart = (await fig.locator('.fig-chart').first().boundingBox())!;
    const reset = (await fig.locator('.fig-reset').boundingBox())!;
    const handles = fig.locator('.fig-handle');
    for (let i = 0; i < (await handles.count()); i++) {
      const b = (await handles.nth(i).boundingBox())!;
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      expect(cx).toBeGreaterThanOrEqual(chart.x);
      expect(cx).toBeLessThanOrEqual(chart.x + chart.width);
      expect(cy).toBeGreaterThanOrEqual(chart.y);
      expect(cy).toBeLessThanOrEqual(chart.y + chart.height);
      const overlaps = b.x < reset.x + reset.width && reset.x < b.x + b.width && b.y < reset.y + reset.height && reset.y < b.y + b.height;
      expect(overlaps).toBe(false);
    }
    // The keyboard cannot push x out of the view either.
    await handles.first().focus();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => fig.locator('#fig-hvp-x1').inputValue()).toBe('2.3');
    await fig.locator('#fig-hvp-v1').fill('0');
    await fig.locator('#fig-hvp-v2').fill('0');
    await expect.poll(() => fig.locator('.fig-status').textContent()).toContain('v = 0, so Hv = 0 for every method; choose a nonzero direction.');
    expect(await fig.locator('svg').nth(1).textContent()).not.toContain('smallest');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
    ({ page, problems } = await open());
    await hydrate(page, 'hvp');
    fig = page.locator('[data-figure="hvp"]');
    expect(await fig.locator('.fig-notice').isHidden()).toBe(true);
  });

  it('at 360 px, figures keep their height on hydration and charts are drawn at their width: tick labels of 10 px or more', async () => {
    const { page, problems } = await open('', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const report: Record<string, string> = {};
    // At 360 px too, where the hint wraps, hydrating changes no figure's height.
    await expectSameHeightsAcrossHydration(page, FIGURES, hydrate);
    for (const name of FIGURES) {
      const svgs = page.locator(`[data-figure="${name}"] .fig-chart svg`);
      for (let i = 0; i < (await svgs.count()); i++) {
        const svg = svgs.nth(i);
        await expect.poll(async () => Number(await svg.getAttribute('width'))).toBeLessThan(400);
        const heights = await svg.locator('g[font-variant="tabular-nums"] text').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
        expect(heights.length).toBeGreaterThan(2);
        report[`${name} chart ${i + 1}`] = `svg ${await svg.getAttribute('width')} px wide, tick labels ${Math.min(...heights).toFixed(1)} px tall`;
        for (const h of heights) expect(h).toBeGreaterThanOrEqual(10);
      }
    }
    console.log('\nAt 360 px:');
    console.table(report);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('has no serious axe violations with every figure hydrated, in light and dark', async () => {
    const { page, problems } = await open();
    for (const name of FIGURES) await hydrate(page, name);
    // Both themes on the one page: the figures' colours are CSS custom properties (figures.css), recoloured by the scheme.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      expect(await seriousAxeViolations(page, '[data-figure]'), colorScheme).toEqual([]);
    }
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });
});
