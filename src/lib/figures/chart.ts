/** Plot layout shared by the contour figures: an equal-aspect window, filled contours, and accessible SVG output. */
import * as Plot from '@observablehq/plot';
import { quantileThresholds, sampleGrid } from './grid.ts';
import { CONTOUR_FILL, MUTED } from './palette.ts';

export const CHART = { width: 560, height: 440, marginLeft: 40, marginRight: 12, marginTop: 12, marginBottom: 30 } as const;
const innerW = CHART.width - CHART.marginLeft - CHART.marginRight;
const innerH = CHART.height - CHART.marginTop - CHART.marginBottom;

export interface Window {
  x: [number, number];
  y: [number, number];
}

/** The window centred at (cx, cy) with half-height hy and the same scale on both axes. */
export function windowAround(cx: number, cy: number, hy: number): Window {
  const hx = (hy * innerW) / innerH;
  return { x: [cx - hx, cx + hx], y: [cy - hy, cy + hy] };
}

/** Filled contours of f over the window: stacked translucent bands in the theme colour, so they work in light and dark. */
export function contourMarks(f: (x: number, y: number) => number, w: Window, levels = 9, resolution = 40): Plot.Markish[] {
  const g = sampleGrid(f, w.x, w.y, resolution, Math.round((resolution * innerH) / innerW));
  const thresholds = quantileThresholds(g.values, levels);
  return [
    Plot.contour(g.values, {
      x1: g.x1,
      x2: g.x2,
      y1: g.y1,
      y2: g.y2,
      width: g.width,
      height: g.height,
      thresholds,
      fill: CONTOUR_FILL,
      fillOpacity: 0.09,
      stroke: MUTED,
      strokeOpacity: 0.45,
      strokeWidth: 0.75,
    }),
  ];
}

/** Common plot options for a window. */
export function windowOptions(w: Window, document: Document | undefined) {
  return {
    ...CHART,
    document,
    style: { background: 'transparent', color: 'var(--fg)', fontSize: '12px' },
    x: { domain: w.x, label: 'x₁', ticks: 6 },
    y: { domain: w.y, label: 'x₂', ticks: 6 },
    clip: true,
  };
}

/** Marks a chart as an image with an accessible name (the marks inside are decoration for assistive technology). */
export function finishSvg<T extends Element>(svg: T, label: string): T {
  for (const el of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
    el.removeAttribute('aria-label');
    el.removeAttribute('aria-description');
  }
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', (svg.getAttribute('class') ?? '') + ' fig-svg');
  return svg;
}

/** Clamp a point into the window (slightly inset) so markers of far-away points stay visible at the edge. */
export function clampToWindow(w: Window, x: number, y: number): [number, number] {
  const ix = (w.x[1] - w.x[0]) * 0.01;
  const iy = (w.y[1] - w.y[0]) * 0.01;
  return [Math.min(w.x[1] - ix, Math.max(w.x[0] + ix, x)), Math.min(w.y[1] - iy, Math.max(w.y[0] + iy, y))];
}

const layers = new WeakMap<Document, Map<string, Element>>();

/**
 * The contour layer for f over w as an SVG group, cached by `key` (the function's parameters): when only the
 * overlays change (a start point, a learning rate), the contours are cloned instead of recomputed.
 */
export function contourLayer(key: string, f: (x: number, y: number) => number, w: Window, document: Document): Element {
  let cache = layers.get(document);
  if (!cache) layers.set(document, (cache = new Map()));
  const k = `${key}|${w.x.join(',')}|${w.y.join(',')}`;
  let layer = cache.get(k);
  if (!layer) {
    const svg = Plot.plot({ ...windowOptions(w, document), clip: false, axis: null, marks: contourMarks(f, w) });
    layer = svg.querySelector('g[aria-label="contour"]')!;
    if (cache.size > 12) cache.delete(cache.keys().next().value!);
    cache.set(k, layer);
  }
  return layer.cloneNode(true) as Element;
}

/** A frame mark that also anchors the contour layer (see withContours); put it first in `marks`. */
export function anchorFrame() {
  return Plot.frame({ stroke: 'var(--border)', className: 'fig-anchor' });
}

/** Inserts a contour layer right after the anchor frame, under every other mark. */
export function withContours<T extends Element>(svg: T, layer: Element): T {
  const anchor = svg.querySelector('.fig-anchor');
  if (anchor) anchor.after(layer);
  else svg.append(layer);
  return svg;
}
