/**
 * Wide display math and tables scroll sideways inside their own region instead of being cut off on a phone. The
 * region is focusable (so a keyboard can scroll it), labelled (so a screen reader says what it is) and shows shadows
 * at an edge with more to see (`.scroll-x` in global.css). Used by the Markdown pipeline (rehype plugin below), by
 * display formulas rendered from computed numbers (renderTex) and by the figures' tables.
 *
 * The role is `group`, not `region`: a chapter has hundreds of display formulas, and as landmarks they would bury
 * the page's real landmarks (and share one name, which axe and Lighthouse report as `landmark-unique`).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { visit } from 'unist-util-visit';

export const SCROLL_CLASS = 'scroll-x';

const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** scrollRegionHtml(inner, label) = inner wrapped in a focusable, labelled, horizontally scrolling region. */
export function scrollRegionHtml(inner: string, label: string): string {
  return `<div class="${SCROLL_CLASS}" role="group" tabindex="0" aria-label="${escAttr(label)}">${inner}</div>`;
}

function classes(node: Element): string[] {
  const c = node.properties?.className;
  return Array.isArray(c) ? c.map(String) : typeof c === 'string' ? String(c).split(' ') : [];
}

function text(node: ElementContent | RootContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(text).join('');
  return '';
}

function findFirst(node: Element, tag: string): Element | null {
  for (const c of node.children) {
    if (c.type !== 'element') continue;
    if (c.tagName === tag) return c;
    const inner = findFirst(c, tag);
    if (inner) return inner;
  }
  return null;
}

/** A table's name: its caption, else its first row's header cells ("Table: method, Hv, error"), else "Table". */
export function tableLabel(table: Element): string {
  const caption = findFirst(table, 'caption');
  if (caption) return `Table: ${text(caption).trim()}`;
  const row = findFirst(table, 'tr');
  const heads = row ? row.children.filter((c): c is Element => c.type === 'element' && c.tagName === 'th').map((c) => text(c).trim()) : [];
  return heads.length ? `Table: ${heads.join(', ')}` : 'Table';
}

/** A rehype plugin, run after rehype-katex: wraps each display formula and each table in a scroll region. */
export function rehypeScrollRegions() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (!parent || index === undefined) return;
      const isMath = node.tagName === 'span' && classes(node).includes('katex-display');
      const isTable = node.tagName === 'table';
      if (!isMath && !isTable) return;
      if (parent.type === 'element' && classes(parent).includes(SCROLL_CLASS)) return;
      const wrapper: Element = {
        type: 'element',
        tagName: 'div',
        properties: { className: [SCROLL_CLASS], role: 'group', tabIndex: 0, ariaLabel: isMath ? 'Formula' : tableLabel(node) },
        children: [node],
      };
      parent.children[index] = wrapper;
      return 'skip';
    });
  };
}
