import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSource, type SourceFormat } from '../../src/lib/site/sourceUrl.ts';
import { defaultPort } from '../browser/previewServer.ts';
import { startDev } from '../support/preview.ts';

/**
 * `npm run dev` (the README's first command) serves whole chapters: the dev server hands components other URLs than
 * a build (source paths with a query), and a component that rejected them once cut every chapter after its table
 * of contents, with the error only in the server's log.
 */
/** Every chapter in the sources: a folder of src/content/chapters with an index.mdx. */
const chapterIds = readdirSync('src/content/chapters').filter((d) => existsSync(`src/content/chapters/${d}/index.mdx`));

describe('the dev server (npm run dev)', () => {
  let dev: Awaited<ReturnType<typeof startDev>>;
  beforeAll(async () => {
    dev = await startDev({ port: Number(process.env.DEV_PORT ?? defaultPort(process.cwd()) + 400) });
  });
  afterAll(() => dev?.stop());

  it('finds the chapters', () => expect(chapterIds).toEqual(expect.arrayContaining(['calc-16-hessian-vector', 'calc-17-higher-order-gradients'])));

  const pages: Record<string, string> = {};
  const page = async (id: string): Promise<string> => (pages[id] ??= await (await fetch(`${dev.url}${id}/`)).text());

  it.each(chapterIds)('serves %s whole, with no error in its log', async (id) => {
    const html = await page(id);
    expect(html).toContain('</article>');
    expect(html).toContain('<nav class="pager"');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(dev.log()).not.toMatch(/\[ERROR\]/);
  });

  it("a collapsed block's file comes back as the file's own text (a PyTorch twin, and a solution not compiled)", async () => {
    const html = await page('calc-16-hessian-vector');
    const blocks = [...html.matchAll(/data-src="([^"]+)" data-format="([^"]+)"/g)].map(([, src, format]) => ({ src: src.replaceAll('&amp;', '&'), format: format as SourceFormat }));
    const twin = blocks.find((b) => b.src.includes('.py'));
    const solution = blocks.find((b) => b.src.includes('.solution.ts'));
    expect(twin && solution).toBeTruthy();
    for (const b of [twin!, solution!]) {
      const body = await (await fetch(new URL(b.src, dev.url))).text();
      const onDisk = readFileSync(resolve(b.src.replace(/^\//, '').replace(/[?#].*$/, '')), 'utf8');
      expect(readSource(body, b.format)).toBe(onDisk);
    }
  });
});
