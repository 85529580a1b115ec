import type { Browser, Page, Worker } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeBrowser, previewUrl, seriousAxeViolations } from '../support/browser.ts';
import { KeptPages, keptPagesForFile } from '../support/keptPages.ts';

const chapter = 'calc-17-higher-order-gradients/';
/** Small settings, so a run ends in a few seconds even on a busy machine. */
const SMALL = '#maml.v=1&maml.hidden=6&maml.iters=60';
const FIG = '[data-figure="maml"]';

let kept: KeptPages;

/** The chapter at `hash` in a page kept across tests (see KeptPages), with figure 9 hydrated and its workers tracked. */
async function open(hash: string, opts: Parameters<Browser['newContext']>[0] = {}) {
  const { page, problems } = await kept.open(previewUrl(chapter) + hash, { viewport: { width: 1024, height: 800 }, ...opts }, 'networkidle');
  const workers: { worker: Worker; closed: boolean }[] = [];
  KeptPages.on(page, 'worker', (worker) => {
    const w = { worker, closed: false };
    workers.push(w);
    worker.on('close', () => (w.closed = true));
  });
  await page.locator(FIG).scrollIntoViewIfNeeded();
  await page.waitForSelector(`${FIG}[data-hydrated="true"][data-train="idle"]`, { timeout: 30_000 });
  return { page, problems, workers, fig: page.locator(FIG) };
}

const attr = (page: Page, name: string) => page.locator(FIG).getAttribute(name);
const trainWorkers = (ws: { worker: Worker; closed: boolean }[]) => ws.filter((w) => !/runner/.test(w.worker.url()));

