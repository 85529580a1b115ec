/**
 * The pages the browser tests keep across tests (test/support/keptPages.ts) must not carry one test's state into
 * the next: each open is a new document with clean storage, default media and viewport, and its own problem list.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, previewUrl, type PageProblems } from '../support/browser.ts';
import { keptPagesForFile } from '../support/keptPages.ts';

const page404 = () => previewUrl('404.html');

describeBrowser('pages kept across tests', () => {
  const kept = keptPagesForFile();

  it('loads every address as a new document, even one that differs only in its hash', async () => {
    const first = await kept.open(page404() + '#a');
    await first.page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const second = await kept.open(page404() + '#b');
    expect(second.page).toBe(first.page);
    expect(await second.page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBeUndefined();
    expect(await second.page.evaluate(() => location.hash)).toBe('#b');
  });

  it('clears the origin’s storage and sets media and viewport back to the options before each load', async () => {
    const options = { viewport: { width: 1024, height: 800 } };
    const { page } = await kept.open(page404(), { ...options, colorScheme: 'dark' });
    expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
    await page.evaluate(() => localStorage.setItem('kept-pages-test', 'left over'));
    await page.emulateMedia({ media: 'print', reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 500, height: 400 });
    const again = await kept.open(page404(), options);
    expect(again.page).toBe(page);
    expect(
      await page.evaluate(() => ({
        stored: localStorage.getItem('kept-pages-test'),
        dark: matchMedia('(prefers-color-scheme: dark)').matches,
        print: matchMedia('print').matches,
        reduced: matchMedia('(prefers-reduced-motion: reduce)').matches,
        width: innerWidth,
      })),
    ).toEqual({ stored: null, dark: false, print: false, reduced: false, width: 1024 });
  });

  it('shares one page between options that differ only in the viewport, sized for each load', async () => {
    const wide = await kept.open(page404(), { viewport: { width: 1024, height: 800 } });
    const narrow = await kept.open(page404(), { viewport: { width: 360, height: 740 } });
    expect(narrow.page).toBe(wide.page);
    expect(await narrow.page.evaluate(() => [innerWidth, innerHeight])).toEqual([360, 740]);
    // Other context options (a touch screen) still get a page of their own.
    const touch = await kept.open(page404(), { viewport: { width: 360, height: 740 }, hasTouch: true });
    expect(touch.page).not.toBe(wide.page);
  });

  it('reuse keeps the document the last reuse left, and loads and prepares afresh after another load or for another label', async () => {
    const options = { viewport: { width: 1024, height: 800 } };
    let prepared = 0;
    const prepare = (page: Page) => page.evaluate(() => ((window as unknown as { prepared: number }).prepared = 1)).then(() => prepared++);
    const marker = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);
    const first = await kept.reuse('a', page404(), options, prepare);
    await first.page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const again = await kept.reuse('a', page404(), { ...options, colorScheme: 'light' }, prepare);
    // Options that differ from the last reuse (here only in colour scheme, spelt out) load afresh.
    expect(prepared).toBe(2);
    expect(await marker(again.page)).toBeUndefined();
    await again.page.evaluate(() => ((window as unknown as { marker: number }).marker = 2));
    await again.page.emulateMedia({ colorScheme: 'dark' });
    const same = await kept.reuse('a', page404(), { ...options, colorScheme: 'light' }, prepare);
    expect(prepared).toBe(2);
    expect(same.page).toBe(first.page);
    expect(await marker(same.page)).toBe(2);
    // The media are set back to the options without a reload.
    expect(await same.page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(false);
    await kept.open(page404() + '#between', options);
    const afterOpen = await kept.reuse('a', page404(), { ...options, colorScheme: 'light' }, prepare);
    expect(prepared).toBe(3);
    expect(await marker(afterOpen.page)).toBeUndefined();
    expect(await afterOpen.page.evaluate(() => (window as unknown as { prepared?: number }).prepared)).toBe(1);
    await afterOpen.page.evaluate(() => ((window as unknown as { marker: number }).marker = 3));
    const otherLabel = await kept.reuse('b', page404(), { ...options, colorScheme: 'light' }, prepare);
    expect(prepared).toBe(4);
    expect(await marker(otherLabel.page)).toBeUndefined();
  });

  it('a reused page reports the problems of the test that reuses it, from the call on', async () => {
    const options = { viewport: { width: 1024, height: 800 } };
    const first = await kept.reuse('problems', page404(), options, (page) => page.evaluate(() => console.error('while preparing')));
    await expect.poll(() => first.problems.console).toEqual(['while preparing']);
    const again = await kept.reuse('problems', page404(), options, () => Promise.reject(new Error('not prepared twice')));
    expect(again.page).toBe(first.page);
    expect(again.problems).toEqual({ console: [], failed: [], external: [] });
    await again.page.evaluate(() => console.error('after reuse'));
    await expect.poll(() => again.problems.console).toEqual(['after reuse']);
  });

  it('openRouted: the test’s page routes meet every request of the load, a file the page holds in its cache too, and end with the test', async () => {
    const options = { viewport: { width: 1024, height: 800 } };
    const sheets = (page: Page) => page.evaluate(() => [...document.styleSheets].filter((s) => s.href).length);
    const warm = await kept.open(page404(), options);
    expect(await sheets(warm.page)).toBeGreaterThan(0);
    const seen: string[] = [];
    const { page } = await kept.openRouted(page404(), options, (p) =>
      p.route(/\.css$/, (route) => {
        seen.push(route.request().url());
        return route.fulfill({ contentType: 'text/css', body: 'body { outline: 7px solid red; }' });
      }),
    );
    expect(page).toBe(warm.page);
    expect(seen.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => getComputedStyle(document.body).outlineWidth)).toBe('7px');
  });

  it('… and the next test’s load meets none of them', async () => {
    const { page } = await kept.open(page404(), { viewport: { width: 1024, height: 800 } });
    expect(await page.evaluate(() => getComputedStyle(document.body).outlineWidth)).not.toBe('7px');
  });

  let earlier: PageProblems;
  it('records a page’s problems for the test that opened it …', async () => {
    const { page, problems } = await kept.open(page404());
    await page.evaluate(() => console.error('first test'));
    await expect.poll(() => problems.console).toEqual(['first test']);
    earlier = problems;
  });

  it('… and not in the next test, which starts with an empty list', async () => {
    const { page, problems } = await kept.open(page404());
    expect(problems).toEqual({ console: [], failed: [], external: [] });
    await page.evaluate(() => console.error('second test'));
    await expect.poll(() => problems.console).toEqual(['second test']);
    expect(earlier.console).toEqual(['first test']);
  });

  it('refuses an address that answers with an error status', async () => {
    await expect(kept.open(previewUrl('does-not-exist/'))).rejects.toThrow(/answered 404/);
  });
});
