import { describe, expect, it } from 'vitest';
import { captureConsole, prepare, requiredSpecifiers, wrapperLineOffset, type ModuleLoaders } from '../../../src/lib/live/runtime.ts';
import { show } from '../../../src/lib/live/show.ts';
import type { Level } from '../../../src/lib/live/output.ts';

const modules: ModuleLoaders = {
  autodiff: () => import('../../../src/lib/autodiff/index.ts'),
  optim: () => import('../../../src/lib/optim/index.ts'),
  linalg: () => import('../../../src/lib/linalg/index.ts'),
  meta: () => import('../../../src/lib/meta/index.ts'),
  show: async () => ({ show }),
};

let runId = 0;
async function run(source: string, limits?: { maxLines: number; maxChars: number }) {
  const lines: [Level, string][] = [];
  const notices: string[] = [];
  const console = captureConsole({ print: (l, t) => lines.push([l, t]), truncated: (n) => notices.push(n) }, limits);
  const p = await prepare(source, { filename: 'test.ts', runId: ++runId, modules, console });
  if (!p.ok) return { lines, notices, error: p.error, stage: 'prepare' as const };
  const error = await p.run.execute();
  return { lines, notices, error, stage: 'execute' as const };
}

describe('running a listing', () => {
  it('measures the engine\'s function header (V8: 2 lines)', () => {
    expect(wrapperLineOffset()).toBe(2);
  });

  it('lists the specifiers a transpiled listing requires', () => {
    expect(requiredSpecifiers("var a = require('x'); const b = require(\"y\"); require('x')")).toEqual(['x', 'y']);
  });

  it('runs the chapter\'s hvp-demo listing with the library under its own import paths', async () => {
    const { readFileSync } = await import('node:fs');
    const src = readFileSync('src/content/chapters/calc-16-hessian-vector/hvp-demo.ts', 'utf8');
    const r = await run(src);
    expect(r.error).toBeNull();
    expect(r.lines.map(([, t]) => t).join('\n')).toMatch(/Hessian-vector product Hv: \[ 2\.\s+-2\.4\]/);
  });

  it('provides the meta library under course/meta and its relative path (a hypergradient through one step)', async () => {
    for (const spec of ['course/meta', '../../../lib/meta/index.ts']) {
      const src = [
        "import { grad, tensor, type Tensor } from 'course/autodiff';",
        `import { sgdStep, unroll } from '${spec}';`,
        'const f = (x: Tensor) => x.mul(x).mul(1.5).sum();',
        'const V = (eta: Tensor) => f(unroll({ optimizer: sgdStep({ lr: eta }), loss: f, x0: [2], steps: 1 }).x);',
        'console.log(grad(V)(tensor(0.1)).item());',
      ].join('\n');
      const r = await run(src);
      expect(r.error).toBeNull();
      // x₁ = 2(1 − 3η), V(η) = 1.5 x₁² = 6(1 − 3η)², so V′(η) = −36(1 − 3η).
      expect(Number(r.lines[0][1])).toBeCloseTo(-36 * (1 - 0.3), 10);
    }
  });

  it('prints tensors through their toString, with console levels', async () => {
    const r = await run("import { tensor } from 'course/autodiff';\nconsole.log('t', tensor([1, 2]));\nconsole.warn('w');\nconsole.error('e');\nconsole.info('i');");
    expect(r.lines).toEqual([
      ['log', 't [1. 2.]'],
      ['warn', 'w'],
      ['error', 'e'],
      ['info', 'i'],
    ]);
  });

  it('supports top-level await and the optimizer library', async () => {
    const r = await run("import * as optim from '../../../lib/optim/index.ts';\nawait new Promise((r) => setTimeout(r, 1));\nconsole.log(typeof optim);");
    expect(r.error).toBeNull();
    expect(r.lines).toEqual([['log', 'object']]);
  });

  it('locates runtime errors in the reader\'s TypeScript, through stripped types', async () => {
    const src = "const n: number = 2;\nconsole.log('n is', n);\nconst t = { a: 1 } as { a: number; b?: { c: number } }; t.b!.c;\n";
    const r = await run(src);
    expect(r.lines).toEqual([['log', 'n is 2']]);
    expect(r.error?.name).toBe('TypeError');
    // V8 points at the property it could not read: `c`.
    expect(r.error?.pos).toEqual({ line: 3, column: src.split('\n')[2].indexOf('.c;') + 2 });
  });

  it('locates errors thrown inside the library at the reader\'s call', async () => {
    const src = "import { tensor } from '../../../lib/autodiff/index.ts';\nconst a = tensor([1, 2]);\nconst b = tensor([1, 2, 3]);\nconst c = a.dot(b);\n";
    const r = await run(src);
    expect(r.error).not.toBeNull();
    expect(r.error?.pos?.line).toBe(4);
  });

  it('reports thrown non-errors', async () => {
    const r = await run("throw 'just a string';");
    expect(r.error).toMatchObject({ name: 'Uncaught', message: 'just a string' });
  });

  it('stops before running on syntax errors and unknown imports, located', async () => {
    const s = await run("console.log('never');\nconst = 1;");
    expect(s.stage).toBe('prepare');
    expect(s.lines).toEqual([]);
    expect(s.error).toMatchObject({ name: 'SyntaxError', pos: { line: 2 } });
    const i = await run("console.log('never');\nimport { readFileSync } from 'node:fs';");
    expect(i.stage).toBe('prepare');
    expect(i.error).toMatchObject({ name: 'ImportError', pos: { line: 2 } });
    expect(i.error?.message).toMatch(/node:fs/);
  });

  it('reports engine-only syntax errors without a position', async () => {
    const r = await run('let a = 1;\nlet a = 2;');
    expect(r.stage).toBe('prepare');
    expect(r.error?.name).toBe('SyntaxError');
  });

  it('caps output and tells once', async () => {
    const r = await run('for (let i = 0; i < 1000; i++) console.log(i);', { maxLines: 10, maxChars: 10_000 });
    expect(r.lines.length).toBe(10);
    expect(r.notices).toHaveLength(1);
  });

  it('gives each run its own module scope', async () => {
    await run('var leaked = 1; const kept = 2;');
    const r = await run('console.log(typeof leaked, typeof kept);');
    expect(r.lines).toEqual([['log', 'undefined undefined']]);
  });

  it('gives the listing a console without a handle on its cap', () => {
    const lines: string[] = [];
    const c = captureConsole({ print: (_, t) => lines.push(t), truncated: () => lines.push('cut') }, { maxLines: 2, maxChars: 100 });
    expect(Object.keys(c)).not.toContain('cap');
    expect((c as Record<string, unknown>).cap).toBeUndefined();
    for (let i = 0; i < 5; i++) c.log(i);
    expect(lines).toEqual(['0', '1', 'cut']);
  });
});
