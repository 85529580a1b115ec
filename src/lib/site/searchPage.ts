/**
 * The search page's script: loads Pagefind's index (`<base>pagefind/pagefind.js`, written by searchIndex.ts) when
 * the page opens, searches as the reader types (debounced), keeps the query in the URL (`?q=`), and renders each
 * result as a link to the chapter and to its best-matching sections, with excerpts rebuilt by searchResults.ts.
 */
import { appendExcerpt, normalizeQuery, safeResultUrl, statusText } from './searchResults.ts';

interface PagefindSubResult { title: string; url: string; excerpt: string }
interface PagefindData { url: string; excerpt: string; meta: { title?: string }; sub_results?: PagefindSubResult[] }
interface PagefindApi {
  options(o: Record<string, unknown>): Promise<void>;
  init(): Promise<void> | void;
  debouncedSearch(q: string, o?: object, ms?: number): Promise<{ results: { data(): Promise<PagefindData> }[] } | null>;
}

/** Sections shown under a page result. */
const MAX_SECTIONS = 3;

export interface SearchElements {
  form: HTMLFormElement;
  input: HTMLInputElement;
  status: HTMLElement;
  notice: HTMLElement;
  results: HTMLOListElement;
}

/** Loads Pagefind from under the site's base; rejects with a reader-facing message. */
async function loadPagefind(base: string): Promise<PagefindApi> {
  try {
    const api = (await import(/* @vite-ignore */ `${base}pagefind/pagefind.js`)) as PagefindApi;
    await api.options({ baseUrl: base, excerptLength: 24 });
    await api.init();
    return api;
  } catch {
    throw new Error(
      'The search index could not be loaded. It is written by the build: run `npm run build` and `npm run preview` ' +
        '(the development server has no index).',
    );
  }
}

function resultItem(doc: Document, data: PagefindData, base: string): HTMLLIElement | null {
  const url = safeResultUrl(data.url, base, doc.location.origin);
  if (url === null) return null;
  const li = doc.createElement('li');
  const a = doc.createElement('a');
  a.href = url;
  a.className = 'search-title';
  a.textContent = data.meta.title ?? url;
  const p = doc.createElement('p');
  appendExcerpt(p, data.excerpt);
  li.append(a, p);
  const subs = (data.sub_results ?? []).filter((s) => s.url !== data.url).slice(0, MAX_SECTIONS);
  if (subs.length > 0) {
    const ul = doc.createElement('ul');
    for (const s of subs) {
      const subUrl = safeResultUrl(s.url, base, doc.location.origin);
      if (subUrl === null) continue;
      const item = doc.createElement('li');
      const link = doc.createElement('a');
      link.href = subUrl;
      link.textContent = s.title;
      const excerpt = doc.createElement('p');
      appendExcerpt(excerpt, s.excerpt);
      item.append(link, excerpt);
      ul.append(item);
    }
    li.append(ul);
  }
  return li;
}

/** Wires the page: searches for the URL's `q` at once, then as the reader types. */
export function mountSearch(els: SearchElements, base: string): void {
  const doc = els.form.ownerDocument;
  const win = doc.defaultView!;
  const root = els.form.closest<HTMLElement>('[data-island]');
  const setState = (s: string) => root?.setAttribute('data-state', s);
  let api: Promise<PagefindApi> | null = null;
  let seq = 0;

  async function run(raw: string, updateUrl: boolean): Promise<void> {
    const { terms, notice } = normalizeQuery(raw);
    const mine = ++seq;
    els.notice.textContent = notice ?? '';
    els.notice.hidden = notice === null;
    if (updateUrl) {
      const url = new URL(win.location.href);
      if (terms === '') url.searchParams.delete('q');
      else url.searchParams.set('q', terms);
      win.history.replaceState(null, '', url);
    }
    if (terms === '') {
      els.results.replaceChildren();
      els.status.textContent = statusText(0, '');
      setState('idle');
      return;
    }
    setState('searching');
    try {
      api ??= loadPagefind(base);
      const search = await (await api).debouncedSearch(terms, {}, 200);
      if (search === null || mine !== seq) return; // superseded by a later keystroke
      const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
      if (mine !== seq) return;
      const items = data.map((d) => resultItem(doc, d, base)).filter((li): li is HTMLLIElement => li !== null);
      els.results.replaceChildren(...items);
      els.status.textContent = statusText(items.length, terms);
      setState('done');
    } catch (e) {
      api = null;
      els.results.replaceChildren();
      els.status.textContent = e instanceof Error ? e.message : String(e);
      setState('error');
    }
  }

  els.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void run(els.input.value, true);
  });
  els.input.addEventListener('input', () => void run(els.input.value, true));
  const initial = new URL(win.location.href).searchParams.get('q');
  els.input.value = normalizeQuery(initial).terms;
  void run(initial ?? '', false);
}
