import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightCode, type SourceLanguage } from '../../../src/components/highlightCode.ts';

const strip = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const chapter = 'src/content/chapters/calc-16-hessian-vector';

describe('highlightCode', () => {
  it('Python: marks comments, strings, numbers, keywords and builtins, and nothing inside a string or comment', () => {
    expect(highlightCode('x = 1.5e-3  # for x in y', 'python')).toBe('x = <span class="hl-n">1.5e-3</span>  <span class="hl-c"># for x in y</span>');
    expect(highlightCode('print("if # not a comment", r\'\\d\')', 'python')).toBe(
      '<span class="hl-b">print</span>(<span class="hl-s">"if # not a comment"</span>, <span class="hl-s">r\'\\d\'</span>)',
    );
    expect(highlightCode('def f(x):\n    return x', 'python')).toBe('<span class="hl-k">def</span> f(x):\n    <span class="hl-k">return</span> x');
    expect(highlightCode('"""doc\nstring"""', 'python')).toBe('<span class="hl-s">"""doc\nstring"""</span>');
    expect(highlightCode('x2 = a_1', 'python')).toBe('x2 = a_1');
  });

  it('TypeScript: line and block comments, template strings, keywords; # is not a comment', () => {
    expect(highlightCode('const n = 2; // for', 'typescript')).toBe('<span class="hl-k">const</span> n = <span class="hl-n">2</span>; <span class="hl-c">// for</span>');
    expect(highlightCode('/* a\n b */ `x ${y} // z`', 'typescript')).toBe('<span class="hl-c">/* a\n b */</span> <span class="hl-s">`x ${y} // z`</span>');
    expect(highlightCode('a # b', 'typescript')).toBe('a # b');
  });

  it('escapes HTML, so a listing can never inject markup', () => {
    expect(highlightCode('a < b and "<script>"', 'python')).toBe('a &lt; b <span class="hl-k">and</span> <span class="hl-s">"&lt;script&gt;"</span>');
  });

  it('keeps every character of the chapter\'s PyTorch programs and exercise solutions', () => {
    const files: [string, SourceLanguage][] = [
      ...readdirSync(resolve(chapter, 'pytorch')).filter((f) => f.endsWith('.py')).map((f): [string, SourceLanguage] => [`pytorch/${f}`, 'python']),
      ...readdirSync(resolve(chapter)).filter((f) => f.endsWith('.solution.ts')).map((f): [string, SourceLanguage] => [f, 'typescript']),
    ];
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const [f, lang] of files) {
      const src = readFileSync(resolve(chapter, f), 'utf8');
      expect(strip(highlightCode(src, lang)), f).toBe(src);
    }
  });

  it('rejects a non-string and an unknown language', () => {
    expect(() => highlightCode(3 as unknown as string, 'python')).toThrow(/source must be a string, got number/);
    expect(() => highlightCode('x', 'ruby' as SourceLanguage)).toThrow(/unknown language "ruby"/);
  });
});
