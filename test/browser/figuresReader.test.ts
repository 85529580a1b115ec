/**
 * The figures as a demanding reader meets them: dragging on mouse and touch, hostile links, a phone before and
 * without JavaScript, a fast keyboard, and nothing clipped at 360 px. Build first (see docs/figures.md).
 */
import type { Browser, Page } from 'playwright-core';
import { expect, it, onTestFinished } from 'vitest';
import { describeBrowser, previewUrl } from '../support/browser.ts';
import { KeptPages, keptPagesForFile } from '../support/keptPages.ts';

const chapter = 'calc-16-hessian-vector/';
const FIGURES = ['quad', 'race', 'hvp'] as const;
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } as const;


let kept: KeptPages;

/**
 * The chapter at `hash`, loaded afresh in a page kept across tests (see KeptPages); with `route`, after it has added
 * the test's page-level routes (which turn the page's cache off, so every request meets them).
 */
async function open(hash = '', opts: Parameters<Browser['newContext']>[0] = {}, route?: (page: Page) => Promise<unknown>) {
  const url = previewUrl(chapter) + hash;
  const options = { viewport: { width: 1024, height: 800 }, ...opts };
  return route ? kept.openRouted(url, options, route) : kept.open(url, options);
}

async function hydrate(page: Page, name: string) {
  await page.locator(`[data-figure="${name}"]`).scrollIntoViewIfNeeded();
  await page.waitForSelector(`[data-figure="${name}"][data-hydrated="true"]`, { timeout: 20_000 });
}

/**
 * The chapter with its default settings and every figure hydrated, in the kept page for `opts`: loaded and hydrated by
 * the first test that asks, then shared by the next ones that only read it (see KeptPages.reuse).
 */
function openHydrated(opts: { viewport: { width: number; height: number } } & Parameters<Browser['newContext']>[0]) {
  return kept.reuse('every figure hydrated', previewUrl(chapter), opts, async (page) => {
    for (const name of FIGURES) await hydrate(page, name);
  });
}

const centre = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

