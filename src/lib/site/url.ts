/**
 * href(path) = base + path, the one way to build an internal URL.
 *
 * Every internal link and asset on the site goes through this helper so the site works under any base path
 * (GitHub Pages serves a project site at `/repo/`). Paths are written root-relative (`/calc-16-hessian-vector/`);
 * external URLs, fragments and protocol-relative links are returned unchanged.
 */
export function withBase(path: string, base: string): string {
  if (isExternal(path) || path.startsWith('#')) return path;
  const b = base.endsWith('/') ? base : `${base}/`;
  if (!path.startsWith('/')) return path; // relative links stay relative
  if (b !== '/' && (path === b.slice(0, -1) || path.startsWith(b))) return path; // already based
  return b + path.slice(1);
}

/** True for URLs that leave the site: a scheme (`https:`, `mailto:`) or a protocol-relative `//host`. */
export function isExternal(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
}

/** href(path) with the site's configured base (`import.meta.env.BASE_URL`). */
export function href(path: string): string {
  return withBase(path, import.meta.env.BASE_URL ?? '/');
}

/** The URL path of a chapter page: `/<id>/`, before the base is applied. */
export function chapterPath(id: string): string {
  return `/${id}/`;
}
