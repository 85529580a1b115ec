/**
 * sourceFile(src, ext) = the URL a collapsed source block (LazySource) fetches, and how to read its answer, for a
 * file imported with `?url&no-inline`.
 *
 * A build gives a hashed asset path (`/course/_astro/hvp_demo.B2x9.py`), served as the file's text. The dev server
 * gives the source path with a query (`/src/content/…/hvp_demo.py?no-inline`). There a `.py` file is served as
 * text too, but a `.ts` file would come back compiled to JavaScript, so it is fetched with `?raw`, which the dev
 * server answers with a module `export default "<the text as a JSON string>"` ({@link readSource} unwraps it).
 */
export type SourceFormat = 'text' | 'raw-module';

export interface SourceFile {
  /** The URL to fetch. */
  url: string;
  /** How to read the response (see {@link readSource}). */
  format: SourceFormat;
}

/** The path of a URL without its query and fragment. */
export function urlPath(src: string): string {
  return src.replace(/[?#].*$/s, '');
}

/**
 * What to fetch for `src`, a URL of a `.ext` file; throws a message naming `what` when `src` is not one (a
 * `data:` URL means the file was inlined: import it with `no-inline`).
 */
export function sourceFile(src: unknown, ext: string, what: string, dev: boolean): SourceFile {
  if (typeof src !== 'string' || src.startsWith('data:') || !urlPath(src).endsWith(`.${ext}`)) {
    throw new Error(`${what} must be the URL of a .${ext} file (import it with ?url&no-inline), got ${JSON.stringify(String(src).slice(0, 80))}`);
  }
  if (dev && ext === 'ts') return { url: `${urlPath(src)}?raw`, format: 'raw-module' };
  return { url: src, format: 'text' };
}

/** The file's text from a fetched body: as is, or unwrapped from the dev server's `export default "…"` module. */
export function readSource(body: string, format: SourceFormat): string {
  if (format === 'text') return body;
  const m = /^export default ("(?:[^"\\]|\\.)*")/s.exec(body);
  if (m === null) throw new Error('the dev server did not answer with the file as a module');
  return JSON.parse(m[1]) as string;
}
