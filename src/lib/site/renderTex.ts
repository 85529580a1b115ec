import katex from 'katex';

/**
 * renderTex(tex) = KaTeX's HTML + MathML for a formula, rendered at build time.
 *
 * For formulas built from computed numbers (Markdown's `$…$` cannot hold an expression). Throws on a malformed
 * formula, so a bad formula fails the build, as it does in Markdown.
 */
export function renderTex(tex: string, display = false): string {
  return katex.renderToString(tex, { displayMode: display, output: 'htmlAndMathml', throwOnError: true, strict: 'error' });
}
