import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

interface VFileLike {
  path?: string;
  messages?: { source?: string | null; reason?: string; message?: string; cause?: unknown; line?: number | null }[];
}

/**
 * A rehype plugin, run after rehype-katex: fail the build on any formula KaTeX could not typeset.
 *
 * rehype-katex reports a malformed formula as a warning on the file and renders it in red (an unknown macro in
 * red text, a parse error inside `.katex-error`), then carries on. A published chapter with a red formula is a
 * bug, so both signs become one error naming the file, the line and KaTeX's own explanation.
 */
export function rehypeKatexErrors() {
  return (tree: Root, file: VFileLike) => {
    const errors: string[] = [];
    for (const m of file.messages ?? []) {
      if (m.source !== 'rehype-katex') continue;
      const cause = m.cause instanceof Error ? m.cause.message : String(m.reason ?? m.message);
      errors.push(`${m.line ? `line ${m.line}: ` : ''}${cause}`);
    }
    visit(tree, 'element', (node: Element) => {
      const cls = node.properties?.className;
      const classes = Array.isArray(cls) ? cls.map(String) : [];
      if (classes.includes('katex-error') && errors.length === 0) errors.push(String(node.properties?.title ?? 'KaTeX error'));
    });
    if (errors.length > 0) {
      throw new Error(`Malformed math in ${file.path ?? 'a Markdown file'}:\n  ${errors.join('\n  ')}`);
    }
  };
}
