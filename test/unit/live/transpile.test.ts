import { describe, expect, it } from 'vitest';
import { describeError, originalPosition } from '../../../src/lib/live/errors.ts';
import { resolveSpecifier, unknownModuleMessage } from '../../../src/lib/live/modules.ts';
import { transpile } from '../../../src/lib/live/transpile.ts';

describe('transpile', () => {
  it('strips types, turns imports into requires and keeps line numbers', () => {
    const src = [
      "import { autograd, tensor, type Tensor } from '../../../lib/autodiff/index.ts';",
      'type V = number[];',
      'const v: V = [1, 2];',
      'const f = (x: Tensor): Tensor => x;',
      'console.log(f(tensor(v as number[])));',
    ].join('\n');
    const t = transpile(src);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    expect(t.code).toContain("require('../../../lib/autodiff/index.ts')");
    expect(t.code).not.toMatch(/: V|: Tensor|as number/);
    expect(t.code.split('\n').length).toBe(src.split('\n').length);
    // The map brings columns back: `tensor(` on line 5 moved right when `tensor` became a property access.
    const genLine = t.code.split('\n')[4];
    const genCol = genLine.indexOf('.tensor') + 2; // 1-based column of `tensor` in the output
    expect(originalPosition(t.map, { line: 5, column: genCol })).toEqual({ line: 5, column: src.split('\n')[4].indexOf('tensor') + 1 });
  });

  it('keeps top-level await (the runner executes an async function)', () => {
    const t = transpile('const x = await Promise.resolve(1);\nconsole.log(x);');
    expect(t.ok && t.code).toContain('await Promise.resolve(1)');
  });

  it('reports syntax errors at their line and column in the reader\'s source', () => {
    const t = transpile("const a = 1;\nconsole.log('x');\nconst b = ;\n");
    expect(t.ok).toBe(false);
    if (t.ok) return;
    expect(t.error.name).toBe('SyntaxError');
    expect(t.error.message).toBe("unexpected ';'");
    expect(t.error.pos).toEqual({ line: 3, column: 11 });
  });

  it('puts syntax errors in the reader\'s words, without the transpiler\'s preamble', () => {
    const cases: [string, string, { line: number; column: number }][] = [
      ['const a = 1;\nconst b = 2;\nconst c = 1 2;', "expected ';'", { line: 3, column: 13 }],
      ['let s = 1;\nlet t = (2\nfoo()', "expected ','", { line: 3, column: 1 }],
      ["let s = 'abc", 'unterminated string (a closing quote is missing)', { line: 1, column: 9 }],
      ['if (x) {\n', 'unexpected end of the code', { line: 2, column: 1 }],
    ];
    for (const [src, message, pos] of cases) {
      const t = transpile(src, 'finite-differences.ts');
      expect(t.ok ? null : t.error).toEqual({ name: 'SyntaxError', message, pos });
      expect(t.ok ? '' : describeError(t.error)).toBe(`Line ${pos.line}, column ${pos.column}: ${message}`);
    }
  });

  it('locates an unterminated string and a stray brace', () => {
    const a = transpile("let s = 'abc\nlet t = 1;");
    expect(!a.ok && a.error.pos?.line).toBe(1);
    const b = transpile('function f() {\n  return 1;\n}\n}\n');
    expect(!b.ok && b.error.pos?.line).toBe(4);
  });
});

describe('import specifiers', () => {
  it('map the paths listings use, and aliases, to the bundled library', () => {
    expect(resolveSpecifier('../../../lib/autodiff/index.ts')).toBe('autodiff');
    expect(resolveSpecifier('../../../lib/optim/index.ts')).toBe('optim');
    expect(resolveSpecifier('../../lib/linalg')).toBe('linalg');
    expect(resolveSpecifier('../../../lib/autodiff/index.js')).toBe('autodiff');
    expect(resolveSpecifier('../../../lib/autodiff')).toBe('autodiff');
    expect(resolveSpecifier('../../src/lib/optim/index.ts')).toBe('optim');
    expect(resolveSpecifier('../../../lib/live/show.ts')).toBe('show');
    expect(resolveSpecifier('course/autodiff')).toBe('autodiff');
    expect(resolveSpecifier('course/optim')).toBe('optim');
    expect(resolveSpecifier('../../../lib/meta/index.ts')).toBe('meta');
    expect(resolveSpecifier('course/meta')).toBe('meta');
    expect(resolveSpecifier('course/plot')).toBe('show');
    expect(resolveSpecifier('course/show')).toBe('show');
  });

  it('refuse anything else, with a message that lists what is available', () => {
    for (const s of ['node:fs', 'fs', 'lodash', '../../../lib/autodiff/tensor.ts', 'https://evil.example/x.js', '../../../lib/site/url.ts', 'lib/autodiff'])
      expect(resolveSpecifier(s), s).toBeNull();
    expect(unknownModuleMessage('node:fs')).toMatch(/node:fs.*course library/);
  });
});
