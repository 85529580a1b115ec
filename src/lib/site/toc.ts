/** A heading as Astro's Markdown pipeline reports it. */
export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

/** One table-of-contents entry with its sub-entries. */
export interface TocEntry extends Heading {
  children: TocEntry[];
}

/**
 * toc(headings) = the h2 headings, each with its h3 children, in document order.
 *
 * Deeper headings are left out to keep the list short; an h3 before any h2 is promoted to the top level
 * rather than dropped, so no section becomes unreachable from the contents.
 */
export function toc(headings: readonly Heading[], maxDepth = 3): TocEntry[] {
  const out: TocEntry[] = [];
  for (const h of headings) {
    if (h.depth < 2 || h.depth > maxDepth) continue;
    const entry: TocEntry = { ...h, children: [] };
    const parent = out.at(-1);
    if (h.depth > 2 && parent) parent.children.push(entry);
    else out.push(entry);
  }
  return out;
}
