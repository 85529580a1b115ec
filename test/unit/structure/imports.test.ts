/**
 * src/lib has no import cycles (not even type-only ones, not even inside a folder) and its folders
 * depend on each other only in the documented direction (README, Architecture):
 * linalg and autodiff at the bottom, optim and meta on autodiff, figures and live on top.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { findCycles, type ImportGraph, type Layering, layerViolations, readImportGraph } from './importGraph';

/** Which folders of src/lib each folder may import from (a folder may always import its own files). */
export const LAYERING: Layering = {
  linalg: [],
  autodiff: [],
  site: [],
  optim: ['autodiff', 'linalg'],
  meta: ['autodiff', 'linalg'],
  figures: ['autodiff', 'linalg', 'optim', 'meta', 'site'],
  live: ['autodiff', 'linalg', 'optim', 'meta'],
};

const root = fileURLToPath(new URL('../../../src/lib/', import.meta.url));
const { graph, unresolved } = readImportGraph(root);
const g = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('the checker itself', () => {
  it('finds and names a cycle, including one of type-only imports three files long', () => {
    const cycles = findCycles(g({ 'a/x.ts': ['a/y.ts'], 'a/y.ts': ['a/z.ts'], 'a/z.ts': ['a/x.ts', 'a/w.ts'], 'a/w.ts': [] }));
    expect(cycles).toEqual([{ files: ['a/x.ts', 'a/y.ts', 'a/z.ts'], cycle: ['a/x.ts', 'a/y.ts', 'a/z.ts', 'a/x.ts'] }]);
    expect(findCycles(g({ 'a/x.ts': ['a/x.ts'] }))[0].cycle).toEqual(['a/x.ts', 'a/x.ts']);
    expect(findCycles(g({ 'a/x.ts': ['a/y.ts'], 'a/y.ts': [] }))).toEqual([]);
  });
  it('reports an edge against the layering and a folder missing from the table', () => {
    const bad = layerViolations(g({ 'autodiff/t.ts': ['optim/l.ts'], 'optim/l.ts': ['autodiff/t.ts'], 'new/x.ts': [] }), { autodiff: [], optim: ['autodiff'] });
    expect(bad).toEqual([
      'autodiff/t.ts → optim/l.ts (autodiff may import only nothing)',
      "new/x.ts: folder 'new' is not in the layering table",
    ]);
  });
  it('reads the real files: type-only, re-export, dynamic and bundler-suffixed imports are edges', () => {
    expect(graph.get('live/runner.worker.ts')).toContain('autodiff/index.ts');
    expect(graph.get('live/spawn.ts')).toContain('live/runner.worker.ts');
    expect(graph.get('autodiff/index.ts')!.length).toBeGreaterThan(5);
    expect(graph.size).toBeGreaterThan(80);
  });
});

describe('src/lib import graph', () => {
  it('every relative import names a file in src/lib', () => {
    expect(unresolved).toEqual([]);
  });
  it('has no import cycles', () => {
    const shown = findCycles(graph).map(({ files, cycle }) => `${cycle.join(' → ')} (files in the cycle: ${files.join(', ')})`);
    expect(shown).toEqual([]);
  });
  it('follows the layering: linalg, autodiff, site ← optim, meta ← figures, live', () => {
    expect(layerViolations(graph, LAYERING)).toEqual([]);
  });
});

describe('load order', () => {
  const files = [...graph.keys()].filter((f) => f.startsWith('autodiff/'));
  it.each(files)('%s can be the first module loaded', async (file) => {
    vi.resetModules();
    const mod = await import(`../../../src/lib/${file}`);
    expect(typeof mod).toBe('object');
  });
});

describe('import style', () => {
  /** Relative imports of src/lib that do not name a file (`./x` for `./x.ts`, `../autodiff` for its index.ts). */
  function bareImports(dir: string): string[] {
    const bare: string[] = [];
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      if (!f.endsWith('.ts')) continue;
      for (const { fileName } of ts.preProcessFile(readFileSync(join(dir, f), 'utf8'), true, true).importedFiles) {
        // A bundler query (`./x.worker.ts?worker&url`) still names the file.
        if (fileName.startsWith('.') && !fileName.replace(/\?.*$/, '').endsWith('.ts')) bare.push(`${f}: '${fileName}'`);
      }
    }
    return bare;
  }

  it('every folder of src/lib names the file of every relative import (./x.ts, ../autodiff/index.ts)', () => {
    expect(bareImports(root)).toEqual([]);
  });

  it('the check finds a bare import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imports-'));
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nimport { c } from './c.ts';\nimport w from './w.ts?worker&url';\n");
    try {
      expect(bareImports(dir)).toEqual(["a.ts: './b'"]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
