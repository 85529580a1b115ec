import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launch, seriousAxeViolations } from '../support/browser.ts';
import { withCode } from '../../src/lib/live/codec.ts';
import { editAndRun, editorText, openChapter, probeBoundMs, probeMax, root, setCode, startProbe, state } from './liveCodeHelpers.ts';

/** The type-checking worker's chunk (TypeScript): never requested before the reader asks for types. */
const typeChunk = /\/_astro\/types\.worker[.-][^/]*\.js$/;
const hvpSource = readFileSync('src/content/chapters/calc-16-hessian-vector/hvp-demo.ts', 'utf8').replace(/\n$/, '');

/** hvp-demo with `.mul(` misspelt on the line that defines f, and where TypeScript should point. */
function planted() {
  const lines = hvpSource.split('\n');
  const at = lines.findIndex((l) => l.includes('.mul('));
  lines[at] = lines[at].replace('.mul(', '.mull(');
  return { code: lines.join('\n'), line: at + 1, column: lines[at].indexOf('mull') + 1 };
}

const typesState = (page: Page) => page.locator(root).getAttribute('data-types');
const typesStatus = (page: Page) => page.locator(`${root} [data-live="types-status"]`).innerText();
/** The ranges CodeMirror marks as errors: their line and text. */
const marked = (page: Page) =>
  page.locator(`${root} .cm-content`).evaluate((el) =>
    [...el.querySelectorAll('.cm-lintRange-error')].map((r) => ({
      line: [...el.querySelectorAll('.cm-line')].indexOf(r.closest('.cm-line')!) + 1,
      text: r.textContent,
    })),
  );

describeBrowser('TypeScript diagnostics on demand in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The chapter on a 360 px touch screen (coarse pointer, no hover: types are checked on request only). */
  async function openTouch() {
    const { page, problems, requests } = await openChapter(browser, '', { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
    expect(await page.evaluate(() => matchMedia('(hover: hover) and (pointer: fine)').matches)).toBe(false);
    return { page, problems, requests };
  }

  it('loads TypeScript only on "Check types" and marks a planted error at its line, on a 360 px touch screen', async () => {
    const { code, line, column } = planted();
    const o = await openTouch();
    const { page, requests, problems } = o;
    expect(requests.filter((u) => typeChunk.test(u))).toEqual([]);
    await editAndRun(page);
    expect(requests.filter((u) => typeChunk.test(u)), 'TypeScript loaded on "Edit & run"').toEqual([]);

    const button = page.locator(`${root} [data-live="types"]`);
    await expect.poll(() => button.isVisible()).toBe(true);
    const box = (await button.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await button.innerText()).toBe('Check types');

    await setCode(page, code);
    await startProbe(page);
    // Keyboard: focus the button and press Enter.
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => typesState(page)).toMatch(/^(loading|checking|errors)$/);
    // Running code does not wait for the type checker.
    await page.locator(`${root} [data-live="run"]`).click();
    await expect.poll(() => state(page), { timeout: 30_000 }).toBe('error');
    await expect.poll(() => typesState(page), { timeout: 120_000 }).toBe('errors');
    expect(requests.filter((u) => typeChunk.test(u)).length).toBeGreaterThan(0);
    expect(await marked(page)).toContainEqual({ line, text: 'mull' });
    expect(await typesStatus(page)).toBe(
      `1 type error, marked in the editor. Line ${line}, column ${column}: Property 'mull' does not exist on type 'Tensor'. Did you mean 'mul'? (TS2551)`,
    );
    expect(await page.locator(`${root} [data-live="types-status"]`).getAttribute('aria-live')).toBe('polite');
    expect(await probeMax(page)).toBeLessThan(probeBoundMs);
    const statusBox = (await page.locator(`${root} [data-live="types-status"]`).boundingBox())!;
    expect(statusBox.x + statusBox.width).toBeLessThanOrEqual(360);
    expect(await seriousAxeViolations(page, root)).toEqual([]);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('on desktop, checks by itself after a pause in editing, then completes and documents the library', async () => {
    const { code, line } = planted();
    // A desktop: a fine pointer that hovers (not the helpers' default touch screen).
    const o = await openChapter(browser, withCode('', 'hvp-demo', hvpSource + '\n'), { hasTouch: false });
    const { page, requests, problems } = o;
    // Code restored from a link opens the editor without running or checking it.
    await expect.poll(() => state(page)).toBe('editing');
    expect(requests.filter((u) => typeChunk.test(u))).toEqual([]);
    await setCode(page, code);
    await expect.poll(() => typesState(page), { timeout: 120_000 }).toBe('errors');
    expect(await marked(page)).toContainEqual({ line, text: 'mull' });

    // Fixing it clears the mark after the next pause.
    await setCode(page, hvpSource);
    await expect.poll(() => typesState(page), { timeout: 60_000 }).toBe('clean');
    expect(await marked(page)).toEqual([]);
    expect(await typesStatus(page)).toBe('No type errors.');

    // Completions for a tensor's methods.
    await page.locator(`${root} .cm-content`).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText('\nx.su');
    await page.keyboard.press('Control+Space');
    const options = page.locator(`${root} .cm-tooltip-autocomplete li`);
    await expect.poll(() => options.allInnerTexts(), { timeout: 60_000 }).toContain('sum');
    // The selected option's declaration and doc comment, beside the list (keyboard users get the docs too).
    await page.keyboard.insertText('m');
    await expect.poll(() => options.allInnerTexts(), { timeout: 60_000 }).toContain('sum');
    const info = page.locator(`${root} .cm-completionInfo .live-hover`);
    await expect.poll(() => info.innerText().catch(() => ''), { timeout: 60_000 }).toMatch(/Tensor\.sum\([\s\S]*Σ over all entries/);

    // Hover docs: the doc comment of a library function.
    await page.keyboard.press('Escape');
    await setCode(page, "import { hvp } from 'course/autodiff';\nvoid hvp;");
    // The middle of `hvp` on line 2, from the text's own layout.
    const at = await page.locator(`${root} .cm-line`).nth(1).evaluate((line) => {
      const walk = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let text = walk.nextNode();
      while (text && !text.textContent!.includes('hvp')) text = walk.nextNode();
      if (!text) throw new Error('no hvp on line 2');
      const range = document.createRange();
      const i = text.textContent!.indexOf('hvp');
      range.setStart(text, i + 1);
      range.setEnd(text, i + 2);
      const r = range.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    });
    await page.mouse.move(at.x, at.y);
    const hover = page.locator(`${root} .live-hover`);
    await expect.poll(() => hover.innerText().catch(() => ''), { timeout: 60_000 }).toMatch(/function hvp\([\s\S]*∇²f\(x\)·v without forming ∇²f/);
    expect(await editorText(page)).toContain('void hvp;');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });
});
