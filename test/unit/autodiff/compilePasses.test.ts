/** The compiler's passes are numbered once: the driver, each pass's file and docs/autodiff.md agree. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const driver = read('src/lib/autodiff/compile/compileTrace.ts');
const docs = read('docs/autodiff.md');

/** [number, name] of every `// N. name` at the end of a driver line. */
const driverPasses = [...driver.matchAll(/\/\/\s+(\d+)\. ([a-z ]+)$/gm)].map((m) => [Number(m[1]), m[2]] as const);
/** [number, name, file] of every `N. **name** (`file.ts`…` item in the docs. */
const docPasses = [...docs.matchAll(/^(\d+)\. \*\*([a-z ]+)\*\* \(`([A-Za-z]+\.ts)`/gm)].map((m) => [Number(m[1]), m[2], m[3]] as const);

describe('compiler pass numbering', () => {
  it('the driver runs passes 1, 2, … in order', () => {
    expect(driverPasses.length).toBeGreaterThanOrEqual(10);
    expect(driverPasses.map(([n]) => n)).toEqual(driverPasses.map((_, i) => i + 1));
  });
  it('docs/autodiff.md lists the same passes under the same numbers', () => {
    expect(docPasses.map(([n, name]) => [n, name])).toEqual(driverPasses);
  });
  it.each(docPasses)('pass %i (%s) is in %s, which says so and states its contract', (n, name, file) => {
    const src = read(`src/lib/autodiff/compile/${file}`);
    expect(src).toMatch(new RegExp(`Pass ${n}, ${name}`, 'i'));
    expect(src).toMatch(/Contract: /);
  });
});
