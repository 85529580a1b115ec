import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, previewUrl, seriousAxeViolations, testContext } from '../support/browser.ts';
import { keptPagesForFile } from '../support/keptPages.ts';

const base = new URL(previewUrl()).pathname;

/** The result links on the search page, as paths (base included). */
async function resultPaths(page: Page): Promise<string[]> {
  return page.locator('.search-results > li > a.search-title').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** Waits until the search for the current query has finished (done or error), returns the status text. */
async function settled(page: Page): Promise<string> {
  await expect.poll(() => page.locator('[data-island="search"]').getAttribute('data-state')).toMatch(/^(done|error|idle)$/);
  return (await page.locator('.search-status').textContent()) ?? '';
}

describeBrowser('search (Pagefind, under the base path)', () => {
  // Pages kept across tests (KeptPages) for every test but the first, which checks the requests a page makes.
  const kept = keptPagesForFile();

  it('is linked from every page, and chapter pages load nothing of it', async () => {
    const context = await testContext(kept.browser);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    for (const path of ['', 'calc-16-hessian-vector/', 'calc-17-higher-order-gradients/']) {
      await page.goto(previewUrl(path), { waitUntil: 'networkidle' });
      expect(await page.locator('header.site-header a.search-link').getAttribute('href')).toBe(`${base}search/`);
    }
    expect(requests.filter((u) => u.includes('/pagefind/'))).toEqual([]);
  });

  it('finds prose words, links results under the base, and leaves math and code out of the index', async () => {
    const { page, problems } = await kept.open(previewUrl('search/'), {}, 'networkidle');
    const input = page.getByLabel('Words to find in the chapters');

    await input.fill('Reptile');
    expect(await settled(page)).toMatch(/1 page matches “Reptile”/);
    expect(await resultPaths(page)).toEqual([`${base}calc-17-higher-order-gradients/`]);
    expect(await page.locator('.search-results mark').first().textContent()).toMatch(/reptile/i);
    expect(new URL(page.url()).searchParams.get('q')).toBe('Reptile');

    await input.fill('Pearlmutter');
    await expect.poll(() => resultPaths(page)).toHaveLength(2);
    expect((await resultPaths(page)).sort()).toEqual([`${base}calc-16-hessian-vector/`, `${base}calc-17-higher-order-gradients/`]);

    // `nabla` occurs only inside typeset formulas, `console` only in code listings. Quoted, so that Pagefind
    // matches the word itself rather than a shorter indexed word it begins with (the prose has a lone "n").
    for (const word of ['"nabla"', '"console"', '"mathbf"']) {
      await input.fill(word);
      await expect.poll(() => page.locator('.search-status').textContent()).toBe(`No results for “${word}”.`);
      expect(await resultPaths(page)).toEqual([]);
    }

    await input.fill('Reptile');
    await expect.poll(() => resultPaths(page)).toHaveLength(1);
    await page.locator('.search-results > li > a.search-title').first().click();
    await page.waitForURL(`**${base}calc-17-higher-order-gradients/`);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('searches for the URL\'s q on load, and caps an over-long query with a notice', async () => {
    let { page } = await kept.open(previewUrl('search/?q=Hessian-vector'), {}, 'networkidle');
    expect(await page.getByLabel('Words to find in the chapters').inputValue()).toBe('Hessian-vector');
    expect(await settled(page)).toMatch(/pages? match/);
    expect((await resultPaths(page)).length).toBeGreaterThanOrEqual(1);

    ({ page } = await kept.open(previewUrl(`search/?q=${'x'.repeat(300)}<img src=x onerror=alert(1)>`), {}, 'networkidle'));
    await settled(page);
    expect(await page.locator('.search-notice').textContent()).toMatch(/limited to 200 characters; the remaining \d+ were ignored/);
    expect(await page.locator('.search img').count()).toBe(0);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`passes axe with results shown (${colorScheme}), and fits a 360 px screen`, async () => {
      const { page } = await kept.open(previewUrl('search/?q=curvature'), { colorScheme, viewport: { width: 360, height: 740 } }, 'networkidle');
      expect(await settled(page)).toMatch(/match/);
      expect(await seriousAxeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  }
});
