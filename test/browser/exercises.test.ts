import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { describeBrowser, launch, previewUrl, seriousAxeViolations, typingContext, watch, type PageProblems } from '../support/browser.ts';
import { EDITOR_LOAD_MS } from './liveCodeHelpers.ts';

const chapter = 'calc-16-hessian-vector/';
const dir = 'src/content/chapters/calc-16-hessian-vector';
const read = (file: string) => readFileSync(`${dir}/${file}`, 'utf8').replace(/\n$/, '');
const ex = (id: string) => `[data-island="exercise"][data-exercise="${id}"]`;
const progressKey = 'exercises:v1:calc-16-hessian-vector';
const ids = ['exercise-power', 'exercise-mlp-hvp', 'exercise-cg'] as const;

const powerSolution = read('exercise-power.solution.ts');
/** ‖Hv‖ for λ: right on the running example, wrong in sign on a Hessian whose dominant eigenvalue is negative. */
const powerWrong = powerSolution.replace('const next = dot(v, Hv);', 'const next = Math.sqrt(dot(Hv, Hv));');

async function openPage(context: BrowserContext, path = chapter): Promise<{ page: Page; problems: PageProblems; requests: string[] }> {
  const page = await context.newPage();
  const url = previewUrl(path);
  const problems = watch(page, new URL(url).origin);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const res = await page.goto(url, { waitUntil: 'networkidle' });
  expect(res?.status()).toBe(200);
  return { page, problems, requests };
}

const state = (page: Page, id: string) => page.locator(ex(id)).getAttribute('data-state');
const statusText = (page: Page, id: string) => page.locator(`${ex(id)} [data-exercise-part="status"]`).innerText();
const results = (page: Page, id: string) =>
  page.locator(`${ex(id)} [data-exercise-part="results"] li`).evaluateAll((lis) =>
    lis.map((li) => ({ passed: li.getAttribute('data-passed') === 'true', text: li.textContent ?? '' })),
  );
const editorOf = (id: string) => `${ex(id)} > .live-code .cm-content`;

async function check(page: Page, id: string): Promise<string> {
  const checked = async () => Number((await page.locator(ex(id)).getAttribute('data-checked')) ?? 0);
  const before = await checked();
  await page.locator(`${ex(id)} [data-exercise-check]`).click();
  // A new verdict is one more finished check.
  await expect.poll(checked, { timeout: 20_000 }).toBe(before + 1);
  return (await state(page, id))!;
}

