import { describe, expect, it } from 'vitest';
import { describeTypeDiagnostic, flattenMessage, lineColumn, toTypeDiagnostics } from '../../../src/lib/live/types/diagnostics.ts';
import { isTypeResponse, MAX_SOURCE, parseRequest, typeCheckFilename } from '../../../src/lib/live/types/protocol.ts';

describe('diagnostics in the reader\'s terms', () => {
  it('turns offsets into 1-based lines and columns', () => {
    const src = 'ab\ncde\n\nf';
    expect(lineColumn(src, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(src, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn(src, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(src, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(src, 8)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(src, 99)).toEqual({ line: 4, column: 2 });
  });

  it('flattens a message chain with tsc\'s indentation', () => {
    const chain = { messageText: 'A', next: [{ messageText: 'B', next: [{ messageText: 'C' }] }, { messageText: 'D' }] };
    expect(flattenMessage(chain)).toBe('A\n  B\n    C\n  D');
    expect(flattenMessage('plain')).toBe('plain');
  });

  it('orders, clamps and widens spans, and names the severity', () => {
    const src = 'let a = 1;\nlet b = 2;\n';
    const d = toTypeDiagnostics(
      [
        { start: 15, length: 1, messageText: 'second', category: 1, code: 2 },
        { start: 4, length: 0, messageText: 'empty span', category: 0, code: 1 },
        { start: 500, length: 3, messageText: 'past the end', category: 2, code: 3 },
      ],
      src,
    );
    expect(d.map((x) => [x.from, x.to, x.line, x.column, x.severity, x.message])).toEqual([
      [4, 5, 1, 5, 'warning', 'empty span'],
      [15, 16, 2, 5, 'error', 'second'],
      [src.length, src.length, 3, 1, 'info', 'past the end'],
    ]);
    expect(describeTypeDiagnostic(d[1])).toBe('Line 2, column 5: second (TS2)');
  });
});

describe('the type worker\'s messages', () => {
  const ok = { type: 'check', id: 1, filename: 'hvp-demo.ts', source: 'let a = 1;' };

  it('accepts well-formed requests', () => {
    expect(parseRequest(ok)).toEqual(ok);
    expect(parseRequest({ ...ok, type: 'hover', pos: 3 })).toMatchObject({ type: 'hover', pos: 3 });
    expect(parseRequest({ ...ok, type: 'complete', pos: 10 })).toMatchObject({ type: 'complete', pos: 10 });
    expect(parseRequest({ ...ok, type: 'details', pos: 10, name: 'mul' })).toMatchObject({ type: 'details', name: 'mul' });
  });

  it('refuses anything else, naming what is wrong', () => {
    expect(() => parseRequest(null)).toThrow('expected an object');
    expect(() => parseRequest({ ...ok, type: 'emit' })).toThrow('unknown type "emit"');
    expect(() => parseRequest({ ...ok, extra: 1 })).toThrow("unknown field 'extra'");
    expect(() => parseRequest({ ...ok, id: -1 })).toThrow('id must be a non-negative integer');
    expect(() => parseRequest({ ...ok, filename: '../x.ts' })).toThrow('filename must be');
    expect(() => parseRequest({ ...ok, source: 3 })).toThrow('source must be a string');
    expect(() => parseRequest({ ...ok, source: 'x'.repeat(MAX_SOURCE + 1) })).toThrow(`longer than ${MAX_SOURCE}`);
    expect(() => parseRequest({ ...ok, type: 'hover', pos: 11 })).toThrow('pos must be an offset in the source (0…10)');
    expect(() => parseRequest({ ...ok, pos: 1 })).toThrow("unknown field 'pos'");
    expect(() => parseRequest({ ...ok, type: 'details', pos: 1, name: 'a b' })).toThrow("'details': name must be an identifier");
    expect(() => parseRequest({ ...ok, type: 'details', pos: 1 })).toThrow("'details': name must be an identifier");
  });

  it('checks a listing under its own file name when the worker accepts it, else as listing.ts', () => {
    expect(typeCheckFilename('hvp-demo.ts')).toBe('hvp-demo.ts');
    for (const odd of ['my listing.ts', '../x.ts', 'x.js', '', 'x'.repeat(81) + '.ts']) {
      expect(typeCheckFilename(odd)).toBe('listing.ts');
      expect(() => parseRequest({ ...ok, filename: odd })).toThrow('filename must be');
    }
    expect(parseRequest({ ...ok, filename: typeCheckFilename('my listing.ts') }).filename).toBe('listing.ts');
  });

  it('tells responses from anything else', () => {
    const diag = { from: 0, to: 1, line: 1, column: 1, code: 2551, severity: 'error', message: 'm' };
    expect(isTypeResponse({ type: 'diagnostics', id: 1, diagnostics: [diag] })).toBe(true);
    expect(isTypeResponse({ type: 'diagnostics', id: 1, diagnostics: [{ ...diag, to: -1 }] })).toBe(false);
    expect(isTypeResponse({ type: 'diagnostics', id: 1, diagnostics: [{ ...diag, severity: 'fatal' }] })).toBe(false);
    expect(isTypeResponse({ type: 'completions', id: 2, from: 0, items: [{ label: 'mul', kind: 'method' }] })).toBe(true);
    expect(isTypeResponse({ type: 'completions', id: 2, from: 0, items: [{ label: 1, kind: 'method' }] })).toBe(false);
    expect(isTypeResponse({ type: 'hover', id: 3, info: null })).toBe(true);
    expect(isTypeResponse({ type: 'hover', id: 3, info: { from: 0, to: 2, signature: 's', doc: '' } })).toBe(true);
    expect(isTypeResponse({ type: 'hover', id: 3, info: { from: 0, to: 2, signature: 's' } })).toBe(false);
    expect(isTypeResponse({ type: 'failed', id: 4, message: 'x' })).toBe(true);
    expect(isTypeResponse({ type: 'details', id: 5, details: { signature: 's', doc: 'd' } })).toBe(true);
    expect(isTypeResponse({ type: 'details', id: 5, details: null })).toBe(true);
    expect(isTypeResponse({ type: 'details', id: 5, details: { signature: 1, doc: 'd' } })).toBe(false);
    expect(isTypeResponse({ type: 'done', id: 4 })).toBe(false);
    expect(isTypeResponse({ type: 'failed', message: 'x' })).toBe(false);
  });
});
