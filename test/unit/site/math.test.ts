import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { mathRehypePlugins, mathRemarkPlugins } from '../../../src/lib/site/mathPipeline.ts';
import { renderTex } from '../../../src/lib/site/renderTex.ts';
import { rehypeScrollRegions } from '../../../src/lib/site/scrollRegion.ts';
import type { Element, Root } from 'hast';

const toHtml = (tree: Root) => unified().use(rehypeStringify).stringify(tree);

function render(markdown: string): Promise<string> {
  return unified()
    .use(remarkParse)
    .use(mathRemarkPlugins as never)
    .use(remarkRehype)
    .use(mathRehypePlugins as never)
    .use(rehypeStringify)
    .process({ value: markdown, path: 'chapter.mdx' })
    .then(String);
}

describe('the math pipeline', () => {
  it('typesets inline and display math with HTML and MathML', async () => {
    const html = await render('Newton step $p = -H^{-1}\\nabla f$.\n\n$$\nHv = \\nabla_x(\\nabla f(x)^\\top v)\n$$\n');
    expect(html).toContain('class="katex"');
    expect(html).toContain('class="katex-display"');
    expect(html).toContain('<math');
    expect(html).toContain('<annotation encoding="application/x-tex">p = -H^{-1}\\nabla f</annotation>');
  });

  it('fails on a malformed formula, naming the file and the formula', async () => {
    await expect(render('A broken formula: $\\frac{1}{$ here.')).rejects.toThrow(/Malformed math in chapter\.mdx/);
    await expect(render('$$\n\\begin{pmatrix} 1 \n$$')).rejects.toThrow(/Malformed math/);
    await expect(render('Unknown macro $\\hessian$.')).rejects.toThrow(/hessian/);
  });
});

describe('wide math and tables scroll inside a focusable, labelled region', () => {
  it('wraps every display formula, and only display formulas, in one region', async () => {
    const html = await render('Inline $a + b$ stays inline.\n\n$$\n\\lim_{r \\to 0} \\frac{\\nabla f(x + rv) - \\nabla f(x)}{r} = Hv\n$$\n');
    const regions = html.match(/<div class="scroll-x" role="group" tabindex="0" aria-label="[^"]+"><span class="katex-display">/g) ?? [];
    expect(regions).toHaveLength(1);
    expect(html.match(/class="scroll-x"/g)).toHaveLength(1);
  });
  it('wraps tables, labelled by their caption or else their first header row', () => {
    const cell = (tagName: string, value: string): Element => ({ type: 'element', tagName, properties: {}, children: [{ type: 'text', value }] });
    const row = (...cells: Element[]): Element => ({ type: 'element', tagName: 'tr', properties: {}, children: cells });
    const table = (...children: Element[]): Element => ({ type: 'element', tagName: 'table', properties: {}, children });
    const tree: Root = {
      type: 'root',
      children: [
        table({ type: 'element', tagName: 'thead', properties: {}, children: [row(cell('th', 'method'), cell('th', 'Hv'), cell('th', 'error'))] }, row(cell('td', 'a'), cell('td', '1'), cell('td', '0'))),
        table(cell('caption', 'Hv four ways'), row(cell('th', 'x'))),
      ],
    };
    rehypeScrollRegions()(tree);
    const html = toHtml(tree);
    expect(html).toMatch(/^<div class="scroll-x" role="group" tabindex="0" aria-label="Table: method, Hv, error"><table>/);
    expect(html).toContain('<div class="scroll-x" role="group" tabindex="0" aria-label="Table: Hv four ways"><table><caption>');
    // Running it twice does not nest regions.
    rehypeScrollRegions()(tree);
    expect(toHtml(tree).match(/scroll-x/g)).toHaveLength(2);
  });
  it('wraps display formulas rendered from computed numbers the same way', () => {
    const html = renderTex('x^\\star = (1, 2)', true);
    expect(html.startsWith('<div class="scroll-x" role="group" tabindex="0" aria-label="Formula">')).toBe(true);
    expect(renderTex('x', false)).not.toContain('scroll-x');
  });
});
