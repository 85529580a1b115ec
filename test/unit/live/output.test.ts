import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/lib/autodiff/index.ts';
import { clip, formatArgs, inspect, OutputCap, OutputGate } from '../../../src/lib/live/output.ts';

describe('console formatting', () => {
  it('prints strings raw at the top level and like Node inside structures', () => {
    expect(formatArgs(['Hv:', 1, -0, true, null, undefined])).toBe('Hv: 1 -0 true null undefined');
    expect(inspect(['a', 1, [2, [3, [4, [5]]]]])).toBe("['a', 1, [2, [3, [Array]]]]");
    expect(inspect({ a: 1, 'b-c': 'x', n: { m: 2 } })).toBe("{ a: 1, 'b-c': 'x', n: { m: 2 } }");
    expect(inspect(new Float64Array([1.5, -2]))).toBe('Float64Array(2) [1.5, -2]');
    expect(inspect(new Map([['k', 1]]))).toBe("Map(1) { 'k' => 1 }");
    expect(inspect(new Set([1]))).toBe('Set(1) { 1 }');
    expect(inspect(() => 1)).toBe('[Function (anonymous)]');
    expect(inspect(12n)).toBe('12n');
    expect(inspect(new RangeError('boom'))).toBe('RangeError: boom');
  });

  it('prints tensors NumPy-like through their own toString', () => {
    const t = tensor([
      [5, 1],
      [1, 3],
    ]);
    expect(formatArgs(['A =', t])).toBe(`A = ${t.toString()}`);
    expect(inspect({ t: tensor([1, 2]) })).toBe(`{ t: ${tensor([1, 2]).toString()} }`);
  });

  it('survives cycles, long arrays and class instances', () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    expect(inspect(o)).toBe('{ a: 1, self: [Circular] }');
    expect(inspect(Array.from({ length: 105 }, (_, i) => i))).toMatch(/, 99, \.\.\. 5 more items\]$/);
    class P {
      x = 1;
    }
    expect(inspect(new P())).toBe('P { x: 1 }');
  });
});

describe('OutputCap', () => {
  it('passes output through until a line limit, then cuts once with a notice', () => {
    const cap = new OutputCap({ maxLines: 3, maxChars: 1000 });
    expect(cap.take('a')).toBe('a');
    expect(cap.take('b\nc\nd')).toBe('b\nc');
    expect(cap.truncated).toBe(true);
    expect(cap.take('e')).toBeNull();
    expect(cap.truncatedNotice).toMatch(/at most 3 lines and 1,000 characters/);
  });

  it('cuts at the character limit inside a line', () => {
    const cap = new OutputCap({ maxLines: 100, maxChars: 10 });
    expect(cap.take('12345')).toBe('12345');
    expect(cap.take('67890abc')).toBe('67890');
    expect(cap.truncated).toBe(true);
    expect(cap.take('x')).toBeNull();
    expect(cap.chars).toBe(10);
  });

  it('never lets through more than its limits (property-style sweep)', () => {
    for (let lines = 1; lines < 6; lines++)
      for (let chars = 1; chars < 30; chars += 7) {
        const cap = new OutputCap({ maxLines: lines, maxChars: chars });
        let shown = '';
        for (let i = 0; i < 20; i++) {
          const t = cap.take(`line ${i}\nmore`);
          if (t !== null) shown += (shown ? '\n' : '') + t;
        }
        expect(shown.split('\n').length).toBeLessThanOrEqual(lines);
        expect(shown.replace(/\n/g, '').length).toBeLessThanOrEqual(chars);
        expect(cap.truncated).toBe(true);
      }
  });
});

describe('OutputGate (the page checks again)', () => {
  it('caps lines and characters like the worker and shows one notice', () => {
    const gate = new OutputGate({ maxLines: 3, maxChars: 1000 });
    const shown: string[] = [];
    for (let i = 0; i < 300_000; i++) {
      const { text, notice } = gate.console(`spam ${i}`);
      if (text !== null) shown.push(text);
      if (notice !== null) shown.push(notice);
    }
    expect(shown).toEqual(['spam 0', 'spam 1', 'spam 2', 'Output truncated: a run shows at most 3 lines and 1,000 characters.']);
  });

  it('caps characters, and takes the worker\'s notice instead of its own, once', () => {
    const gate = new OutputGate({ maxLines: 100, maxChars: 10 });
    expect(gate.console('0123456789abc')).toEqual({ text: '0123456789', notice: 'Output truncated: a run shows at most 100 lines and 10 characters.' });
    expect(gate.truncated('from the worker')).toBeNull();
    expect(gate.console('more')).toEqual({ text: null, notice: null });
    const other = new OutputGate({ maxLines: 100, maxChars: 10 });
    expect(other.truncated('from the worker')).toBe('from the worker');
    expect(other.truncated('again')).toBeNull();
    expect(other.console('x')).toEqual({ text: null, notice: null });
  });

  it('lets what the worker already capped through unchanged', () => {
    const limits = { maxLines: 5, maxChars: 40 };
    const worker = new OutputCap(limits);
    const gate = new OutputGate(limits);
    for (const t of ['a\nb', 'ccccccccccccccc', 'd\ne\nf', 'g'.repeat(50)]) {
      const sent = worker.take(t);
      if (sent !== null) expect(gate.console(sent).text).toBe(sent);
    }
  });

  it('shows at most maxErrors errors, then one notice', () => {
    const gate = new OutputGate(undefined, 2);
    expect(Array.from({ length: 5 }, () => gate.error())).toEqual(['show', 'show', 'notice', 'drop', 'drop']);
    expect(gate.errorsNotice).toMatch(/at most 2 per run/);
    expect(clip('abcdef', 3)).toBe('abc…');
    expect(clip('abc', 3)).toBe('abc');
  });
});
