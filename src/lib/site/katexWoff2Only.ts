/**
 * A Vite plugin: KaTeX's stylesheet with `@font-face` sources reduced to woff2.
 *
 * Every browser the course supports reads woff2 and takes the first source it understands, so the woff and ttf
 * copies would only add about 1 MB of files to the deploy that nobody downloads.
 */
export function stripLegacyFontSources(css: string): string {
  return css.replace(/,\s*url\([^)]*?\.(?:woff|ttf)\)\s*format\(["'](?:woff|truetype)["']\)/g, '');
}

/** The Vite plugin applying {@link stripLegacyFontSources} to `katex/dist/katex(.min).css`. */
export function katexWoff2Only() {
  return {
    name: 'katex-woff2-only',
    enforce: 'pre' as const,
    transform(code: string, id: string) {
      if (!/katex\/dist\/katex(\.min)?\.css(\?|$)/.test(id)) return null;
      return { code: stripLegacyFontSources(code), map: null };
    },
  };
}
