/**
 * Pure helpers of the search page: what a query may be, and how Pagefind's results become safe DOM.
 * Pagefind returns excerpts as HTML with `<mark>` around the matched words; they are rebuilt here from text nodes
 * and `<mark>` elements only, so nothing in an index (or a tampered one) can put markup or script in the page.
 */

/** Longest query the page searches for; the rest is ignored with a notice. */
export const MAX_QUERY = 200;

export interface Query {
  /** The terms to search for (trimmed, whitespace collapsed, at most MAX_QUERY characters). */
  terms: string;
  /** A sentence for the reader when the query was changed, else null. */
  notice: string | null;
}

/** normalizeQuery(raw) = the searchable terms of what the reader typed or the URL's `q`, and why it changed. */
export function normalizeQuery(raw: string | null): Query {
  const collapsed = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (collapsed.length <= MAX_QUERY) return { terms: collapsed, notice: null };
  return {
    terms: collapsed.slice(0, MAX_QUERY).trim(),
    notice: `Search terms are limited to ${MAX_QUERY} characters; the remaining ${collapsed.length - MAX_QUERY} were ignored.`,
  };
}

/** A piece of an excerpt: plain text, or matched text to highlight. */
export interface ExcerptPart {
  text: string;
  mark: boolean;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references Pagefind writes (`&amp;`, `&#39;`, `&#x2F;`, …); unknown ones stay as they are. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[ref.toLowerCase()] ?? whole;
  });
}

/**
 * excerptParts(html) = the excerpt as text and marked text. `<mark>` and `</mark>` delimit matches; every other
 * tag is dropped (its text kept), and character references are decoded into text, never parsed as markup.
 */
export function excerptParts(html: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let mark = false;
  for (const token of html.split(/(<\/?mark\b[^>]*>)/i)) {
    if (/^<mark\b/i.test(token)) { mark = true; continue; }
    if (/^<\/mark/i.test(token)) { mark = false; continue; }
    const text = decodeEntities(token.replace(/<[^>]*>?/g, ''));
    if (text === '') continue;
    const last = parts[parts.length - 1];
    if (last && last.mark === mark) last.text += text;
    else parts.push({ text, mark });
  }
  return parts;
}

/** appendExcerpt(el, html): appends the excerpt to `el` as text nodes and `<mark>` elements. */
export function appendExcerpt(el: Element, html: string): void {
  const doc = el.ownerDocument;
  for (const p of excerptParts(html)) {
    if (!p.mark) { el.append(doc.createTextNode(p.text)); continue; }
    const m = doc.createElement('mark');
    m.textContent = p.text;
    el.append(m);
  }
}

/**
 * safeResultUrl(url, base, origin) = the result's URL if it is a page of this site under its base, else null (a
 * result never links elsewhere, nor to `javascript:`).
 */
export function safeResultUrl(url: string, base: string, origin: string): string | null {
  let u: URL;
  try {
    u = new URL(url, origin);
  } catch {
    return null;
  }
  if (u.origin !== origin || !u.pathname.startsWith(base)) return null;
  return u.pathname + u.hash;
}

/** statusText(count, terms) = the sentence the status line announces after a search. */
export function statusText(count: number, terms: string): string {
  if (terms === '') return 'Type a word or two to search the chapters\u2019 text (math and code are not indexed).';
  if (count === 0) return `No results for \u201c${terms}\u201d.`;
  return `${count} ${count === 1 ? 'page matches' : 'pages match'} \u201c${terms}\u201d.`;
}
