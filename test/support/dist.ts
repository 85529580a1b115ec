import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseHTML } from 'linkedom';
import { normalizeBase } from '../../src/lib/site/deployTarget.ts';
import { isExternal } from '../../src/lib/site/url.ts';

/** The built site, and the base it was built with (`npm run test:site` builds with BASE_PATH=/course/). */
export const distDir = resolve(process.env.DIST_DIR ?? 'dist');
export const base = normalizeBase(process.env.BASE_PATH ?? '/course/');

/** Every file under dist/, as paths relative to it with forward slashes. */
export function distFiles(dir = distDir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...distFiles(full));
    else out.push(relative(distDir, full).split('\\').join('/'));
  }
  return out;
}

/** The HTML pages of the build. */
export function htmlPages(): string[] {
  return distFiles().filter((f) => f.endsWith('.html'));
}

/** The URL path a page is served at, base included: `course/x/index.html` → `/course/x/`. */
export function pageUrl(file: string): string {
  const path = file.endsWith('index.html') ? file.slice(0, -'index.html'.length) : file;
  return base + path;
}

/** Parses a built page. */
export function loadPage(file: string) {
  return parseHTML(readFileSync(join(distDir, file), 'utf8')).document;
}

/**
 * resolveInDist(url, from) = the dist file an internal URL names, or an error message.
 * URLs must live under the base; `/x/` means `/x/index.html`.
 */
export function resolveInDist(url: string, fromUrl: string): { file: string } | { error: string } {
  const clean = url.split('#')[0].split('?')[0];
  if (clean === '') return { file: '' };
  const abs = clean.startsWith('/') ? clean : posix.join(posix.dirname(fromUrl.endsWith('/') ? fromUrl + 'x' : fromUrl), clean);
  if (!abs.startsWith(base)) return { error: `${url} is outside the base ${base}` };
  let file = decodeURIComponent(abs.slice(base.length));
  if (file === '' || file.endsWith('/')) file += 'index.html';
  if (!existsSync(join(distDir, file))) return { error: `${url} → dist/${file} does not exist` };
  return { file };
}

/** Every URL a page refers to: links, stylesheets, scripts, images, icons. */
export function pageRefs(doc: Document): string[] {
  const refs: string[] = [];
  for (const el of doc.querySelectorAll('[href]')) refs.push(el.getAttribute('href')!);
  for (const el of doc.querySelectorAll('[src]')) refs.push(el.getAttribute('src')!);
  for (const el of doc.querySelectorAll('[srcset]'))
    for (const part of el.getAttribute('srcset')!.split(',')) refs.push(part.trim().split(/\s+/)[0]);
  return refs.filter((r) => r && !isExternal(r) && !r.startsWith('data:'));
}

/** The url(...) references of a stylesheet. */
export function cssRefs(css: string): string[] {
  return [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
}

/** The modules a JS file imports statically (`import … from "x"`, `import "x"`, `export … from "x"`); not `import()`. */
export function staticImports(js: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\s}\n])(?:import|export)\s*(?:[\w*$\s{},]*?\s*from\s*)?["']([^"']+)["']/g;
  for (const m of js.matchAll(re)) out.push(m[1]);
  return out;
}

export interface PageWeight {
  page: string;
  jsFiles: string[];
  cssFiles: string[];
  jsBytes: number;
  jsGzip: number;
  cssBytes: number;
  cssGzip: number;
  htmlBytes: number;
  htmlGzip: number;
}

const gz = (buf: Buffer | string) => gzipSync(buf, { level: 9 }).length;

/**
 * What a page loads before any interaction: its HTML, its stylesheets, and its module scripts with every
 * module they import statically (dynamic `import()` chunks are on-demand and not counted). Inline scripts count
 * as JavaScript too.
 */
export function pageWeight(file: string): PageWeight {
  const html = readFileSync(join(distDir, file));
  const doc = parseHTML(html.toString('utf8')).document;
  const url = pageUrl(file);
  const js = new Set<string>();
  const css = new Set<string>();
  let inlineJs = '';
  const visitJs = (f: string) => {
    if (js.has(f)) return;
    js.add(f);
    const code = readFileSync(join(distDir, f), 'utf8');
    const fileUrl = base + f;
    for (const imp of staticImports(code)) {
      const r = resolveInDist(imp, fileUrl);
      if ('file' in r && r.file) visitJs(r.file);
    }
  };
  for (const s of doc.querySelectorAll('script')) {
    const src = s.getAttribute('src');
    const type = s.getAttribute('type');
    if (type && !/module|javascript/.test(type)) continue; // JSON data islands are not code
    if (src) {
      const r = resolveInDist(src, url);
      if ('file' in r) visitJs(r.file);
    } else inlineJs += s.textContent ?? '';
  }
  for (const l of doc.querySelectorAll('link[rel="modulepreload"]')) {
    const r = resolveInDist(l.getAttribute('href')!, url);
    if ('file' in r) visitJs(r.file);
  }
  for (const l of doc.querySelectorAll('link[rel="stylesheet"]')) {
    const r = resolveInDist(l.getAttribute('href')!, url);
    if ('file' in r) css.add(r.file);
  }
  let inlineCss = '';
  for (const s of doc.querySelectorAll('style')) inlineCss += s.textContent ?? '';
  const read = (f: string) => readFileSync(join(distDir, f));
  const jsAll = Buffer.concat([...[...js].map(read), Buffer.from(inlineJs)]);
  const cssAll = Buffer.concat([...[...css].map(read), Buffer.from(inlineCss)]);
  return {
    page: url,
    jsFiles: [...js],
    cssFiles: [...css],
    jsBytes: jsAll.length,
    jsGzip: jsAll.length ? gz(jsAll) : 0,
    cssBytes: cssAll.length,
    cssGzip: cssAll.length ? gz(cssAll) : 0,
    htmlBytes: html.length,
    htmlGzip: gz(html),
  };
}

/** Formats a byte count as KB with one decimal. */
export function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}
