/**
 * The site's Content-Security-Policy, delivered by `<meta http-equiv>` in BaseLayout.astro (GitHub Pages sends no
 * headers). Every page gets it, and so does the live-code runner: it is started from a blob: URL, which inherits
 * the page's policy (spawn.ts).
 *
 * - `script-src 'self'`: the built pages carry no inline script (test/browser/security.test.ts checks dist), so
 *   no hashes are needed; `javascript:` URLs, event-handler attributes and injected `<script>` never run.
 * - `'unsafe-eval'`: the runner executes the reader's listing with the `AsyncFunction` constructor, and the
 *   autodiff tape compiles fused loops with `new Function` (src/lib/autodiff/fuse.ts) in the page's figures and in
 *   the runner. The runner inherits this policy, so it cannot be left out for the runner alone. It adds no way in:
 *   no page code passes text it did not generate to `eval`, `Function` or a string timer, and it does not re-enable
 *   inline script, `javascript:` URLs or event attributes.
 * - `img-src 'self' data:` (Plot's colour ramps), `font-src 'self' data:` (Vite inlines KaTeX's smallest fonts).
 * - `connect-src 'self'`, no `data:` or `blob:` scripts: a listing
 *   cannot fetch other origins or import code from a `data:` URL, in the page or in its worker.
 * - `worker-src 'self' blob:` for the runner and the MAML figure's training worker (both started from a blob: module
 *   that imports the worker's own script, so they inherit this policy); `object-src 'none'`, `base-uri 'self'`, `form-action 'self'`.
 * - `style-src 'unsafe-inline'`: the highlighted listings and the figures use style attributes (no script runs
 *   from CSS).
 */
export const cspDirectives: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'unsafe-eval'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

/** The policy as the `content` of `<meta http-equiv="Content-Security-Policy">`. */
export const contentSecurityPolicy = Object.entries(cspDirectives)
  .map(([k, v]) => `${k} ${v.join(' ')}`)
  .join('; ');
