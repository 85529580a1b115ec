import { visit } from 'unist-util-visit';
import type { Root } from 'mdast';
import { withBase } from './url.ts';

/**
 * A remark plugin: link.url = withBase(link.url, base) for every link, image and definition in a Markdown/MDX
 * body, so authors write `[next](/calc-17-…/)` and the built page points under the deploy base.
 */
export function remarkBaseLinks(options: { base: string }) {
  return (tree: Root) => {
    visit(tree, (node) => {
      if (node.type === 'link' || node.type === 'image' || node.type === 'definition') {
        node.url = withBase(node.url, options.base);
      }
    });
  };
}
