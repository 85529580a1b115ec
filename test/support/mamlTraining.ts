/**
 * The MAML figure's training time as the reader sees it: from the click on Train to the figure's "trained" state,
 * with its default settings (the figure's own `data-train-ms`, measured in the page). Used by `npm run perf`
 * (reported against its budget, never asserted: a busy machine is slow without anything being wrong).
 */
import type { Browser } from 'playwright-core';

const FIG = '[data-figure="maml"]';

/** Seconds from Train to "trained", once per fresh browser context. */
export async function mamlTrainingSeconds(browser: Browser, chapterUrl: string, repeats: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(chapterUrl, { waitUntil: 'networkidle' });
      await page.locator(FIG).scrollIntoViewIfNeeded();
      await page.waitForSelector(`${FIG}[data-train="idle"]`, { timeout: 60_000 });
      await page.locator(`${FIG} [data-train-action="train"]`).click();
      const ms = await page.waitForFunction((sel) => document.querySelector<HTMLElement>(sel)?.dataset.trainMs, FIG, { timeout: 300_000, polling: 100 });
      out.push(Number(await ms.jsonValue()) / 1000);
    } finally {
      await context.close();
    }
  }
  return out;
}
