import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BYTES } from '../support/budgets.ts';
import {
  base,
  cssRefs,
  distDir,
  distFiles,
  htmlPages,
  kb,
  loadPage,
  pageRefs,
  pageUrl,
  pageWeight,
  resolveInDist,
} from '../support/dist.ts';

const chapterFile = 'calc-16-hessian-vector/index.html';

beforeAll(() => {
  expect(distFiles().length, `no build in ${distDir}: run npm run test:site`).toBeGreaterThan(0);
});

describe('the build', () => {
  it('has the home page, the chapter, and the 404 page', () => {
    const pages = htmlPages();
    expect(pages).toContain('index.html');
    expect(pages).toContain('404.html');
    expect(pages).toContain(chapterFile);
  });

  it('lists every chapter on the home page with its status, and links only published ones', () => {
    const doc = loadPage('index.html');
    const items = [...doc.querySelectorAll('.chapter-list li')];
    const text = items.map((li) => li.textContent?.replace(/\s+/g, ' ') ?? '');
    expect(text.some((t) => /Calculus 16 — Hessian-vector products.*published/.test(t))).toBe(true);
    expect(text.some((t) => /Calculus 17 — Higher-order Gradients, Meta-Learning, and Beyond.*published/.test(t))).toBe(true);
    expect(text.some((t) => /announced/.test(t))).toBe(false);
    expect(doc.querySelector(`a[href="${base}calc-16-hessian-vector/"]`)).not.toBeNull();
    expect(doc.querySelector(`a[href="${base}calc-17-higher-order-gradients/"]`)).not.toBeNull();
  });

  it('says on the home page what each chapter teaches and what it needs, linking the chapters it builds on', () => {
    const doc = loadPage('index.html');
    for (const id of ['calc-16-hessian-vector', 'calc-17-higher-order-gradients']) {
      expect(doc.querySelectorAll(`[aria-labelledby="${id}-teaches"] li`).length).toBeGreaterThanOrEqual(3);
    }
    const needs17 = doc.querySelector('[aria-labelledby="calc-17-higher-order-gradients-needs"]');
    expect(needs17?.querySelector(`a[href="${base}calc-16-hessian-vector/"]`)?.textContent).toBe('Calculus 16 — Hessian-vector products');
  });

  it('links chapter 16 to chapter 17 and back with "Next" and "Previous"', () => {
    const next = loadPage(chapterFile).querySelector('nav.pager a[rel="next"]');
    expect(next?.textContent).toMatch(/Next.*Calculus 17 — Higher-order Gradients, Meta-Learning, and Beyond/s);
    expect(next?.getAttribute('href')).toBe(`${base}calc-17-higher-order-gradients/`);
    const prev = loadPage('calc-17-higher-order-gradients/index.html').querySelector('nav.pager a[rel="prev"]');
    expect(prev?.textContent).toMatch(/Calculus 16 — Hessian-vector products/s);
    expect(prev?.getAttribute('href')).toBe(`${base}calc-16-hessian-vector/`);
  });

  it('gives the chapter a table of contents that matches its h2 headings', () => {
    const doc = loadPage(chapterFile);
    const tocLinks = [...doc.querySelectorAll('nav.toc > ol > li > a')].map((a) => a.getAttribute('href'));
    const h2 = [...doc.querySelectorAll('article h2[id]')].map((h) => `#${h.id}`).filter((id) => id !== '#toc-title');
    expect(tocLinks.length).toBeGreaterThanOrEqual(2);
    expect(tocLinks).toEqual(h2);
  });
});

