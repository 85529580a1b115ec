/**
 * The second line of defence for figures: whatever Plot drew, only inert SVG reaches the page. Elements outside an
 * allow-list are removed; event-handler attributes are removed; links (`href`, `xlink:href`) survive only as
 * same-document references (`#id`) or, on `<image>`, as PNG data (Plot's colour ramps); `url(…)` in any attribute
 * survives only as `url(#id)`. The first line is the spec allow-list (plotSpec.ts), which never lets a link through.
 */

/** Elements Observable Plot draws (figures, legends, axes, marks, markers, clip paths). */
const allowedElements = new Set([
  'figure', 'figcaption', 'div', 'span', 'h2', 'h3', 'svg', 'g', 'path', 'line', 'rect', 'circle', 'ellipse',
  'polygon', 'polyline', 'text', 'tspan', 'title', 'desc', 'defs', 'clippath', 'marker', 'style', 'image',
  'lineargradient', 'radialgradient', 'stop', 'pattern', 'symbol', 'use', 'mask',
]);

const linkAttributes = new Set(['href', 'xlink:href', 'src', 'action', 'formaction', 'xml:base', 'srcset', 'ping']);

function isSafeLink(tag: string, value: string): boolean {
  const v = value.replace(/[\s\u0000-\u001f]+/g, '');
  if (/^#[\w-]+$/.test(v)) return true;
  return tag === 'image' && /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(v);
}

function isSafeValue(value: string): boolean {
  const v = value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  if (/^(javascript|vbscript|data):/.test(v)) return false;
  // Every url(…) must point into the figure itself.
  for (const m of v.matchAll(/url\(([^)]*)\)?/g)) if (!/^["']?#[\w-]+["']?$/.test(m[1] ?? '')) return false;
  return !/expression\(|@import/.test(v);
}

/**
 * sanitizeFigure(root) removes from root and its descendants every element, attribute and link that could run
 * script, navigate or load anything; returns how many it removed (0 for anything Plot draws from a checked spec).
 */
export function sanitizeFigure(root: Element): number {
  let removed = 0;
  const visit = (el: Element): void => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
      const bad =
        name.startsWith('on') ||
        (linkAttributes.has(name) || local === 'href' ? !isSafeLink(el.tagName.toLowerCase(), attr.value) : !isSafeValue(attr.value));
      if (bad) {
        el.removeAttribute(attr.name);
        removed++;
      }
    }
    for (const child of [...el.children]) {
      const tag = child.tagName.toLowerCase();
      if (!allowedElements.has(tag) || (tag === 'style' && !isSafeValue(child.textContent ?? ''))) {
        child.remove();
        removed++;
      } else visit(child);
    }
  };
  if (!allowedElements.has(root.tagName.toLowerCase())) throw new Error(`figure: unexpected <${root.tagName}>`);
  visit(root);
  return removed;
}
