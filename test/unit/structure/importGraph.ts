/**
 * The import graph of a source tree, read from the real files: every import, `export … from`, dynamic
 * `import('…')` and module augmentation with a relative specifier, type-only imports included (a cycle
 * of types is still a cycle a reader has to untangle). Package imports are not edges.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** file (relative to the root, `/`-separated) ↦ the files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names: `./x`, `./x.ts`, `./x.js` or the folder `./x/index.ts`. */
function resolveSpecifier(from: string, spec: string, exists: ReadonlySet<string>): string | null {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(js|ts)$/, '');
  for (const c of [base, `${stem}.ts`, join(base, 'index.ts')]) if (exists.has(c)) return c;
  return null;
}

/**
 * Edges of every .ts file under `root`. A relative specifier that names no file there (outside
 * the root, or missing) is reported in `unresolved` rather than dropped silently.
 */
export function readImportGraph(root: string): { graph: ImportGraph; unresolved: string[] } {
  const files = listTs(root);
  const exists = new Set(files);
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  const rel = (p: string): string => relative(root, p).split('\\').join('/');
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const edges = new Set<string>();
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      // Bundler suffixes (`./runner.worker.ts?worker&url`) still name the file.
      const target = resolveSpecifier(file, fileName.replace(/\?.*$/, ''), exists);
      if (target === null) unresolved.push(`${rel(file)} → ${fileName}`);
      else edges.add(rel(target));
    }
    graph.set(rel(file), [...edges].sort());
  }
  return { graph, unresolved };
}

/** A set of files that import each other (a strongly connected component) and one cycle through it. */
export interface ImportCycle {
  /** Every file of the component, sorted. */
  readonly files: readonly string[];
  /** One shortest cycle `a.ts → b.ts → … → a.ts` through the component's first file. */
  readonly cycle: readonly string[];
}

/**
 * Every strongly connected component with more than one file (or a file importing itself), each
 * with one concrete cycle (Tarjan's algorithm, then a breadth-first path inside the component).
 * Empty when the graph is a DAG.
 */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((comp) => ({ files: [...comp].sort(), cycle: cycleIn(graph, new Set(comp)) }));
}

/** One cycle through the smallest file of a strongly connected component (breadth-first, so it is a shortest one). */
function cycleIn(graph: ImportGraph, comp: ReadonlySet<string>): string[] {
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k];
    for (const w of graph.get(v) ?? []) {
      if (!comp.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = prev.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!prev.has(w)) { prev.set(w, v); queue.push(w); }
    }
  }
  return [start, start];
}

/** Which top-level folders each folder may import from (itself always allowed). */
export type Layering = Readonly<Record<string, readonly string[]>>;

/**
 * Edges that break the layering: `a/x.ts → b/y.ts` where folder a may not import folder b, and files
 * in a folder the table does not list (a new folder must be placed in the table on purpose).
 */
export function layerViolations(graph: ImportGraph, layering: Layering): string[] {
  const folder = (f: string): string => (f.includes('/') ? f.slice(0, f.indexOf('/')) : '.');
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    const a = folder(from);
    const allowed = layering[a];
    if (allowed === undefined) { bad.push(`${from}: folder '${a}' is not in the layering table`); continue; }
    for (const to of tos) {
      const b = folder(to);
      if (b !== a && !allowed.includes(b)) bad.push(`${from} → ${to} (${a} may import only ${allowed.length === 0 ? 'nothing' : allowed.join(', ')})`);
    }
  }
  return bad;
}
