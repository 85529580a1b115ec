import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { mathRehypePlugins, mathRemarkPlugins } from '../../../src/lib/site/mathPipeline.ts';

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
