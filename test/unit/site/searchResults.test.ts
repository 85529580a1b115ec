import { describe, expect, it } from 'vitest';
import { parseHTML } from 'linkedom';
import { appendExcerpt, decodeEntities, excerptParts, MAX_QUERY, normalizeQuery, safeResultUrl, statusText } from '../../../src/lib/site/searchResults.ts';
import { searchExcludes } from '../../../src/lib/site/searchIndex.ts';

describe('search queries', () => {
  it('trims, collapses whitespace and drops control characters', () => {
    expect(normalizeQuery('  Hessian \n\t vector\u0000 ')).toEqual({ terms: 'Hessian vector', notice: null });
    expect(normalizeQuery(null)).toEqual({ terms: '', notice: null });
  });

  it('caps the length and says how much was ignored', () => {
    const q = normalizeQuery('a'.repeat(MAX_QUERY + 7));
    expect(q.terms).toHaveLength(MAX_QUERY);
    expect(q.notice).toBe(`Search terms are limited to ${MAX_QUERY} characters; the remaining 7 were ignored.`);
  });
});

describe('search excerpts', () => {
  it('keeps <mark> as matches and everything else as text', () => {
    expect(excerptParts('a <mark>Hessian</mark>-vector <mark>product</mark>')).toEqual([
      { text: 'a ', mark: false },
      { text: 'Hessian', mark: true },
      { text: '-vector ', mark: false },
      { text: 'product', mark: true },
    ]);
  });

  it('decodes character references into text, never into markup', () => {
    expect(decodeEntities('&lt;b&gt; &amp; &#39;x&#x27; &bogus;')).toBe("<b> & 'x' &bogus;");
    const { document } = parseHTML('<p id="p"></p>');
    const p = document.getElementById('p')!;
    appendExcerpt(p, '&lt;img src=x onerror=alert(1)&gt; <img src=y onerror=alert(2)><mark>ok</mark><script>alert(3)</script>');
    expect(p.querySelector('img')).toBeNull();
    expect(p.querySelector('script')).toBeNull();
    expect(p.querySelector('mark')?.textContent).toBe('ok');
    expect(p.textContent).toBe('<img src=x onerror=alert(1)> okalert(3)');
  });
});

describe('search result links', () => {
  const origin = 'https://example.org';
  it('keeps pages of the site under its base, with their fragment', () => {
    expect(safeResultUrl('/course/calc-16-hessian-vector/#exercises', '/course/', origin)).toBe('/course/calc-16-hessian-vector/#exercises');
  });
  it('refuses other origins, other paths and script URLs', () => {
    expect(safeResultUrl('https://evil.example/course/x/', '/course/', origin)).toBeNull();
    expect(safeResultUrl('/elsewhere/', '/course/', origin)).toBeNull();
    expect(safeResultUrl('javascript:alert(1)', '/course/', origin)).toBeNull();
  });
});

describe('search status', () => {
  it('says how many pages match', () => {
    expect(statusText(0, 'x')).toBe('No results for “x”.');
    expect(statusText(1, 'x')).toBe('1 page matches “x”.');
    expect(statusText(2, 'x')).toBe('2 pages match “x”.');
    expect(statusText(0, '')).toMatch(/math and code are not indexed/);
  });
});

describe('the index', () => {
  it('leaves math, code and figure internals out', () => {
    for (const s of ['.katex', 'pre', 'code', '.live-code', '.lazy-source', '.fig-chart']) expect(searchExcludes).toContain(s);
  });
});
