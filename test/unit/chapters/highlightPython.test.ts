import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightPython } from '../../../src/components/highlightPython.ts';

const strip = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('highlightPython', () => {
  it('marks comments, strings, numbers, keywords and builtins, and nothing inside a string or comment', () => {
    expect(highlightPython('x = 1.5e-3  # for x in y')).toBe('x = <span class="py-n">1.5e-3</span>  <span class="py-c"># for x in y</span>');
    expect(highlightPython('print("if # not a comment", r\'\\d\')')).toBe(
      '<span class="py-b">print</span>(<span class="py-s">"if # not a comment"</span>, <span class="py-s">r\'\\d\'</span>)',
    );
    expect(highlightPython('def f(x):\n    return x')).toBe('<span class="py-k">def</span> f(x):\n    <span class="py-k">return</span> x');
    expect(highlightPython('"""doc\nstring"""')).toBe('<span class="py-s">"""doc\nstring"""</span>');
    expect(highlightPython('x2 = a_1')).toBe('x2 = a_1');
  });

  it('escapes HTML, so a listing can never inject markup', () => {
    expect(highlightPython('a < b and "<script>"')).toBe('a &lt; b <span class="py-k">and</span> <span class="py-s">"&lt;script&gt;"</span>');
  });

  it('keeps every character of the chapter\'s PyTorch programs', () => {
    const dir = resolve('src/content/chapters/calc-16-hessian-vector/pytorch');
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
      const src = readFileSync(resolve(dir, f), 'utf8');
      expect(strip(highlightPython(src)), f).toBe(src);
    }
  });

  it('rejects a non-string', () => {
    expect(() => highlightPython(3 as unknown as string)).toThrow(/source must be a string, got number/);
  });
});