describeBrowser('figure 9, MAML sine regression, in Chromium', () => {
  kept = keptPagesForFile();

  it('hydrates without console errors, trains in a worker to "trained" with progress, and draws the three meta-loss curves', async () => {
    const { page, problems, workers, fig } = await open(SMALL);
    // Before training: the untrained start, and a loss chart that says so.
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('Before meta-training');
    expect(await fig.locator('progress').getAttribute('max')).toBe('60');
    await fig.locator('[data-train-action="train"]').click();
    await expect.poll(() => attr(page, 'data-train'), { timeout: 120_000 }).toBe('trained');
    expect(trainWorkers(workers).length).toBe(1);
    expect(await fig.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(60);
    expect(await attr(page, 'data-iteration')).toBe('60');
    await expect.poll(() => fig.locator('.fig-train-status').textContent()).toMatch(/^Trained: 60 meta-iterations/);
    for (const m of ['maml', 'fomaml', 'reptile']) await expect.poll(() => fig.locator(`.fig-loss-${m} path`).count()).toBe(1);
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toMatch(/Over 20 unseen tasks, the mean query loss after 5 steps is untrained θ₀ [\d.]+, MAML/);
    // The finished worker is ended.
    await expect.poll(() => trainWorkers(workers)[0].closed).toBe(true);
    // k is a slider and a field: the fit and the caption follow it, and so does the hash.
    await fig.locator('input[name="k"][type="text"]').fill('2');
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('after 2 steps is');
    expect(new URL(page.url()).hash).toContain('maml.k=2');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('Pause stops the run (the next snapshot after Resume is the next chunk), Resume continues, Reset terminates the worker', async () => {
    const { page, problems, workers, fig } = await open('#maml.v=1&maml.hidden=6&maml.iters=20000');
    // Record every snapshot's meta-iteration and the phase at the time, in the page.
    await page.evaluate((sel) => {
      const el = document.querySelector<HTMLElement>(sel)!;
      const seen: [string, string][] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => seen.push([el.dataset.iteration ?? '', el.dataset.train ?? ''])).observe(el, { attributes: true, attributeFilter: ['data-iteration'] });
    }, FIG);
    await fig.locator('[data-train-action="train"]').click();
    await expect.poll(async () => Number(await attr(page, 'data-iteration'))).toBeGreaterThanOrEqual(400);
    // Training runs off the page's thread: the figure answers a control while it goes on.
    await fig.locator('select[name="show"]').selectOption('reptile');
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toMatch(/^Reptile's initialisation of a 1-6-1 tanh network at meta-iteration \d+ of 20000:/);
    expect(await attr(page, 'data-train')).toBe('running');
    await fig.locator('[data-train-action="pause"]').click();
    await expect.poll(() => fig.locator('.fig-train-status').textContent()).toMatch(/^Paused at meta-iteration \d+/);
    const pausedAt = Number(await attr(page, 'data-iteration'));
    expect(await fig.locator('.fig-train-status').textContent()).toBe(`Paused at meta-iteration ${pausedAt} of 20000.`);
    expect(await attr(page, 'data-train')).toBe('paused');
    // Focus moved from Pause (now off) to Resume.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.trainAction)).toBe('resume');
    await page.keyboard.press('Enter');
    await expect.poll(async () => Number(await attr(page, 'data-iteration'))).toBeGreaterThan(pausedAt);
    const seen = await page.evaluate(() => (window as unknown as { seen: [string, string][] }).seen.map(([i]) => Number(i)));
    // Snapshots come every 200 iterations (20000 / 100): the run went on from where it paused, nothing was skipped.
    const i = seen.indexOf(pausedAt);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(seen[i + 1]).toBe(pausedAt + 200);
    expect(seen.every((x, j) => j === 0 || x === seen[j - 1] + 200)).toBe(true);
    expect(trainWorkers(workers).length).toBe(1);
    expect(trainWorkers(workers)[0].closed).toBe(false);
    await fig.locator('[data-train-action="reset"]').click();
    await expect.poll(() => trainWorkers(workers)[0].closed).toBe(true);
    expect(await attr(page, 'data-train')).toBe('idle');
    expect(await fig.locator('progress').evaluate((p: HTMLProgressElement) => p.value)).toBe(0);
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('Before meta-training');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('New task changes the task, the caption and the URL hash; a bad hash is answered with a notice', async () => {
    const { page, problems, fig } = await open('');
    const before = await fig.locator('.fig-caption').textContent();
    await fig.locator('[data-train-action="resample"]').click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#maml\.v=1&maml\.task=\d+$/);
    await expect.poll(() => fig.locator('.fig-caption').textContent()).not.toBe(before);
    const task = new URL(page.url()).hash.match(/task=(\d+)/)![1];
    expect(await fig.locator('input[name="task"]').inputValue()).toBe(task);
    expect(problems).toEqual({ console: [], failed: [], external: [] });

    const bad = await open('#maml.v=1&maml.hidden=999&maml.show=sgd');
    await expect.poll(() => bad.fig.locator('.fig-notice').textContent()).toContain('Hidden units: enter a number from 4 to 64');
    expect(await bad.fig.locator('input[name="hidden"]').inputValue()).toBe('20');
  });

  it('a worker that fails is reported as a message, and the figure stays usable', async () => {
    const { page } = await kept.openRouted(
      previewUrl(chapter) + SMALL,
      { viewport: { width: 1024, height: 800 } },
      (p) => p.route(/mamlTrain\.worker[^/]*\.js$/, (route) => route.fulfill({ contentType: 'text/javascript', body: 'throw new Error("worker broke");' })),
      'networkidle',
    );
    const fig = page.locator(FIG);
    await fig.scrollIntoViewIfNeeded();
    await page.waitForSelector(`${FIG}[data-train="idle"]`, { timeout: 30_000 });
    await fig.locator('[data-train-action="train"]').click();
    await expect.poll(() => attr(page, 'data-train')).toBe('error');
    expect(await fig.locator('.fig-train-status').textContent()).toMatch(/^Training stopped: .*press Train to try again\.$/);
    await fig.locator('input[name="k"][type="text"]').fill('1');
    await expect.poll(() => fig.locator('.fig-caption').textContent()).toContain('after k = 1 step of size');
    expect(await fig.locator('[data-train-action="train"]').isEnabled()).toBe(true);
  });

  it('has no serious axe violations once trained, in light and dark, and nothing wider than 360 px', async () => {
    // One trained figure for both themes: the figure's colours are CSS variables only (figures.css), so switching
    // the emulated scheme recolours it.
    const { page, fig } = await open(SMALL, { colorScheme: 'light', viewport: { width: 360, height: 740 } });
    await fig.locator('[data-train-action="train"]').click();
    await expect.poll(() => attr(page, 'data-train'), { timeout: 120_000 }).toBe('trained');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      expect(await seriousAxeViolations(page, FIG), colorScheme).toEqual([]);
    }
    const overflow = await fig.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return Array.from(el.querySelectorAll('button, input, select, progress, svg, label'))
        .filter((c) => !c.closest('details:not([open])') && !c.closest('.scroll-x'))
        .map((c) => ({ tag: c.tagName, r: c.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5))
        .map(({ tag, r }) => `${tag} ${Math.round(r.left)}–${Math.round(r.right)}`);
    });
    expect(overflow).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
