/**
 * highlightCode(source, lang) = the source as HTML, each comment, string, number, keyword and builtin in a
 * `<span class="hl-…">`: a few classes instead of an inline style per token, so a page can carry many listings.
 */

/** The languages the chapters show as plain sources. */
export type SourceLanguage = 'python' | 'typescript';

interface Grammar {
  comment: string;
  string: string;
  keywords: Set<string>;
  builtins: Set<string>;
}

const words = (s: string) => new Set(s.split(' '));
const QUOTED = String.raw`"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'`;

const GRAMMARS: Record<SourceLanguage, Grammar> = {
  python: {
    comment: '#[^\\n]*',
    string: String.raw`(?:[rRbBfFuU]{1,2})?(?:"""[\s\S]*?"""|'''[\s\S]*?'''|${QUOTED})`,
    keywords: words('and as assert break class continue def del elif else except finally for from global if import in is lambda None nonlocal not or pass raise return True False try while with yield'),
    builtins: words('abs enumerate float hasattr int len list max min open print range repr sorted str sum tuple zip'),
  },
  typescript: {
    comment: String.raw`\/\/[^\n]*|\/\*[\s\S]*?\*\/`,
    string: String.raw`\`(?:\\.|[^\`\\])*\`|${QUOTED}`,
    keywords: words('as async await break case catch class const continue default do else export extends false finally for from function if import in instanceof interface let new null of return switch throw true try type typeof var void while'),
    builtins: words('Array Float64Array Math Number Object String console'),
  },
};

const NUMBER = String.raw`\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\b|\.\d+(?:[eE][+-]?\d+)?\b`;
const NAME = '[A-Za-z_$][A-Za-z0-9_$]*';
const TOKENS = Object.fromEntries(
  Object.entries(GRAMMARS).map(([lang, g]) => [lang, new RegExp(`(${g.comment})|(${g.string})|(${NUMBER})|(${NAME})`, 'g')]),
) as Record<SourceLanguage, RegExp>;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const span = (cls: string, text: string) => `<span class="hl-${cls}">${escapeHtml(text)}</span>`;

export function highlightCode(source: string, lang: SourceLanguage): string {
  if (typeof source !== 'string') throw new TypeError(`highlightCode: source must be a string, got ${typeof source}`);
  const g = GRAMMARS[lang];
  if (!g) throw new RangeError(`highlightCode: unknown language ${JSON.stringify(lang)} (use ${Object.keys(GRAMMARS).join(' or ')})`);
  let out = '';
  let last = 0;
  for (const m of source.matchAll(TOKENS[lang])) {
    out += escapeHtml(source.slice(last, m.index));
    const [text, comment, str, num, name] = m;
    if (comment) out += span('c', text);
    else if (str) out += span('s', text);
    else if (num) out += span('n', text);
    else if (name && g.keywords.has(name)) out += span('k', text);
    else if (name && g.builtins.has(name)) out += span('b', text);
    else out += escapeHtml(text);
    last = m.index + text.length;
  }
  return out + escapeHtml(source.slice(last));
}
