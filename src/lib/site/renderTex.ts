import katex from 'katex';
import { scrollRegionHtml } from './scrollRegion.ts';

/**
 * renderTex(tex) = KaTeX's HTML + MathML for a formula, rendered at build time.
 *
 * For formulas built from computed numbers (Markdown's `$…$` cannot hold an expression). Throws on a malformed
 * formula, so a bad formula fails the build, as it does in Markdown. A display formula comes in a scroll region,
 * like display math in Markdown (scrollRegion.ts).
 */
export function renderTex(tex: string, display = false): string {
  const html = katex.renderToString(tex, { displayMode: display, output: 'htmlAndMathml', throwOnError: true, strict: 'error' });
  return display ? scrollRegionHtml(html, 'Formula') : html;
}
