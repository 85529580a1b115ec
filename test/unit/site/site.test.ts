import { describe, expect, it } from 'vitest';
import { deployTarget, normalizeBase } from '../../../src/lib/site/deployTarget.ts';
import { isExternal, withBase } from '../../../src/lib/site/url.ts';
import { toc } from '../../../src/lib/site/toc.ts';
import { chapterLabel, chapterNav, checkNeeds, type ChapterRef } from '../../../src/lib/site/chapterNav.ts';
import { stripLegacyFontSources } from '../../../src/lib/site/katexWoff2Only.ts';

describe('toolchain', () => {
  it('runs every npm script on the Node that the project brings (24.x), not the machine\'s', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});

describe('deployTarget', () => {
  it('defaults to a local root site', () => {
    expect(deployTarget({})).toEqual({ site: 'http://localhost:4321', base: '/' });
  });
  it('derives site and base from the GitHub repository', () => {
    expect(deployTarget({ GITHUB_REPOSITORY: 'Octo-Org/ml-calculus' })).toEqual({
      site: 'https://octo-org.github.io',
      base: '/ml-calculus/',
    });
    expect(deployTarget({ GITHUB_REPOSITORY: 'octo/octo.github.io' }).base).toBe('/');
  });
  it('lets SITE_URL and BASE_PATH override, for forks and custom domains', () => {
    expect(deployTarget({ GITHUB_REPOSITORY: 'a/b', SITE_URL: 'https://calc.example.org/x', BASE_PATH: '/' })).toEqual({
      site: 'https://calc.example.org',
      base: '/',
    });
    expect(deployTarget({ BASE_PATH: 'course' }).base).toBe('/course/');
  });
  it('rejects malformed values with a message', () => {
    expect(() => deployTarget({ GITHUB_REPOSITORY: 'nonsense' })).toThrow(/owner\/repo/);
    expect(() => deployTarget({ SITE_URL: 'not a url' })).toThrow();
    expect(() => normalizeBase('/a/../b')).toThrow(/BASE_PATH/);
  });
  it('normalises base paths', () => {
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('//a//b')).toBe('/a/b/');
  });
});

describe('withBase', () => {
  it('prefixes root-relative paths once', () => {
    expect(withBase('/calc-16-hessian-vector/', '/course/')).toBe('/course/calc-16-hessian-vector/');
    expect(withBase('/', '/course/')).toBe('/course/');
    expect(withBase('/course/x/', '/course/')).toBe('/course/x/');
    expect(withBase('/x/', '/')).toBe('/x/');
  });
  it('leaves external, fragment and relative links alone', () => {
    for (const u of ['https://pytorch.org', 'mailto:a@b.c', '//cdn.example', '#top', 'sibling/']) {
      expect(withBase(u, '/course/')).toBe(u);
    }
    expect(isExternal('https://x')).toBe(true);
    expect(isExternal('/x')).toBe(false);
  });
});

describe('toc', () => {
  it('nests h3 under the preceding h2 and drops other depths', () => {
    const t = toc([
      { depth: 1, slug: 't', text: 'Title' },
      { depth: 3, slug: 'orphan', text: 'Orphan' },
      { depth: 2, slug: 'a', text: 'A' },
      { depth: 3, slug: 'a1', text: 'A1' },
      { depth: 4, slug: 'deep', text: 'Deep' },
      { depth: 2, slug: 'b', text: 'B' },
    ]);
    expect(t.map((e) => e.slug)).toEqual(['orphan', 'a', 'b']);
    expect(t[1].children.map((e) => e.slug)).toEqual(['a1']);
  });
});

describe('chapterNav', () => {
  const cs: ChapterRef[] = [
    { id: 'c17', number: 17, title: 'Next one', status: 'announced', order: 17 },
    { id: 'c15', number: 15, title: 'Draft', status: 'announced', order: 15 },
    { id: 'c16', number: 16, title: 'Hessian-vector products', status: 'published', order: 16 },
    { id: 'c14', number: 14, title: 'Old', status: 'published', order: 14 },
  ];
  it('links the nearest published chapter back and the following chapter forward, announced or not', () => {
    const nav = chapterNav(cs, 'c16');
    expect(nav.prev?.id).toBe('c14');
    expect(nav.next?.id).toBe('c17');
    expect(chapterNav(cs, 'c17').next).toBeUndefined();
  });
  it('names an unknown chapter in its error', () => {
    expect(() => chapterNav(cs, 'nope')).toThrow(/no chapter "nope"/);
  });
  it('labels chapters the way the course does', () => {
    expect(chapterLabel(cs[2])).toBe('Calculus 16 — Hessian-vector products');
  });
  it('accepts prerequisites from earlier chapters and names a missing or later one', () => {
    const withNeeds = cs.map((c) => ({ ...c, needs: c.id === 'c16' ? [{ chapter: 14, what: 'gradients' }, { what: 'algebra' }] : [] }));
    expect(() => checkNeeds(withNeeds)).not.toThrow();
    const later = withNeeds.map((c) => (c.id === 'c16' ? { ...c, needs: [{ chapter: 17, what: 'meta' }] } : c));
    expect(() => checkNeeds(later)).toThrow('Calculus 16 needs Calculus 17 ("meta"), which does not come before it');
    const missing = withNeeds.map((c) => (c.id === 'c16' ? { ...c, needs: [{ chapter: 3, what: 'limits' }] } : c));
    expect(() => checkNeeds(missing)).toThrow('Calculus 16 needs Calculus 3 ("limits"), which does not exist');
  });
});

describe('stripLegacyFontSources', () => {
  it('keeps woff2 and drops woff and ttf sources', () => {
    const css =
      '@font-face{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) format("woff2"),url(fonts/KaTeX_AMS-Regular.woff) format("woff"),url(fonts/KaTeX_AMS-Regular.ttf) format("truetype")}';
    expect(stripLegacyFontSources(css)).toBe(
      '@font-face{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) format("woff2")}',
    );
  });
});
