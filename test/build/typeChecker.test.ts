import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkRefs, closure, liveCodeBundles } from '../support/bundles.ts';
import { distDir, distFiles } from '../support/dist.ts';

const chapterFile = 'calc-16-hessian-vector/index.html';

/** The built chunks that carry the TypeScript compiler (its language service's entry point). */
const typescriptChunks = () =>
  distFiles().filter((f) => f.endsWith('.js') && readFileSync(join(distDir, f), 'utf8').includes('createLanguageService'));

let bundles: ReturnType<typeof liveCodeBundles>;
beforeAll(() => {
  expect(distFiles().length, `no build in ${distDir}: run npm run test:site`).toBeGreaterThan(0);
  bundles = liveCodeBundles(chapterFile);
});

describe('the type checker\'s chunks', () => {
  it('TypeScript is built into its own chunk(s): the type-checking worker\'s', () => {
    const ts = typescriptChunks();
    expect(ts.length).toBeGreaterThan(0);
    const { typeChecker } = bundles;
    for (const f of ts) expect(typeChecker).toContain(f);
  });

  it('is not in the page\'s scripts, nor in what "Edit & run" loads (editor, runner, library)', () => {
    const { page, editor, worker, typeChecker } = bundles;
    const initial = new Set(page.jsFiles.flatMap((f) => [...closure(f)]));
    const firstClick = new Set([...editor, ...worker, ...worker.flatMap((f) => chunkRefs(f).dynamic.flatMap((d) => [...closure(d)]))]);
    expect(initial.size).toBeGreaterThan(0);
    expect(firstClick.size).toBeGreaterThan(0);
    for (const f of [...typescriptChunks(), ...typeChecker]) {
      expect(initial.has(f), `${f} loads with the page`).toBe(false);
      expect(firstClick.has(f), `${f} loads on "Edit & run"`).toBe(false);
    }
  });

  it('the editor only names the worker\'s URL: no static import reaches the type checker', () => {
    const { editor, typeChecker } = bundles;
    const entry = typeChecker[0];
    expect(entry).toMatch(/types\.worker/);
    const staticReach = new Set(editor.flatMap((f) => [...closure(f)]));
    expect(staticReach.has(entry)).toBe(false);
    expect(editor.some((f) => chunkRefs(f).dynamic.includes(entry))).toBe(true);
  });
});
