/** Shrinks an SVG for static HTML: coordinates rounded to one decimal, which is far below a pixel. */

const GEOMETRY = ['d', 'transform', 'points', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height', 'dx', 'dy'];

/** roundNumbers('M1.23456,2.5') = 'M1.2,2.5'; numbers written in exponent form become plain decimals. */
export function roundNumbers(s: string): string {
  return s.replace(/-?\d*\.?\d+(?:e[-+]?\d+)?/gi, (m) => {
    if (!/[.e]/i.test(m)) return m;
    const r = Math.round(Number(m) * 10) / 10;
    return Object.is(r, -0) ? '0' : String(r);
  });
}

/** Rounds the geometry attributes of `root` and its descendants in place; returns root. */
export function roundSvg<T extends Element>(root: T): T {
  const visit = (el: Element) => {
    for (const name of GEOMETRY) {
      const v = el.getAttribute(name);
      if (v !== null && /\d/.test(v) && !v.endsWith('em')) el.setAttribute(name, roundNumbers(v));
    }
    for (const child of Array.from(el.children)) visit(child);
  };
  visit(root);
  return root;
}