describe('math', () => {
  it('is typeset by KaTeX at build time, with MathML for screen readers, and no errors', () => {
    const html = readFileSync(join(distDir, chapterFile), 'utf8');
    const doc = loadPage(chapterFile);
    expect(doc.querySelectorAll('.katex').length).toBeGreaterThan(10);
    expect(doc.querySelectorAll('.katex-display').length).toBeGreaterThan(2);
    expect(doc.querySelectorAll('.katex math annotation[encoding="application/x-tex"]').length).toBeGreaterThan(10);
    expect(html).not.toMatch(/katex-error/);
    // No unrendered TeX left in the prose (code listings may legitimately contain dollars).
    for (const el of doc.querySelectorAll('pre, code, .katex, script, style')) el.remove();
    expect(doc.body.textContent).not.toMatch(/\$\$|\$[^$\s][^$]*\$/);
  });

  for (const file of ['index.html', '404.html', chapterFile]) {
    it(`has no KaTeX error on ${file}`, () => {
      expect(loadPage(file).querySelectorAll('.katex-error').length).toBe(0);
    });
  }

  it('serves the KaTeX fonts from the site as woff2 only', () => {
    const files = distFiles();
    const fonts = files.filter((f) => /KaTeX_.*\.(woff2?|ttf)$/.test(f));
    expect(fonts.length).toBeGreaterThan(10);
    expect(fonts.every((f) => f.endsWith('.woff2'))).toBe(true);
    const css = files.filter((f) => f.endsWith('.css')).map((f) => readFileSync(join(distDir, f), 'utf8'));
    expect(css.some((c) => /@font-face\{[^}]*font-family:"?KaTeX_Main[^}]*\.woff2/.test(c))).toBe(true);
  });
});

describe('links and assets', () => {
  it('resolve inside dist/ under the base, on every page, fragments included', () => {
    const problems: string[] = [];
    for (const file of htmlPages()) {
      const doc = loadPage(file);
      const url = pageUrl(file);
      for (const ref of pageRefs(doc)) {
        const r = resolveInDist(ref, url);
        if ('error' in r) {
          problems.push(`${file}: ${r.error}`);
          continue;
        }
        const hash = ref.includes('#') ? decodeURIComponent(ref.split('#')[1]) : '';
        if (hash) {
          const target = r.file === '' ? doc : loadPage(r.file);
          if (!target.getElementById(hash)) problems.push(`${file}: ${ref} has no element #${hash}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('resolve for every url() in every stylesheet', () => {
    const problems: string[] = [];
    for (const file of distFiles().filter((f) => f.endsWith('.css'))) {
      for (const ref of cssRefs(readFileSync(join(distDir, file), 'utf8'))) {
        const r = resolveInDist(ref, base + file);
        if ('error' in r) problems.push(`${file}: ${r.error}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('never point at another host at run time', () => {
    const offenders: string[] = [];
    for (const file of htmlPages()) {
      const doc = loadPage(file);
      for (const el of doc.querySelectorAll('script[src], link[rel="stylesheet"], link[rel="preload"], link[rel="modulepreload"], img[src], iframe[src]')) {
        const u = el.getAttribute('src') ?? el.getAttribute('href') ?? '';
        if (/^(https?:)?\/\//.test(u)) offenders.push(`${file}: ${u}`);
      }
    }
    for (const file of distFiles().filter((f) => /\.(css|js)$/.test(f))) {
      const text = readFileSync(join(distDir, file), 'utf8');
      for (const m of text.matchAll(/url\(\s*["']?(https?:)?\/\/[^)]+\)|@import\s+["']?https?:/g)) offenders.push(`${file}: ${m[0]}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('budgets', () => {
  const weights = () => htmlPages().map(pageWeight);

  it('prints what each page loads', () => {
    const rows = weights().map((w) => ({
      page: w.page,
      'html gz': kb(w.htmlGzip),
      'css gz': kb(w.cssGzip),
      'js gz': kb(w.jsGzip),
      'js files': w.jsFiles.length,
    }));
    console.log('\nBytes each page loads before any interaction (gzip -9):');
    console.table(rows);
    expect(rows.length).toBe(htmlPages().length);
  });

  it('loads 0 bytes of JavaScript on the 404 page and every page without islands; the home page only its exercise progress (≤ 2 KB gz)', () => {
    for (const w of weights()) {
      const doc = loadPage(w.page.slice(base.length) + (w.page.endsWith('/') ? 'index.html' : ''));
      const hasIslands = doc.querySelector('[data-island]') !== null;
      if (w.page === base) {
        // "n of m exercises solved" per chapter is read from localStorage: a script, and nothing else.
        expect(doc.querySelectorAll('[data-island]:not([data-island="exercise-progress"])')).toHaveLength(0);
        expect(doc.querySelector('[data-progress-count]'), 'the home page shows exercise progress').not.toBeNull();
        expect(w.jsGzip, `${w.page} loads ${w.jsGzip} bytes of JS (gzip)`).toBeLessThanOrEqual(BYTES.liveBootstrap);
      } else if (!hasIslands || w.page.endsWith('404.html')) {
        expect(w.jsBytes, `${w.page} loads ${w.jsBytes} bytes of JS`).toBe(0);
      }
    }
  });

  it.each([chapterFile, 'calc-17-higher-order-gradients/index.html'])('keeps HTML + CSS of %s within 100 KB gzipped, fonts excluded', (file) => {
    const w = pageWeight(file);
    expect(w.htmlGzip + w.cssGzip).toBeLessThanOrEqual(BYTES.chapterHtmlCss);
  });
});
