/**
 * Hydration must not move the page: a figure that grew or shrank when its island mounted would shift the text and
 * buttons below it under a reader's pointer (and did: a live-code test's click once landed where a button had been).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Checks that each figure in `names` is as tall (within 1 CSS px) once hydrated as it was before: records every
 * height while all still wait to mount (after the web fonts load), runs `hydrate` on each, then measures again.
 * Returns the heights, for a report.
 */
export async function expectSameHeightsAcrossHydration(page: Page, names: readonly string[], hydrate: (page: Page, name: string) => Promise<void>): Promise<Record<string, string>> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const figure = (name: string) => page.locator(`[data-figure="${name}"]`);
  const height = (name: string) => figure(name).evaluate((el) => el.getBoundingClientRect().height);
  const before: number[] = [];
  for (const name of names) {
    await expect.poll(() => figure(name).getAttribute('data-booted'), { message: `${name} waits to mount` }).toBe('waiting');
    before.push(await height(name));
  }
  for (const name of names) await hydrate(page, name);
  const report: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const after = await height(name);
    expect(Math.abs(after - before[i]!), `${name}: ${before[i]} px before hydration, ${after} px after`).toBeLessThanOrEqual(1);
    report[name] = `${before[i]!.toFixed(1)} → ${after.toFixed(1)} px`;
  }
  return report;
}
