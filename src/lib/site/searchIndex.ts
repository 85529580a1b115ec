/**
 * The site's search index, written by Pagefind into `dist/pagefind/` when the build is done.
 *
 * Only chapter articles are indexed (they carry `data-pagefind-body`; the home, search and 404 pages do not), and
 * within them what a reader reads as prose: typeset math, code (listings, inline code, the PyTorch twins), the
 * figures' charts and controls, the table of contents and the pager are left out (`searchExcludes`). The search
 * page loads the index only when it is opened (src/lib/site/searchPage.ts).
 */
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readFile, rm } from 'node:fs/promises';

/** What the index leaves out of a chapter: math, code, figure internals and navigation. */
export const searchExcludes = [
  '.katex',
  'pre',
  'code',
  '.live-code',
  '.lazy-source',
  '.fig-controls',
  '.fig-chart',
  '.fig-inert',
  '.fig-hint',
  '.fig-status',
  '.fig-table',
  'nav.toc',
  'nav.pager',
  'noscript',
];

export interface SearchIndexSummary {
  /** Pages in the index (those with `data-pagefind-body`). */
  pages: number;
  /** Files written under `pagefind/`, after the unused prebuilt UIs are removed. */
  files: number;
}

/** Pagefind's prebuilt search UIs: the search page has its own (searchPage.ts), so these are not shipped. */
const unusedFiles = [
  'pagefind-ui.js', 'pagefind-ui.css', 'pagefind-component-ui.js', 'pagefind-component-ui.css',
  'pagefind-modular-ui.js', 'pagefind-modular-ui.css', 'pagefind-highlight.js',
];

/**
 * buildSearchIndex(dir) = Pagefind's index of the HTML under `dir`, written to `dir/pagefind/`. Throws with
 * Pagefind's messages if indexing fails or finds no page to index.
 */
export async function buildSearchIndex(dir: string): Promise<SearchIndexSummary> {
  const pagefind = await import('pagefind');
  try {
    const { index, errors } = await pagefind.createIndex({ excludeSelectors: searchExcludes, forceLanguage: 'en' });
    if (!index) throw new Error(`search index: Pagefind could not start: ${errors.join('; ')}`);
    const added = await index.addDirectory({ path: dir });
    if (added.errors.length > 0) throw new Error(`search index: ${added.errors.join('; ')}`);
    const out = join(dir, 'pagefind');
    const written = await index.writeFiles({ outputPath: out });
    if (written.errors.length > 0) throw new Error(`search index: ${written.errors.join('; ')}`);
    const entry = JSON.parse(await readFile(join(out, 'pagefind-entry.json'), 'utf8')) as { languages: Record<string, { page_count: number }> };
    const pages = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
    if (pages === 0) throw new Error(`search index: no page under ${dir} has data-pagefind-body`);
    await Promise.all(unusedFiles.map((f) => rm(join(out, f), { force: true })));
    const files = (await index.getFiles()).files.filter((f) => !unusedFiles.includes(f.path)).length;
    return { pages, files };
  } finally {
    await pagefind.close();
  }
}

/** The Astro integration: builds the search index after every `astro build`. */
export function searchIndex(): AstroIntegration {
  return {
    name: 'course-search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const summary = await buildSearchIndex(fileURLToPath(dir));
        logger.info(`search index: ${summary.pages} pages, ${summary.files} files in pagefind/`);
      },
    },
  };
}
