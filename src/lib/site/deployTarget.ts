/**
 * Where the site is deployed: `site` (origin) and `base` (path prefix, always with a trailing slash).
 *
 * Resolution order, first match wins:
 * 1. `SITE_URL` / `BASE_PATH` environment variables (forks, custom domains, tests with a non-root base);
 * 2. `GITHUB_REPOSITORY=owner/repo` (set by GitHub Actions): `https://owner.github.io` and `/repo/`,
 *    or base `/` for a user site repository named `owner.github.io`;
 * 3. a local default: `http://localhost:4321` and `/`.
 */
export interface DeployTarget {
  site: string;
  base: string;
}

/** Normalises a base path to the form `/`, `/a/` or `/a/b/`. */
export function normalizeBase(raw: string): string {
  const parts = raw.split('/').filter((p) => p.length > 0);
  for (const p of parts) {
    if (p === '.' || p === '..' || /[?#\s\\]/.test(p)) {
      throw new Error(`BASE_PATH: "${raw}" is not a valid path prefix (segment "${p}")`);
    }
  }
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

/** Resolves the deploy target from an environment (defaults to the process environment). */
export function deployTarget(env: Record<string, string | undefined>): DeployTarget {
  const repo = env.GITHUB_REPOSITORY?.trim();
  let site = 'http://localhost:4321';
  let base = '/';
  if (repo) {
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repo);
    if (!match) throw new Error(`GITHUB_REPOSITORY: expected "owner/repo", got "${repo}"`);
    const [, owner, name] = match;
    site = `https://${owner.toLowerCase()}.github.io`;
    base = name.toLowerCase() === `${owner.toLowerCase()}.github.io` ? '/' : `/${name}/`;
  }
  if (env.SITE_URL?.trim()) {
    const url = new URL(env.SITE_URL.trim()); // throws a clear TypeError on a malformed URL
    site = url.origin;
  }
  if (env.BASE_PATH !== undefined && env.BASE_PATH.trim() !== '') base = normalizeBase(env.BASE_PATH.trim());
  return { site, base };
}
