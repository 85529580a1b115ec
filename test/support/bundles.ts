import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { base, distDir, pageWeight, resolveInDist } from './dist.ts';

/** The chunks a module loads, statically (`import … from`) and on demand (`import()`, `new Worker(new URL(…))`). */
export function chunkRefs(file: string): { static: string[]; dynamic: string[] } {
  const js = readFileSync(join(distDir, file), 'utf8');
  const url = base + file;
  const resolve = (refs: string[]) =>
    refs.map((r) => resolveInDist(r, url)).flatMap((r) => ('file' in r && r.file ? [r.file] : []));
  const stat = [...js.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w*$\s{},]*?\s*from\s*)?["'`]([^"'`]+\.js)["'`]/g)].map((m) => m[1]);
  const dyn = [
    ...[...js.matchAll(/import\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]),
    ...[...js.matchAll(/new URL\(\s*["'`]([^"'`]+\.js)["'`]/g)].map((m) => m[1]),
    // Vite's preload list names the chunks of each dynamic import relative to the site root.
    ...[...js.matchAll(/["'`](_astro\/[^"'`]+\.js)["'`]/g)].map((m) => base + m[1]),
    // A worker's URL (`?worker&url`) is written with the base.
    ...[...js.matchAll(/["'`](\/[^"'`\s]*_astro\/[^"'`]+\.js)["'`]/g)].map((m) => m[1]),
  ];
  return { static: resolve(stat), dynamic: resolve(dyn) };
}

/** A chunk and everything it imports statically. */
export function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const f of chunkRefs(file).static) closure(f, seen);
  return seen;
}

/** gzip -9 size of the files of dist/ concatenated. */
export const gzFiles = (files: Iterable<string>) =>
  gzipSync(Buffer.concat([...files].map((f) => readFileSync(join(distDir, f)))), { level: 9 }).length;

export interface Bundle {
  what: string;
  when: string;
  files: string[];
  gz: number;
}

/**
 * What the live code of a chapter page loads, and when: the bootstrap with the page, then on "Edit & run" the
 * editor and the runner worker, the course library once the worker starts, Observable Plot with the first figure,
 * the type checker on "Check types".
 * Throws when the page has no live-code bootstrap.
 */
export function liveCodeBundles(pageFile: string) {
  const page = pageWeight(pageFile);
  const boot = page.jsFiles.find((f) => /LiveCode\.astro/.test(f));
  if (!boot) throw new Error(`${pageFile} loads no LiveCode bootstrap`);
  const initial = new Set(page.jsFiles);
  const editorEntry = chunkRefs(boot).dynamic.find((f) => /editor/.test(f));
  if (!editorEntry) throw new Error('the LiveCode bootstrap imports no editor chunk');
  const editor = [...closure(editorEntry)].filter((f) => !initial.has(f));
  // The bootstrap starts the runner on the click (alongside the editor); the editor starts later ones. The runner's
  // URL may sit in a chunk the bootstrap imports (spawn.ts, shared with the exercises' checker).
  const editorRefs = [...editor, ...closure(boot)].flatMap((f) => chunkRefs(f).dynamic);
  const workerEntry = editorRefs.find((f) => /runner\.worker/.test(f));
  if (!workerEntry) throw new Error('neither the bootstrap nor the editor starts the runner worker');
  const worker = [...closure(workerEntry)];
  const library = [...new Set(worker.flatMap((f) => chunkRefs(f).dynamic))].flatMap((f) => [...closure(f)]).filter((f) => !worker.includes(f));
  // "Check types" starts the type checker's worker (TypeScript with the library's sources).
  const typesEntry = editorRefs.find((f) => /types\.worker/.test(f));
  if (!typesEntry) throw new Error('the editor starts no type-checking worker');
  const typeChecker = [...closure(typesEntry)];
  const plot = [...new Set(editorRefs.filter((f) => !/(runner|types)\.worker/.test(f) && !editor.includes(f) && !initial.has(f)).flatMap((f) => [...closure(f)]))].filter(
    (f) => !editor.includes(f),
  );
  const rows: Bundle[] = [
    { what: 'bootstrap (with the page)', files: [boot], when: 'page load' },
    { what: 'editor: CodeMirror, UI, share codec', files: editor, when: 'Edit & run' },
    { what: 'runner worker: sucrase, runtime', files: worker, when: 'Edit & run' },
    { what: 'course library (autodiff, optim, linalg)', files: [...new Set(library)], when: 'worker start' },
    { what: 'Observable Plot', files: plot, when: 'first figure' },
    { what: 'type checker: TypeScript, library sources, lib files', files: typeChecker, when: 'Check types' },
  ].map((r) => ({ ...r, gz: gzFiles(r.files) }));
  return {
    page,
    boot,
    rows,
    editor,
    worker,
    typeChecker,
    editorAndTranspiler: gzFiles(new Set([...editor, ...worker])),
    plot: gzFiles(plot),
    typeCheckerGz: gzFiles(typeChecker),
  };
}
