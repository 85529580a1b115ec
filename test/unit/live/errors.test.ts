import { describe, expect, it } from 'vitest';
import { decodeMappings, describeError, errorParts, frameInSource, offsetToPos, originalPosition } from '../../../src/lib/live/errors.ts';

describe('error locations', () => {
  it('turns character offsets into 1-based lines and columns', () => {
    const src = 'ab\ncde\n\nf';
    expect(offsetToPos(src, 0)).toEqual({ line: 1, column: 1 });
    expect(offsetToPos(src, 1)).toEqual({ line: 1, column: 2 });
    expect(offsetToPos(src, 3)).toEqual({ line: 2, column: 1 });
    expect(offsetToPos(src, 5)).toEqual({ line: 2, column: 3 });
    expect(offsetToPos(src, 8)).toEqual({ line: 4, column: 1 });
  });

  it('decodes source map VLQs (values from the spec and from sucrase)', () => {
    // AAAA = [0,0,0,0]; CAAC = [1,0,0,1]; gBAAgB = [16,0,0,16]; D = -1
    expect(decodeMappings('AAAA,CAAC;;gBAAgB')).toEqual([
      [
        { genColumn: 0, srcLine: 0, srcColumn: 0 },
        { genColumn: 1, srcLine: 0, srcColumn: 1 },
      ],
      [],
      [{ genColumn: 16, srcLine: 0, srcColumn: 17 }],
    ]);
    expect(decodeMappings('AACD')).toEqual([[{ genColumn: 0, srcLine: 1, srcColumn: -1 }]]);
    expect(() => decodeMappings('A!')).toThrow(/bad source map/);
  });

  it('maps a generated position back through the segment it falls in', () => {
    const map = [[{ genColumn: 0, srcLine: 0, srcColumn: 0 }, { genColumn: 10, srcLine: 0, srcColumn: 20 }], []];
    expect(originalPosition(map, { line: 1, column: 1 })).toEqual({ line: 1, column: 1 });
    expect(originalPosition(map, { line: 1, column: 11 })).toEqual({ line: 1, column: 21 });
    expect(originalPosition(map, { line: 1, column: 14 })).toEqual({ line: 1, column: 24 });
    // No segments on the line: lines are kept by the transpiler, so the same position.
    expect(originalPosition(map, { line: 2, column: 5 })).toEqual({ line: 2, column: 5 });
    expect(originalPosition(map, { line: 9, column: 5 })).toEqual({ line: 9, column: 5 });
  });

  it('finds the first frame in the run\'s code in V8 and Firefox/Safari stacks', () => {
    const v8 = 'TypeError: x\n    at f (http://h/_astro/autodiff.js:1:200)\n    at eval (live-3-hvp-demo.ts.js:7:12)\n    at eval (live-3-hvp-demo.ts.js:9:1)';
    expect(frameInSource(v8, 'live-3-hvp-demo.ts.js', 2)).toEqual({ line: 5, column: 12 });
    const ff = 'f@http://h/_astro/autodiff.js:1:200\n@live-3-hvp-demo.ts.js:4:3';
    expect(frameInSource(ff, 'live-3-hvp-demo.ts.js', 2)).toEqual({ line: 2, column: 3 });
    expect(frameInSource(v8, 'live-4-hvp-demo.ts.js', 2)).toBeNull();
    // A frame in the wrapper's own header is not the reader's code.
    expect(frameInSource('at eval (live-1.js:1:1)', 'live-1.js', 2)).toBeNull();
  });

  it('describes errors and accepts anything thrown', () => {
    expect(describeError({ name: 'TypeError', message: 'nope', pos: { line: 3, column: 5 } })).toBe('Line 3, column 5: TypeError: nope');
    expect(describeError({ name: 'SyntaxError', message: "expected ';'", pos: { line: 3, column: 11 } })).toBe("Line 3, column 11: expected ';'");
    expect(describeError({ name: 'SyntaxError', message: 'Identifier x has already been declared' })).toBe('SyntaxError: Identifier x has already been declared');
    expect(describeError({ name: 'Error', message: 'x' })).toBe('Error: x');
    expect(errorParts('plain string')).toMatchObject({ name: 'Uncaught', message: 'plain string' });
    expect(errorParts({ a: 1 })).toMatchObject({ name: 'Uncaught', message: '{"a":1}' });
    expect(errorParts(null)).toMatchObject({ message: 'null' });
    expect(errorParts(undefined)).toMatchObject({ message: 'undefined' });
    expect(errorParts(new RangeError('r'))).toMatchObject({ name: 'RangeError', message: 'r' });
  });
});

describe('errorParts of things that resist inspection', () => {
  it('describes a Proxy that throws on every trap, a throwing toString and message getter, without throwing', () => {
    const hostile = new Proxy({}, { get() { throw 1; }, has() { throw 1; }, getPrototypeOf() { throw 1; }, getOwnPropertyDescriptor() { throw 1; }, ownKeys() { throw 1; } });
    expect(errorParts(hostile)).toEqual({ name: 'Uncaught', message: 'a value that is not an Error (it could not be described)', stack: '' });
    const sly = { get message(): string { throw new Error('no'); }, toString() { throw new Error('no'); } };
    expect(errorParts(sly).message).toBe('a value that is not an Error (it could not be described)');
    expect(errorParts(Symbol('s')).message).toBe('Symbol(s)');
  });
});
