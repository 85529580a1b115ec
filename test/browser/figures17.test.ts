import type { Browser, Page } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { describeBrowser, previewUrl, seriousAxeViolations } from '../support/browser.ts';
import { expectSameHeightsAcrossHydration } from '../support/figureHeights.ts';
import { KeptPages, keptPagesForFile } from '../support/keptPages.ts';

const chapter = 'calc-17-higher-order-gradients/';
const FIGURES = ['hyper', 'implicit'] as const;
const clean = { console: [], failed: [], external: [] };

let kept: KeptPages;

/** The chapter at `hash`, loaded afresh in a page kept across tests (see KeptPages). */
async function open(hash = '', opts: Parameters<Browser['newContext']>[0] = {}) {
  const { page, problems } = await kept.open(previewUrl(chapter) + hash, { viewport: { width: 1024, height: 800 }, ...opts }, 'networkidle');
  return { page, problems };
}

/** Scrolls a figure into view and waits for its island to mount. */
async function hydrate(page: Page, name: string) {
  await page.locator(`[data-figure="${name}"]`).scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-figure="${name}"][data-hydrated="true"]`, { timeout: 30_000 });
}

const hash = (page: Page) => page.evaluate(() => location.hash);

describeBrowser('chapter 17 figures in Chromium', () => {
  kept = keptPagesForFile();

  it('hydrate without errors; η moves by keyboard and by dragging along the curve, into the hash; bad input is answered', async () => {
    const { page, problems } = await open();
    for (const name of FIGURES) expect(await page.locator(`[data-figure="${name}"] svg[role="img"]`).count()).toBe(1);
    // Hydrating changes no figure's height: nothing below a figure moves when its island mounts.
    await expectSameHeightsAcrossHydration(page, FIGURES, hydrate);
    const fig = page.locator('[data-figure="hyper"]');
    const handle = fig.locator('.fig-handle');
    expect(await handle.getAttribute('aria-label')).toContain('Learning rate η at 0.1.');
    const tangent = await fig.locator('.fig-tangent path').getAttribute('d');
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowUp');
    await expect.poll(() => hash(page)).toBe('#hyper.v=1&hyper.eta=0.125');
    expect(await fig.locator('#fig-hyper-eta').inputValue()).toBe('0.125');
    await expect.poll(() => fig.locator('.fig-tangent path').getAttribute('d')).not.toBe(tangent);
    expect(await fig.locator('.fig-status').textContent()).toContain('with η = 0.125');
    // Drag right along the curve, past the red rule at 2/λmax.
    const box = (await handle.boundingBox())!;
    const chart = (await fig.locator('.fig-chart svg').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + chart.width * 0.9, box.y - 80, { steps: 6 });
    await page.mouse.up();
    await expect.poll(async () => Number(await fig.locator('#fig-hyper-eta').inputValue())).toBeGreaterThan(0.37);
    await expect.poll(() => fig.locator('.fig-status').textContent()).toContain('η is past 2/λmax = 0.3694');
    expect(await hash(page)).toMatch(/^#hyper\.v=1&hyper\.eta=0\.\d+$/);
    // The handle sits on the curve's point: its centre is the marked dot's.
    const dot = (await fig.locator('.fig-eta circle').boundingBox())!;
    const h = (await handle.boundingBox())!;
    expect(Math.abs(h.x + h.width / 2 - (dot.x + dot.width / 2))).toBeLessThan(2);
    expect(Math.abs(h.y + h.height / 2 - (dot.y + dot.height / 2))).toBeLessThan(2);
    await fig.locator('#fig-hyper-T').fill('0');
    await expect.poll(() => fig.locator('#fig-hyper-T-msg').textContent()).toContain('enter a number from 1 to 100');
    expect(await fig.locator('#fig-hyper-T').getAttribute('aria-invalid')).toBe('true');
    await fig.locator('#fig-hyper-T').fill('40');
    await expect.poll(() => fig.locator('svg').first().getAttribute('aria-label')).toContain('after T = 40 SGD steps');

    const imp = page.locator('[data-figure="implicit"]');
    const before = await imp.locator('.fig-status').textContent();
    await imp.locator('#fig-implicit-loglam').fill('-1');
    await expect.poll(() => imp.locator('.fig-status').textContent()).not.toBe(before);
    expect(await imp.locator('.fig-status').textContent()).toContain('λ = 0.1:');
    expect(await hash(page)).toContain('implicit.v=1&implicit.loglam=-1');
    await imp.locator('#fig-implicit-k').fill('7');
    await expect.poll(() => imp.locator('#fig-implicit-k-msg').textContent()).toContain('enter a number from 1 to 4');
    await imp.locator('#fig-implicit-eta').fill('0.2');
    await imp.locator('#fig-implicit-loglam').fill('1');
    await expect.poll(() => imp.locator('.fig-status').textContent()).toContain('the unrolled steps diverge');
    expect(await imp.locator('.fig-cap line').count()).toBe(1);
    // Printed, never asserted: how long the redraws above took (the figures' own performance.measure entries).
    const ms = await page.evaluate(() => Object.fromEntries(['hyper', 'implicit'].map((n) => [n, performance.getEntriesByName(`fig:${n}`, 'measure').map((m) => Math.round(m.duration))])));
    console.log('chapter 17 redraws (ms):', JSON.stringify(ms));
    expect(problems).toEqual(clean);
  });

  it('a link restores both figures; a bad link is ignored with a notice naming the problem', async () => {
    let { page, problems } = await open('#hyper.v=1&hyper.eta=0.4&hyper.T=30&hyper.y=linear&code-x=keep&implicit.v=1&implicit.loglam=-2&implicit.T=150&implicit.k=3');
    for (const name of FIGURES) await hydrate(page, name);
    const fig = page.locator('[data-figure="hyper"]');
    expect(await fig.locator('#fig-hyper-eta').inputValue()).toBe('0.4');
    expect(await fig.locator('#fig-hyper-T').inputValue()).toBe('30');
    expect(await fig.locator('#fig-hyper-y').inputValue()).toBe('linear');
    expect(await fig.locator('.fig-status').textContent()).toContain('After T = 30 steps with η = 0.4');
    expect(await fig.locator('.fig-handle').getAttribute('aria-label')).toContain('at 0.4.');
    const imp = page.locator('[data-figure="implicit"]');
    expect(await imp.locator('.fig-status').textContent()).toContain('Unrolled, T = 150');
    expect(await imp.locator('.fig-status').textContent()).toContain('Implicit, k = 3');
    expect(await imp.locator('.fig-status').textContent()).toContain('λ = 0.01:');
    for (const name of FIGURES) expect(await page.locator(`[data-figure="${name}"] .fig-notice`).isHidden()).toBe(true);
    expect(problems).toEqual(clean);

    ({ page, problems } = await open('#hyper.T=0&implicit.k=banana&code-x=keep'));
    for (const name of FIGURES) await hydrate(page, name);
    const n1 = page.locator('[data-figure="hyper"] .fig-notice');
    const n2 = page.locator('[data-figure="implicit"] .fig-notice');
    expect(await n1.isVisible()).toBe(true);
    expect(await n1.textContent()).toContain('Unrolled steps T: enter a number from 1 to 100');
    expect(await n2.textContent()).toContain('Marked CG iterations k: “banana” is not a number');
    expect(await page.locator('#fig-hyper-T').inputValue()).toBe('5');
    expect(await page.locator('#fig-implicit-k').inputValue()).toBe('2');
    expect(await hash(page)).toContain('code-x=keep');
    expect(problems).toEqual(clean);
  });

  it('at 360 px: nothing clipped, before and after hydration; labels readable; touch; axe clean on the figures in light and dark', async () => {
    // One page for both themes: the figures use CSS variables only, so switching the emulated scheme recolours them.
    const { page, problems } = await open('', { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, colorScheme: 'light' });
    /** Every figure inside the viewport's width, and every text of its charts inside its SVG. */
    const overflow = (name: string) =>
      page.locator(`[data-figure="${name}"]`).evaluate((fig) => {
        const out: string[] = [];
        const f = fig.getBoundingClientRect();
        if (f.right > document.documentElement.clientWidth + 0.5 || f.left < -0.5) out.push(`figure ${f.left}–${f.right}`);
        for (const svg of Array.from(fig.querySelectorAll('.fig-chart svg'))) {
          if (getComputedStyle(svg).display === 'none') continue;
          const s = svg.getBoundingClientRect();
          if (s.right > f.right + 0.5) out.push(`svg right ${s.right} > ${f.right}`);
          for (const t of Array.from(svg.querySelectorAll('text'))) {
            const r = t.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5 || r.bottom > s.bottom + 0.5) out.push(`“${t.textContent}” ${r.left.toFixed(0)}–${r.right.toFixed(0)} × ${r.top.toFixed(0)}–${r.bottom.toFixed(0)} outside ${s.left.toFixed(0)}–${s.right.toFixed(0)} × ${s.top.toFixed(0)}–${s.bottom.toFixed(0)}`);
          }
        }
        for (const el of Array.from(fig.querySelectorAll<HTMLElement>('.fig-controls, .fig-status, .fig-caption'))) if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} scrolls sideways`);
        return out;
      });
    for (const name of FIGURES) expect(await overflow(name), `${name} static`).toEqual([]);
    // At 360 px, where the hint wraps, hydrating changes no figure's height either.
    await expectSameHeightsAcrossHydration(page, FIGURES, hydrate);
    for (const name of FIGURES) {
      const svg = page.locator(`[data-figure="${name}"] .fig-chart svg`);
      await expect.poll(async () => Number(await svg.getAttribute('width'))).toBeLessThan(400);
      expect(await overflow(name), `${name} hydrated`).toEqual([]);
      const heights = await svg.locator('g[font-variant="tabular-nums"] text').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(2);
      for (const h of heights) expect(h).toBeGreaterThanOrEqual(10);
    }
    // A finger drags η along the curve: to the right, η grows and the handle stays on the marked point.
    const hyper = page.locator('[data-figure="hyper"]');
    const handle = hyper.locator('.fig-handle');
    await handle.scrollIntoViewIfNeeded();
    const b = (await handle.boundingBox())!;
    const [x, y] = [b.x + b.width / 2, b.y + b.height / 2];
    const cdp = await page.context().newCDPSession(page);
    onTestFinished(() => cdp.detach().catch(() => {}));
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', tx: number) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: tx, y, id: 1 }] });
    await touch('touchStart', x);
    for (let i = 1; i <= 6; i++) await touch('touchMove', x + 10 * i);
    await touch('touchEnd', x + 60);
    await expect.poll(async () => Number(await hyper.locator('#fig-hyper-eta').inputValue())).toBeGreaterThan(0.15);
    expect(await handle.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(async () => {
      const [h, d] = [(await handle.boundingBox())!, (await hyper.locator('.fig-eta circle').boundingBox())!];
      return Math.hypot(h.x + h.width / 2 - d.x - d.width / 2, h.y + h.height / 2 - d.y - d.height / 2);
    }).toBeLessThan(2);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      expect(await seriousAxeViolations(page, '[data-figure="hyper"], [data-figure="implicit"]'), colorScheme).toEqual([]);
    }
    expect(problems).toEqual(clean);
  });
});
