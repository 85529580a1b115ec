import { expect, it } from 'vitest';
import { describeBrowser, previewUrl, seriousAxeViolations, testContext } from '../support/browser.ts';
import { keptPagesForFile } from '../support/keptPages.ts';

const pages = [
  { name: 'home', path: '' },
  { name: 'chapter 16', path: 'calc-16-hessian-vector/' },
  { name: 'chapter 17', path: 'calc-17-higher-order-gradients/' },
  { name: '404', path: '404.html' },
];

describeBrowser('built site in Chromium', () => {
  const kept = keptPagesForFile();

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const p of pages) {
      it(`${p.name} (${colorScheme}) loads with no console errors, failed or off-site requests, and passes axe`, async () => {
        const { page, problems } = await kept.open(previewUrl(p.path), { colorScheme, viewport: { width: 1024, height: 800 } }, 'networkidle');
        expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(colorScheme === 'dark');
        expect(await seriousAxeViolations(page)).toEqual([]);
        expect(problems).toEqual({ console: [], failed: [], external: [] });
      });
    }
  }

  it('the axe check can fail: it reports a planted low-contrast line and an unlabelled field, inside its scope only', async () => {
    const { page } = await kept.open(previewUrl('404.html'), { colorScheme: 'light', viewport: { width: 1024, height: 800 } });
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'planted';
      p.textContent = 'barely visible';
      p.style.color = '#d8d8d8';
      const input = document.createElement('input');
      p.append(input);
      document.querySelector('main')!.append(p);
    });
    const all = await seriousAxeViolations(page);
    expect(all.some((v) => v.startsWith('color-contrast:') && v.includes('#planted'))).toBe(true);
    expect(all.some((v) => v.startsWith('label:'))).toBe(true);
    expect(await seriousAxeViolations(page, 'footer')).toEqual([]);
  });

  /**
   * Chapter 16 in the kept page, shared by the next tests that ask for it in the same scheme when nothing else loaded
   * in between (KeptPages.reuse): the three below only read it, or (print) change the emulated media, which is set
   * back when the next one takes the page.
   */
  const openChapter16 = (colorScheme: 'light' | 'dark') =>
    kept.reuse('chapter 16', previewUrl('calc-16-hessian-vector/'), { colorScheme, viewport: { width: 1024, height: 800 } }, async () => {});

  it('content that skips rendering off screen keeps room for a whole focus ring at its edge', async () => {
    const { page } = await openChapter16('light');
    // The focus ring's reach (outline width + offset), and each element content-visibility contains without that room.
    const { ring, tooTight, skipping } = await page.evaluate(() => {
      const rule = [...document.styleSheets]
        .flatMap((s) => [...s.cssRules])
        .find((r): r is CSSStyleRule => r instanceof CSSStyleRule && r.selectorText === ':focus-visible')!;
      // The outline is a shorthand with a var() colour, whose longhands read as empty: take the widths from the text.
      const px = (re: RegExp) => parseFloat(re.exec(rule.style.cssText)?.[1] ?? 'NaN');
      const ring = px(/outline:\s*([\d.]+)px/) + px(/outline-offset:\s*([\d.]+)px/);
      const contained = [...document.querySelectorAll('main *')].filter((e) => getComputedStyle(e).contentVisibility === 'auto');
      const tooTight = contained
        .filter((e) => !(parseFloat(getComputedStyle(e).overflowClipMargin) >= ring))
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
      return { ring, tooTight, skipping: contained.length };
    });
    expect(ring).toBeGreaterThan(0);
    expect(skipping).toBeGreaterThan(5);
    expect(tooTight).toEqual([]);
  });

  it('keeps math in the print stylesheet and hides navigation chrome', async () => {
    const { page } = await openChapter16('light');
    await page.emulateMedia({ media: 'print' });
    const state = await page.evaluate(() => ({
      math: getComputedStyle(document.querySelector('.katex-display')!).display,
      toc: getComputedStyle(document.querySelector('nav.toc')!).display,
    }));
    expect(state.math).not.toBe('none');
    expect(state.toc).toBe('none');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.byteLength).toBeGreaterThan(10_000);
  });

  it('renders dark mode from the system setting, math included', async () => {
    const colours: Record<string, { bg: string; fg: string; math: string }> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page } = await openChapter16(colorScheme);
      colours[colorScheme] = await page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        fg: getComputedStyle(document.body).color,
        math: getComputedStyle(document.querySelector('.katex')!).color,
      }));
    }
    const luminance = (rgb: string) => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(luminance(colours.light.bg)).toBeGreaterThan(200);
    expect(luminance(colours.dark.bg)).toBeLessThan(50);
    // Math inherits the text colour, so it stays readable on the dark background.
    expect(colours.dark.math).toBe(colours.dark.fg);
    expect(luminance(colours.dark.math)).toBeGreaterThan(180);
  });

  for (const path of ['calc-16-hessian-vector/', 'calc-17-higher-order-gradients/']) {
    it(`loads KaTeX fonts from the site and lays ${path} out at 360 px without horizontal page scroll`, async () => {
      const context = await testContext(kept.browser, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      const fonts: string[] = [];
      page.on('response', (r) => {
        if (/KaTeX_.*\.woff2$/.test(r.url()) && r.ok()) fonts.push(r.url());
      });
      await page.goto(previewUrl(path), { waitUntil: 'networkidle' });
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.every((f) => f.startsWith(previewUrl()))).toBe(true);
      // Lay out everything, off-screen blocks included, before measuring.
      await page.addStyleTag({ content: '* { content-visibility: visible !important; }' });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await context.close();
    });
  }

  it('serves the 404 page for an unknown address', async () => {
    const context = await testContext(kept.browser);
    const page = await context.newPage();
    const res = await page.goto(previewUrl('does-not-exist/'));
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/not found/i);
    await context.close();
  });

});