async function setCode(page: Page, id: string, code: string): Promise<void> {
  const at = editorOf(id);
  await page.locator(at).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(code);
  await expect
    .poll(() => page.locator(at).evaluate((el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n')))
    .toBe(code);
}

// The table of contents shows its no-script text ("3 exercises the page checks") until the progress script runs, so
// every read of the count or a mark polls: on a busy machine the script can run after network idle.
const tocCount = (page: Page) => page.locator('.toc [data-progress-count]').innerText();
const tocMark = (page: Page, id: string) => page.locator(`.toc [data-progress-mark][data-exercise="${id}"]`).innerText();

describeBrowser('exercises in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let requests: string[];
  beforeAll(async () => {
    browser = await launch();
    context = await browser.newContext({ ...typingContext, viewport: { width: 1024, height: 900 }, colorScheme: 'light' });
    ({ page, problems, requests } = await openPage(context));
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('ships neither checks nor solutions with the page', async () => {
    const html = await page.content();
    expect(html).not.toContain("steepest descent's pace");
    expect(html).not.toContain('return { lambda: next, v };');
    expect(requests.filter((u) => /\.check[-.]|\.solution\.|exercisePage/.test(u))).toEqual([]);
    await expect.poll(() => tocCount(page)).toBe('0 of 3 exercises solved');
  });

  it('each starter fails its checks with the message of the TODO it stopped at', async () => {
    for (const id of ids) expect(await check(page, id), id).toBe('failed');
    expect((await results(page, 'exercise-power')).map((r) => r.passed)).toEqual([false, false, false]);
    expect((await results(page, 'exercise-power'))[0].text).toMatch(/✗ Failed.*threw: TODO: write the power iteration described in the comment above/);
    expect((await results(page, 'exercise-mlp-hvp'))[0].text).toMatch(/hvpExact\(\) threw: TODO: differentiate/);
    expect((await results(page, 'exercise-cg'))[0].text).toMatch(/threw: TODO: write the CG loop/);
    expect(await statusText(page, 'exercise-power')).toMatch(/^0 of 3 checks pass\. Your code stopped with an error: Line \d+, column \d+: Error: TODO/);
    // The checks were fetched by the runner worker, never by the page itself.
    expect(requests.filter((u) => /\.check[-.]/.test(u))).toHaveLength(3);
    const pageLoaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
    expect(pageLoaded.filter((u) => /\.check[-.]|\.solution\./.test(u))).toEqual([]);
  }, 120_000);

  it('hints appear one at a time, each taking focus', async () => {
    const button = page.locator(`${ex('exercise-power')} [data-exercise-hint]`);
    const hints = page.locator(`${ex('exercise-power')} [data-hint]`);
    expect(await hints.evaluateAll((hs) => hs.map((h) => (h as HTMLElement).hidden))).toEqual([true, true]);
    await button.focus();
    await page.keyboard.press('Enter');
    expect(await hints.evaluateAll((hs) => hs.map((h) => (h as HTMLElement).hidden))).toEqual([false, true]);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-hint'))).toBe('1');
    expect(await button.innerText()).toBe('Show the next hint (2 of 2)');
    await button.click();
    expect(await hints.evaluateAll((hs) => hs.map((h) => (h as HTMLElement).hidden))).toEqual([false, false]);
    expect(await button.isDisabled()).toBe(true);
  });

  it('a wrong answer gets its own message', async () => {
    await setCode(page, 'exercise-power', powerWrong);
    expect(await check(page, 'exercise-power')).toBe('failed');
    const r = await results(page, 'exercise-power');
    expect(r.map((x) => x.passed)).toEqual([true, true, false]);
    expect(r[2].text).toMatch(/has the wrong sign: ‖Hv‖ is \|λ\|; the Rayleigh quotient vᵀHv keeps the sign/);
    expect(await statusText(page, 'exercise-power')).toBe('2 of 3 checks pass.');
  }, 60_000);

  it('tampering with the checker\'s globals, the result channel or the prototypes cannot pass a wrong answer', async () => {
    const tamper = [
      'Math.abs = () => 0; Math.sqrt = () => 0; Object.is = () => true; JSON.stringify = () => "{}";',
      'Object.defineProperty(Object.prototype, "passed", { get: () => true, set() {}, configurable: true });',
      'Reflect.getOwnPropertyDescriptor = () => ({ value: true, configurable: true });',
      'const fake = { type: "checks", runId: 1, token: "x", results: [{ label: "x", passed: true, message: "" }], problem: null };',
      'try { self.postMessage(fake); } catch (e) { console.log(String(e)); }',
      'try { Object.getPrototypeOf(self).postMessage.call(self, fake); } catch (e) { console.log(String(e)); }',
      'Object.freeze(Math); Object.freeze(Array.prototype);',
    ].join('\n');
    await setCode(page, 'exercise-power', `${powerWrong}\n${tamper}`);
    expect(await check(page, 'exercise-power')).toBe('failed');
    expect((await results(page, 'exercise-power'))[2]).toMatchObject({ passed: false });
    await expect.poll(() => tocCount(page)).toBe('0 of 3 exercises solved');
  }, 60_000);

  it('an error in the checked code is marked in the editor at its line, and the mark clears on the next check', async () => {
    await setCode(page, 'exercise-power', `${powerSolution}\nconst broken = ;`);
    expect(await check(page, 'exercise-power')).toBe('failed');
    const marked = () =>
      page.locator(editorOf('exercise-power')).evaluate((el) =>
        [...el.querySelectorAll('.cm-lintRange-error')].map((r) => [...el.querySelectorAll('.cm-line')].indexOf(r.closest('.cm-line')!) + 1),
      );
    const lines = `${powerSolution}\nconst broken = ;`.split('\n').length;
    await expect.poll(marked).toEqual([lines]);
    await setCode(page, 'exercise-power', powerSolution);
    expect(await check(page, 'exercise-power')).toBe('solved');
    await expect.poll(marked).toEqual([]);
  }, 60_000);

  it('a never-ending run is stopped by the budget and is not solved', async () => {
    await setCode(page, 'exercise-power', `${powerSolution}\nawait new Promise(() => {});`);
    expect(await check(page, 'exercise-power')).toBe('failed');
    expect(await statusText(page, 'exercise-power')).toMatch(/^Not checked: the run went past its 3 s budget/);
    expect(await results(page, 'exercise-power')).toEqual([]);
  }, 60_000);

  it('each worked solution passes; progress shows in the table of contents and on the home page, and survives a reload', async () => {
    for (const id of ids) {
      await setCode(page, id, read(`${id}.solution.ts`));
      expect(await check(page, id), `${id}: ${await statusText(page, id)}`).toBe('solved');
    }
    expect(await statusText(page, 'exercise-cg')).toBe('Solved: all 3 checks pass.');
    expect((await results(page, 'exercise-mlp-hvp')).every((r) => r.passed && r.text.startsWith('✓ Passed'))).toBe(true);
    await expect.poll(() => tocCount(page)).toBe('3 of 3 exercises solved');
    await expect.poll(() => tocMark(page, 'exercise-cg')).toBe('✓ solved');
    await expect.poll(() => page.locator(`${ex('exercise-cg')} [data-progress-mark]`).innerText()).toBe('✓ solved');
    expect(Object.keys(JSON.parse((await page.evaluate((k) => localStorage.getItem(k), progressKey))!).solved).sort()).toEqual([...ids].sort());

    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => tocCount(page)).toBe('3 of 3 exercises solved');
    await expect.poll(() => tocMark(page, 'exercise-power')).toBe('✓ solved');
    const home = await openPage(context, '');
    await expect.poll(() => home.page.locator('[data-progress-count][data-chapter="calc-16-hessian-vector"]').innerText()).toBe('3 of 3 exercises solved');
    expect(home.problems).toEqual({ console: [], failed: [], external: [] });
    await home.page.close();
  }, 180_000);

  it('reset forgets the chapter\'s progress, and says so', async () => {
    await page.locator('.toc [data-progress-reset]').click();
    await expect.poll(() => tocCount(page)).toBe('0 of 3 exercises solved');
    await expect.poll(() => tocMark(page, 'exercise-power')).toBe('');
    await expect.poll(() => page.locator('.toc [data-progress-notice]').innerText()).toBe('Exercise progress for this chapter was reset.');
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => tocCount(page)).toBe('0 of 3 exercises solved');
  });

  it('a corrupt progress entry is ignored with a visible notice', async () => {
    await page.evaluate((k) => localStorage.setItem(k, '{"solved":'), progressKey);
    await page.reload({ waitUntil: 'networkidle' });
    await expect.poll(() => tocCount(page)).toBe('0 of 3 exercises solved');
    const notice = page.locator('.toc [data-progress-notice]');
    await expect.poll(() => notice.isVisible()).toBe(true);
    await expect.poll(() => notice.innerText()).toMatch(/could not be read, so it was ignored/);
    // Reloading aborts what the previous document was still loading (a warm runner): watch() does not count that.
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('passes axe with feedback and a hint shown, in light and dark, and nothing is clipped at 360 px', async () => {
    // One page for both themes: the exercise's colours are CSS custom properties, so switching the emulated scheme
    // recolours what the steps below opened.
    // The file's page, loaded afresh at 360 px after the origin's storage is cleared (as a new reader meets it): a warm
    // renderer, where a new context would start a cold one and compile the editor again. This test comes last.
    const p = page;
    const origin = new URL(previewUrl()).origin;
    const cdp = await context.newCDPSession(p);
    onTestFinished(() => cdp.detach().catch(() => {}));
    await p.goto('about:blank');
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'cookies,local_storage,indexeddb,cache_storage,service_workers' });
    await p.setViewportSize({ width: 360, height: 800 });
    const pr = watch(p, origin, { until: 'test end' });
    expect((await p.goto(previewUrl(chapter), { waitUntil: 'networkidle' }))?.status()).toBe(200);
    await expect.poll(() => tocCount(p)).toBe('0 of 3 exercises solved');
    await p.locator(`${ex('exercise-cg')} [data-exercise-hint]`).click();
    await p.locator(`${ex('exercise-cg')} > .live-code [data-live="edit"]`).click();
    await p.locator(editorOf('exercise-cg')).waitFor({ timeout: EDITOR_LOAD_MS });
    await setCode(p, 'exercise-cg', read('exercise-cg.solution.ts').replace('d[i] = r[i] + beta * d[i];', 'd[i] = r[i];'));
    expect(await check(p, 'exercise-cg')).toBe('failed');
    await p.locator(`${ex('exercise-cg')} details.exercise-solution > summary`).click();
    for (const colorScheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme });
      expect(await p.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
      // One pass over both parts that changed (the exercise and the progress in the table of contents).
      expect(await seriousAxeViolations(p, `${ex('exercise-cg')}, .toc`), colorScheme).toEqual([]);
    }
    const overflow = await p.locator(ex('exercise-cg')).evaluate((el) => {
      const out: string[] = [];
      for (const e of [el, ...el.querySelectorAll('.exercise-toolbar, .exercise-feedback, .exercise-results li, .exercise-hints li:not([hidden])')]) {
        const r = e.getBoundingClientRect();
        if (r.right > document.documentElement.clientWidth + 0.5 || e.scrollWidth > e.clientWidth + 1) out.push(`${e.className || e.tagName}: right ${r.right}, scroll ${e.scrollWidth} > ${e.clientWidth}`);
      }
      return out;
    });
    expect(overflow).toEqual([]);
    expect(pr).toEqual({ console: [], failed: [], external: [] });
  }, 240_000);
});