describeBrowser('chapter 16 figures, reader-grade', () => {
  kept = keptPagesForFile();

  for (const hash of ['#quad.constructor=1', '#race.toString=1', '#hvp.hasOwnProperty=1', '#race.__proto__=1']) {
    it(`treats ${hash} as an unknown setting: a notice, the defaults, a working figure`, async () => {
      const { page, problems } = await open(hash);
      const name = hash.slice(1).split('.')[0];
      await hydrate(page, name);
      const fig = page.locator(`[data-figure="${name}"]`);
      await expect.poll(() => fig.locator('.fig-notice').textContent()).toContain('unknown setting');
      // Changing the hash while the page is open to another such key is answered the same way.
      await page.evaluate(() => {
        location.hash = '#quad.valueOf=2&race.isPrototypeOf=1&hvp.constructor=3';
      });
      await expect.poll(() => fig.locator('.fig-notice').textContent()).toMatch(/unknown setting “(valueOf|isPrototypeOf|constructor)”/);
      expect(problems).toEqual({ console: [], failed: [], external: [] });
    });
  }

  it('says the default picture is below when a figure cannot be made interactive', async () => {
    const { page } = await open('', {}, (p) => p.route(/quadraticIsland.*\.js$/, (r) => r.abort()));
    await page.locator('[data-figure="quad"]').scrollIntoViewIfNeeded();
    const notice = page.locator('[data-figure="quad"] .fig-notice');
    await expect.poll(() => notice.textContent(), { timeout: 20_000 }).toContain('could not be made interactive');
    const text = (await notice.textContent())!;
    expect(text).not.toContain('above');
    const n = (await notice.boundingBox())!;
    const svg = (await page.locator('[data-figure="quad"] .fig-chart svg').first().boundingBox())!;
    expect(text).toContain('below');
    expect(svg.y).toBeGreaterThan(n.y);
  });

  /** Drags `handle` by (dx, dy) in steps and, at every step, measures how far its centre is from the pointer. */
  async function dragGap(page: Page, handle: ReturnType<Page['locator']>, dx: number, dy: number, input: 'mouse' | 'touch') {
    const start = centre((await handle.boundingBox())!);
    const steps = 12;
    const gaps: number[] = [];
    const cdp = input === 'touch' ? await page.context().newCDPSession(page) : null;
    if (cdp) onTestFinished(() => cdp.detach().catch(() => {}));
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp!.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }] });
    if (input === 'mouse') {
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
    } else await touch('touchStart', start.x, start.y);
    for (let i = 1; i <= steps; i++) {
      const p = { x: start.x + (dx * i) / steps, y: start.y + (dy * i) / steps };
      if (input === 'mouse') await page.mouse.move(p.x, p.y);
      else await touch('touchMove', p.x, p.y);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))));
      const c = centre((await handle.boundingBox())!);
      gaps.push(Math.hypot(c.x - p.x, c.y - p.y));
    }
    const end = { x: start.x + dx, y: start.y + dy };
    if (input === 'mouse') await page.mouse.up();
    else await touch('touchEnd', end.x, end.y);
    return gaps;
  }

  for (const input of ['mouse', 'touch'] as const) {
    it(`keeps the race's start point under the ${input} during a 240 px drag (the view rescales after release)`, async () => {
      const { page, problems } = await open('', input === 'touch' ? { hasTouch: true } : {});
      await hydrate(page, 'race');
      const fig = page.locator('[data-figure="race"]');
      await fig.locator('.fig-chart').first().scrollIntoViewIfNeeded();
      const handle = fig.locator('.fig-handle');
      const gaps = await dragGap(page, handle, -240, 0, input);
      console.log(`race drag (${input}): largest handle–pointer gap ${Math.max(...gaps).toFixed(2)} px`);
      for (const g of gaps) expect(g).toBeLessThanOrEqual(2);
      // After release the view may rescale; the state is where the pointer left it, not far beyond.
      await expect.poll(async () => Number(await fig.locator('#fig-race-x0').inputValue())).toBeLessThan(1);
      expect(Number(await fig.locator('#fig-race-x0').inputValue())).toBeGreaterThan(-2);
      expect(problems).toEqual({ console: [], failed: [], external: [] });
    });
  }

  it('HVP explorer: x can be grabbed at its centre even when v is short', async () => {
    const { page, problems } = await open('#hvp.v=1&hvp.v1=0.1&hvp.v2=0');
    await hydrate(page, 'hvp');
    const fig = page.locator('[data-figure="hvp"]');
    await fig.locator('.fig-chart').first().scrollIntoViewIfNeeded();
    const x = fig.locator('.fig-handle').first();
    const gaps = await dragGap(page, x, 0, -60, 'mouse');
    for (const g of gaps) expect(g).toBeLessThanOrEqual(2);
    await expect.poll(() => fig.locator('#fig-hvp-x2').inputValue()).not.toBe('0.5');
    expect(await fig.locator('#fig-hvp-v1').inputValue()).toBe('0.1');
    expect(await fig.locator('#fig-hvp-v2').inputValue()).toBe('0');
    // The tip of v is still reachable: grabbed beside x, on the side v points to.
    const tip = centre((await fig.locator('.fig-handle').nth(1).boundingBox())!);
    const xc = centre((await x.boundingBox())!);
    await page.mouse.move(tip.x + (tip.x - xc.x) * 0.5 + 6, tip.y);
    await page.mouse.down();
    await page.mouse.move(tip.x + 40, tip.y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => fig.locator('#fig-hvp-v1').inputValue()).not.toBe('0.1');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  /** Every visible text of the figures' charts with its rendered font size (CSS size × the SVG's scale on screen). */
  async function chartTextSizes(page: Page) {
    return page.evaluate(() => {
      const out: { figure: string; text: string; px: number }[] = [];
      for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>('[data-figure] .fig-chart svg'))) {
        if (svg.getBoundingClientRect().width === 0) continue; // the variant not shown at this width
        for (const t of Array.from(svg.querySelectorAll<SVGTextElement>('text'))) {
          if (!t.textContent?.trim()) continue;
          const ctm = t.getScreenCTM();
          out.push({ figure: svg.closest<HTMLElement>('[data-figure]')!.dataset.figure!, text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * (ctm ? Math.hypot(ctm.a, ctm.b) : 1) });
        }
      }
      return out;
    });
  }

  it('at 360 px without JavaScript, the static charts render their text at 11 px or more', async () => {
    const { page } = await open('', { ...PHONE, javaScriptEnabled: false });
    const sizes = await chartTextSizes(page);
    for (const name of FIGURES) expect(sizes.filter((s) => s.figure === name).length, name).toBeGreaterThan(5);
    const smallest = Math.min(...sizes.map((s) => s.px));
    console.log(`static charts at 360 px: ${sizes.length} texts, smallest ${smallest.toFixed(2)} px`);
    expect(sizes.filter((s) => s.px < 11)).toEqual([]);
  });

  it('at 1280 px without JavaScript, the static charts are the natural-size ones (12 px text)', async () => {
    const { page } = await open('', { viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const sizes = await chartTextSizes(page);
    expect(sizes.length).toBeGreaterThan(20);
    for (const s of sizes) expect(s.px).toBeGreaterThanOrEqual(11.5);
  });

  it('without JavaScript: one notice for the page, each figure says why its controls do not respond, no caption says drag', async () => {
    const { page } = await open('', { javaScriptEnabled: false });
    // Playwright's text locators skip <noscript>; read what the page renders instead.
    const said = await page.evaluate(() => document.body.innerText.split('JavaScript is off').length - 1);
    expect(said).toBe(1);
    expect(await page.locator('.noscript-notice').isVisible()).toBe(true);
    for (const name of FIGURES) {
      const fig = page.locator(`[data-figure="${name}"]`);
      const note = fig.locator('.fig-inert');
      expect(await note.isVisible(), name).toBe(true);
      const noteId = await note.getAttribute('id');
      const controls = fig.locator('.fig-controls input, .fig-controls select, .fig-controls button');
      expect(await controls.count()).toBeGreaterThan(0);
      for (const el of await controls.all()) {
        expect(await el.getAttribute('aria-disabled')).toBe('true');
        expect((await el.getAttribute('aria-describedby'))?.split(' ')).toContain(noteId);
      }
      expect(await fig.locator('.fig-caption').textContent(), name).not.toMatch(/\bdrag/i);
      expect(await fig.locator('.fig-hint').isVisible()).toBe(false);
    }
  });

  it('with JavaScript, a hydrated figure drops the note, turns its controls on and tells how to move its handles', async () => {
    const { page, problems } = await open();
    for (const name of FIGURES) {
      await hydrate(page, name);
      const fig = page.locator(`[data-figure="${name}"]`);
      expect(await fig.locator('.fig-inert').count()).toBe(0);
      expect(await fig.locator('[aria-disabled="true"], input[readonly]').count()).toBe(0);
      expect(await fig.locator('.fig-caption').textContent(), name).not.toMatch(/\bdrag/i);
      if (name !== 'quad') {
        expect(await fig.locator('.fig-hint').textContent()).toMatch(/^Drag .*arrow keys/);
        expect(await fig.locator('.fig-hint').isVisible(), name).toBe(true);
      }
    }
    // No chart box keeps a second (static) SVG once the live one is drawn.
    for (const box of await page.locator('[data-figure] .fig-chart').all()) expect(await box.locator(':scope > svg').count()).toBe(1);
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });

  it('before hydration, a fast keyboard user tabbing through the page reaches every figure control', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    onTestFinished(() => release());
    const { page } = await open('', {}, (p) =>
      p.route(/Island.*\.js$/, async (route) => {
        await held;
        await route.continue().catch(() => {});
      }),
    );
    await page.evaluate(() => {
      (window as unknown as { seen: string[] }).seen = [];
      document.addEventListener('focusin', (e) => (window as unknown as { seen: string[] }).seen.push((e.target as HTMLElement).id || (e.target as HTMLElement).getAttribute('name') || ''));
    });
    const wanted = await page.locator('[data-figure] .fig-controls input[type="text"], [data-figure] .fig-controls select').evaluateAll((els) => els.map((e) => e.id));
    expect(wanted.length).toBeGreaterThan(10);
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
      if (wanted.every((id) => seen.includes(id))) break;
    }
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(wanted.filter((id) => !seen.includes(id))).toEqual([]);
    // Still not hydrated (the islands are held back): the controls were reached before hydration.
    for (const name of FIGURES) expect(await page.locator(`[data-figure="${name}"]`).getAttribute('data-hydrated')).toBeNull();
  });

  for (const hydrated of [false, true]) {
    it(`at 360 px nothing is clipped${hydrated ? ' once the figures are live' : ' before hydration'}: each formula and table fits or scrolls in a labelled region with a cue`, async () => {
      const { page, problems } = hydrated ? await openHydrated(PHONE) : await open('', PHONE);
      const rows = await page.evaluate(() => {
        const out: { what: string; width: number; box: number; region: string | null; tabindex: string | null; label: string | null; cue: boolean; inside: boolean }[] = [];
        for (const el of Array.from(document.querySelectorAll<HTMLElement>('main .katex-display, main table'))) {
          const region = el.closest<HTMLElement>('.scroll-x');
          const box = region ?? el.parentElement!;
          const r = box.getBoundingClientRect();
          const cs = region ? getComputedStyle(region) : null;
          out.push({
            what: `${el.tagName.toLowerCase()} ${(el.querySelector('annotation')?.textContent ?? el.querySelector('caption')?.textContent ?? el.textContent ?? '').slice(0, 50)}`,
            width: Math.max(el.scrollWidth, el.getBoundingClientRect().width),
            box: box.clientWidth,
            region: region?.getAttribute('role') ?? null,
            tabindex: region?.getAttribute('tabindex') ?? null,
            label: region?.getAttribute('aria-label') ?? null,
            cue: !!cs && (cs.backgroundImage.match(/radial-gradient/g) ?? []).length === 2 && /local/.test(cs.backgroundAttachment) && /scroll/.test(cs.backgroundAttachment),
            inside: r.left >= 0 && r.right <= innerWidth + 0.5,
          });
        }
        return out;
      });
      expect(rows.length).toBeGreaterThan(5);
      const wide = rows.filter((r) => r.width > r.box + 1);
      console.log(`360 px${hydrated ? ', hydrated' : ''}: ${rows.length} formulas and tables, ${wide.length} wider than their box (they scroll):`);
      console.table(wide.map((r) => ({ what: r.what, width: Math.round(r.width), box: r.box })));
      for (const r of rows) {
        expect(r.inside, r.what).toBe(true);
        if (r.width <= r.box + 1) continue;
        expect({ what: r.what, region: r.region, tabindex: r.tabindex, cue: r.cue }).toEqual({ what: r.what, region: 'group', tabindex: '0', cue: true });
        expect(r.label?.length, r.what).toBeGreaterThan(0);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      // A keyboard scrolls a wide region once it has focus.
      if (wide.length) {
        const widest = await page.locator('main .scroll-x').evaluateAll((els) => {
          let best = 0;
          els.forEach((e, i) => {
            if (e.scrollWidth - e.clientWidth > els[best].scrollWidth - els[best].clientWidth) best = i;
          });
          return best;
        });
        const target = page.locator('main .scroll-x').nth(widest);
        await target.evaluate((e) => e.scrollTo({ left: 0 }));
        expect(await target.evaluate((e) => e.scrollLeft)).toBe(0);
        await target.focus();
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        await expect.poll(() => target.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
      }
      expect(problems).toEqual({ console: [], failed: [], external: [] });
    });
  }

  it('contour fills reach the corners of every contour chart (no notched corners)', async () => {
    const { page } = await openHydrated({ viewport: { width: 1280, height: 900 } });
    const notched = await page.evaluate(() => {
      const out: string[] = [];
      for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>('[data-figure] .fig-chart svg'))) {
        const frame = svg.querySelector<SVGGraphicsElement>('.fig-anchor');
        const bands = Array.from(svg.querySelectorAll<SVGPathElement>('path')).filter((p) => getComputedStyle(p).fill !== 'none' && p.closest('g') !== frame);
        if (!frame || bands.length < 3) continue;
        const f = frame.getBoundingClientRect();
        const inside = (x: number, y: number) =>
          bands.filter((p) => {
            const m = p.getScreenCTM()!;
            return p.isPointInFill(new DOMPoint(x, y).matrixTransform(m.inverse()));
          }).length;
        const corners: [number, number, number, number][] = [
          [f.left, f.top, 1, 1],
          [f.right, f.top, -1, 1],
          [f.left, f.bottom, 1, -1],
          [f.right, f.bottom, -1, -1],
        ];
        for (const [x, y, sx, sy] of corners) {
          const atCorner = inside(x + sx * 1.5, y + sy * 1.5);
          const inward = inside(x + sx * 5, y + sy * 5);
          // A notch leaves the corner outside bands that cover the points just inside it.
          if (atCorner < inward) out.push(`${svg.closest<HTMLElement>('[data-figure]')!.dataset.figure}: corner (${sx}, ${sy}) is in ${atCorner} bands, 5 px inward ${inward}`);
        }
      }
      return out;
    });
    expect(notched).toEqual([]);
  });

  /**
   * Collisions in the live charts: pairs of texts whose boxes overlap (tick labels, axis labels, mark labels), and
   * texts that sit on a drawn line or arrow (sampled inside the text's box, tested with isPointInStroke).
   */
  async function chartCollisions(page: Page, chart: number, figure: string) {
    return page.evaluate(([chart, figure]) => {
      const out: string[] = [];
      const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      const box = document.querySelectorAll<HTMLElement>(`[data-figure="${figure}"] .fig-chart`)[chart as number];
      for (const svg of Array.from(box.querySelectorAll<SVGSVGElement>('svg'))) {
        if (!svg.getBoundingClientRect().width) continue;
        const fig = `${figure} chart ${(chart as number) + 1}`;
        const texts = Array.from(svg.querySelectorAll<SVGTextElement>('text')).filter((t) => t.textContent!.trim() && t.getBoundingClientRect().width > 0);
        for (let i = 0; i < texts.length; i++)
          for (let j = i + 1; j < texts.length; j++)
            if (overlap(texts[i].getBoundingClientRect(), texts[j].getBoundingClientRect())) out.push(`${fig}: “${texts[i].textContent}” overlaps “${texts[j].textContent}”`);
        const strokes = Array.from(svg.querySelectorAll<SVGPathElement>('path')).filter((p) => {
          const cs = getComputedStyle(p);
          return cs.fill === 'none' && cs.stroke !== 'none' && !p.closest('[font-variant="tabular-nums"]') && !p.closest('.fig-anchor') && p.getBoundingClientRect().width + p.getBoundingClientRect().height > 12;
        });
        for (const t of texts) {
          if (t.closest('[font-variant="tabular-nums"]')) continue; // tick labels sit beside their ticks
          const r = t.getBoundingClientRect();
          let hit = '';
          for (let a = 1; a < 6 && !hit; a++)
            for (let b = 1; b < 4 && !hit; b++) {
              const x = r.left + (r.width * a) / 6;
              const y = r.top + 2 + ((r.height - 4) * b) / 4;
              for (const p of strokes) {
                const m = p.getScreenCTM();
                if (!m) continue;
                const q = new DOMPoint(x, y).matrixTransform(m.inverse());
                if (p.isPointInStroke(q)) hit = p.getAttribute('class') ?? p.parentElement?.getAttribute('class') ?? 'a path';
              }
            }
          if (hit) out.push(`${fig}: “${t.textContent}” sits on a drawn line (${hit})`);
          // Visible: not clipped away, not under a handle or another mark (hit testing honours clip paths).
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (!top || !(t === top || t.contains(top))) out.push(`${fig}: “${t.textContent}” is hidden (under ${top?.tagName.toLowerCase()}.${top?.getAttribute('class') ?? ''})`);
        }
      }
      return out;
    }, [chart, figure] as const);
  }

  for (const opts of [{ viewport: { width: 1280, height: 900 } }, PHONE]) {
    it(`at ${opts.viewport.width} px, no chart label collides with a tick, another label or the data`, async () => {
      const report: string[] = [];
      for (const hash of ['', '#race.v=1&race.lr=0.5&hvp.v=1&hvp.fn=quad']) {
        const { page } = hash ? await open(hash, opts) : await openHydrated(opts);
        for (const name of FIGURES) {
          await hydrate(page, name);
          // Hit testing needs the chart on screen.
          for (const box of await page.locator(`[data-figure="${name}"] .fig-chart`).all()) {
            await box.scrollIntoViewIfNeeded();
            report.push(...(await chartCollisions(page, await box.evaluate((b) => Array.from(b.parentElement!.querySelectorAll('.fig-chart')).indexOf(b)), name)).map((c) => `${hash || 'defaults'}: ${c}`));
          }
        }
      }
      expect(report).toEqual([]);
    });
  }

  it('HVP explorer: a preset button selects the text’s indefinite Rosenbrock point, where Newton fails', async () => {
    const { page, problems } = await open();
    await hydrate(page, 'hvp');
    const fig = page.locator('[data-figure="hvp"]');
    await fig.locator('.fig-preset', { hasText: 'indefinite point' }).click();
    await expect.poll(() => fig.locator('#fig-hvp-fn').inputValue()).toBe('rosen100');
    expect(await fig.locator('#fig-hvp-x1').inputValue()).toBe('-0.5');
    expect(await fig.locator('#fig-hvp-x2').inputValue()).toBe('0.8');
    await expect.poll(() => fig.locator('.fig-status').textContent()).toContain('indefinite');
    expect(await fig.locator('.fig-status').textContent()).toContain('Newton’s method fails here');
    expect(new URL(page.url()).hash).toContain('hvp.fn=rosen100');
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });
});
