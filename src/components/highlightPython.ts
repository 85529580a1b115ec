/**
 * highlightPython(source) = the source as HTML, each comment, string, number, keyword and builtin in a
 * `<span class="py-…">`: a few classes instead of an inline style per token, so a page can carry many listings.
 */

const KEYWORDS = new Set(
  'and as assert break class continue def del elif else except finally for from global if import in is lambda None nonlocal not or pass raise return True False try while with yield'.split(' '),
);
const BUILTINS = new Set('abs enumerate float hasattr int len list max min open print range repr sorted str sum tuple zip'.split(' '));

/** One token kind per alternative, in order: comment, string (any quotes and prefixes), number, name. */
const TOKEN = /(#[^\n]*)|((?:[rRbBfFuU]{1,2})?(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))|(\b\d+(?:\.\d*)?(?:[eE][+-]?\d+)?\b|\.\d+(?:[eE][+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)/g;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const span = (cls: string, text: string) => `<span class="py-${cls}">${escapeHtml(text)}</span>`;

export function highlightPython(source: string): string {
  if (typeof source !== 'string') throw new TypeError(`highlightPython: source must be a string, got ${typeof source}`);
  let out = '';
  let last = 0;
  for (const m of source.matchAll(TOKEN)) {
    out += escapeHtml(source.slice(last, m.index));
    const [text, comment, str, num, name] = m;
    if (comment) out += span('c', text);
    else if (str) out += span('s', text);
    else if (num) out += span('n', text);
    else if (name && KEYWORDS.has(name)) out += span('k', text);
    else if (name && BUILTINS.has(name)) out += span('b', text);
    else out += escapeHtml(text);
    last = m.index + text.length;
  }
  return out + escapeHtml(source.slice(last));
}
