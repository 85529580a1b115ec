/**
 * The pages the browser tests keep across tests (test/support/keptPages.ts) must not carry one test's state into
 * the next: each open is a new document with clean storage, default media and viewport, and its own problem list.
 */
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
