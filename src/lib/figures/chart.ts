/** Plot layout shared by the contour figures: an equal-aspect window, filled contours, and accessible SVG output. */
import * as Plot from '@observablehq/plot';
import { quantileThresholds, sampleGrid } from './grid.ts';
import { CONTOUR_FILL, MUTED } from './palette.ts';

/**
 * Margins that keep axis labels off the tick labels: the y label ("↑ x₂") sits in the top margin, above the top
 * tick, and the x label ("x₁ →") in the bottom margin, below the tick row.
 */
export const AXIS_MARGINS = { marginTop: 26, marginBottom: 42 } as const;

export const CHART = { width: 560, height: 440, marginLeft: 40, marginRight: 12, ...AXIS_MARGINS } as const;
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

/**
 * Filled contours of f over the window: stacked translucent bands in the theme colour, so they work in light and dark.
 * The grid reaches one cell beyond the window on every side: a contour band is cut diagonally across the corner cells
 * of its grid, so those corners lie outside the frame, which clips them (withContours).
 */
export function contourMarks(f: (x: number, y: number) => number, w: Window, levels = 9, resolution = 40): Plot.Markish[] {
  const rows = Math.round((resolution * innerH) / innerW);
  const kx = (w.x[1] - w.x[0]) / resolution;
  const ky = (w.y[1] - w.y[0]) / rows;
  const g = sampleGrid(f, [w.x[0] - kx, w.x[1] + kx], [w.y[0] - ky, w.y[1] + ky], resolution + 2, rows + 2);
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

/** A chart's size in CSS pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

/**
 * The size to draw a chart at: its natural size (the static SVG's) unless the island measured a different box, so
 * that on a narrow screen the chart is drawn at the width it is shown and its 12 px labels stay 12 px.
 */
export function chartSize(natural: ChartSize, measured: ChartSize | undefined): ChartSize {
  if (!measured || !(measured.width > 0) || Math.abs(measured.width - natural.width) < 1) return { width: natural.width, height: natural.height };
  const width = Math.round(Math.max(240, Math.min(natural.width, measured.width)));
  const height = Math.round(measured.height > 0 ? Math.max(100, measured.height * (width / measured.width)) : (natural.height * width) / natural.width);
  return { width, height };
}

/**
 * The width the build draws a chart's phone variant at: on a 360 px screen the chart box is 302 px wide (page and
 * figure padding), so 12 px labels are shown at 12 · 302 / 320 ≈ 11.3 px. Below 520 px (figures.css) the page shows
 * this variant until the island redraws the chart at its box's exact width.
 */
export const NARROW_WIDTH = 320;

/** The phone variant's size for a chart of natural size `n`: wide charts (> 2:1) get the taller box figures.css gives them below 520 px (560 : 330). */
export function narrowSize(n: ChartSize): ChartSize {
  const ratio = n.width / n.height > 2 ? 330 / 560 : n.height / n.width;
  return { width: NARROW_WIDTH, height: Math.round(NARROW_WIDTH * ratio) };
}

/** Tick count for an axis `px` pixels long: about one tick per 90 px, between 3 and `max`. */
export function tickCount(px: number, max = 6): number {
  return Math.max(3, Math.min(max, Math.round(px / 90)));
}

/** Common plot options for a window, at the natural size or at `size` (same domain, so the same picture). */
/** The style every figure chart is drawn with: transparent, in the page's text colour, 12 px labels. */
export const CHART_STYLE = { background: 'transparent', color: 'var(--fg)', fontSize: '12px' } as const;

export function windowOptions(w: Window, document: Document | undefined, size?: ChartSize) {
  const { width, height } = size ?? CHART;
  return {
    ...CHART,
    width,
    height,
    document,
    style: CHART_STYLE,
    x: { domain: w.x, label: 'x₁', ticks: tickCount(width - CHART.marginLeft - CHART.marginRight) },
    y: { domain: w.y, label: 'x₂', ticks: tickCount(height - CHART.marginTop - CHART.marginBottom) },
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

/** An arrow from (x1, y1) to (x2, y2) in data units, with the label to write beyond its tip. */
export interface TipArrow {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  label: string;
}

/**
 * Text marks that put each arrow's label just beyond its tip, in the arrow's direction (so it never covers the
 * arrowhead), anchored on the side facing away from the tip; a label whose box (estimated at 7.5 px per character)
 * would overlap an earlier one is moved down a line until it does not. The window has equal scales on both axes, so
 * the direction in data units is the direction on screen (y flipped).
 */
export function tipLabels(arrows: readonly TipArrow[], w: Window, size: ChartSize, style: Record<string, unknown>): Plot.Markish[] {
  const sx = (size.width - CHART.marginLeft - CHART.marginRight) / (w.x[1] - w.x[0]);
  const sy = (size.height - CHART.marginTop - CHART.marginBottom) / (w.y[1] - w.y[0]);
  const boxes: { l: number; r: number; t: number; b: number }[] = [];
  return arrows.map((a) => {
    const px = (a.x2 - a.x1) * sx;
    const py = -(a.y2 - a.y1) * sy;
    const len = Math.hypot(px, py) || 1;
    const [ux, uy] = [px / len, py / len];
    const anchor = ux > 0.35 ? 'start' : ux < -0.35 ? 'end' : 'middle';
    // 16 px: clear of the arrowhead and of a 28 px handle centred on the tip.
    let dx = ux * 16;
    let dy = uy * 16 + (uy > 0.35 ? 6 : uy < -0.35 ? -6 : 0);
    // Plot positions (tipX, tipY) from the frame's top-left corner; the frame starts at the margins.
    const tipX = CHART.marginLeft + (a.x2 - w.x[0]) * sx;
    const tipY = CHART.marginTop + (w.y[1] - a.y2) * sy;
    const textW = 7.5 * a.label.length;
    const box = () => {
      const l = tipX + dx - (anchor === 'start' ? 0 : anchor === 'end' ? textW : textW / 2);
      return { l, r: l + textW, t: tipY + dy - 8, b: tipY + dy + 8 };
    };
    const hits = (b: { l: number; r: number; t: number; b: number }) => boxes.some((o) => b.l < o.r && o.l < b.r && b.t < o.b && o.t < b.b);
    for (let k = 0; k < 4 && hits(box()); k++) dy += uy < 0 ? -15 : 15;
    // Keep the label inside the chart's SVG (it may use the margins, never leave the picture).
    const b = box();
    if (b.l < 2) dx += 2 - b.l;
    if (b.r > size.width - 2) dx -= b.r - (size.width - 2);
    if (b.t < 2) dy += 2 - b.t;
    if (b.b > size.height - 2) dy -= b.b - (size.height - 2);
    boxes.push(box());
    return Plot.text([a], { x: 'x2', y: 'y2', text: 'label', textAnchor: anchor, dx, dy, clip: false, ...style });
  });
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
export function contourLayer(key: string, f: (x: number, y: number) => number, w: Window, document: Document, size?: ChartSize): Element {
  let cache = layers.get(document);
  if (!cache) layers.set(document, (cache = new Map()));
  const k = `${key}|${w.x.join(',')}|${w.y.join(',')}|${size ? `${size.width}x${size.height}` : ''}`;
  let layer = cache.get(k);
  if (!layer) {
    const svg = Plot.plot({ ...windowOptions(w, document, size), clip: false, axis: null, marks: contourMarks(f, w) });
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

let clipCount = 0;

/** Inserts a contour layer right after the anchor frame, under every other mark, clipped to the frame. */
export function withContours<T extends Element>(svg: T, layer: Element): T {
  const anchor = svg.querySelector('.fig-anchor');
  const rect = anchor?.tagName.toLowerCase() === 'rect' ? anchor : anchor?.querySelector('rect');
  if (rect) {
    const doc = svg.ownerDocument;
    const id = `fig-contour-clip-${++clipCount}`;
    const clip = doc.createElementNS('http://www.w3.org/2000/svg', 'clipPath');
    clip.setAttribute('id', id);
    const r = doc.createElementNS('http://www.w3.org/2000/svg', 'rect');
    for (const a of ['x', 'y', 'width', 'height']) r.setAttribute(a, rect.getAttribute(a) ?? '0');
    clip.append(r);
    svg.prepend(clip);
    layer.setAttribute('clip-path', `url(#${id})`);
  }
  if (anchor) anchor.after(layer);
  else svg.append(layer);
  return svg;
}

/** True when (x, y) lies in the window grown by `margin` times its width and height on every side. */
export function inWindow(w: Window, x: number, y: number, margin = 0): boolean {
  const mx = (w.x[1] - w.x[0]) * margin;
  const my = (w.y[1] - w.y[0]) * margin;
  return x >= w.x[0] - mx && x <= w.x[1] + mx && y >= w.y[0] - my && y <= w.y[1] + my;
}

/** The window grown by `margin` times its width and height on every side. */
export function growWindow(w: Window, margin: number): Window {
  const mx = (w.x[1] - w.x[0]) * margin;
  const my = (w.y[1] - w.y[0]) * margin;
  return { x: [w.x[0] - mx, w.x[1] + mx], y: [w.y[0] - my, w.y[1] + my] };
}

/**
 * Where the segment from a (inside box w) towards b leaves w: a + t(b − a) for the largest t ≤ 1 that stays in w
 * (Liang–Barsky with a known inside start). b may be far away (1e300), never non-finite.
 */
export function exitPoint(w: Window, a: readonly [number, number], b: readonly [number, number]): [number, number] {
  let t = 1;
  const d = [b[0] - a[0], b[1] - a[1]];
  const box = [w.x, w.y];
  for (let i = 0; i < 2; i++) {
    if (!Number.isFinite(d[i])) return [a[0], a[1]];
    if (d[i] > 0) t = Math.min(t, (box[i][1] - a[i]) / d[i]);
    else if (d[i] < 0) t = Math.min(t, (box[i][0] - a[i]) / d[i]);
  }
  t = Math.max(0, t);
  const clamp = (v: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, v));
  return [clamp(a[0] + t * d[0], w.x), clamp(a[1] + t * d[1], w.y)];
}

export interface ViewPath {
  /** The points to draw: iterates up to the first one beyond the margin, then the point where the path crosses the margin. */
  points: [number, number][];
  /** How many of `points` are iterates (the last point may be a crossing, not an iterate). */
  iterates: number;
  /** Whether the path was cut (an iterate beyond the margin, or a non-finite one). */
  cut: boolean;
  /** Where the drawn path last leaves the window itself (null if it ends inside): where an edge marker goes. */
  exit: [number, number] | null;
}

/**
 * Cuts a path of `count` points (x, y pairs in `xy`) for drawing in window w: it ends at its first point beyond a
 * margin around the window, at the margin, so a run that leaves for 1e300 is drawn with window-sized coordinates
 * (the frame clip then ends it at the window boundary). A non-finite point ends the path too.
 */
export function pathInView(xy: ArrayLike<number>, count: number, w: Window, margin = 0.25): ViewPath {
  const outer = growWindow(w, margin);
  const points: [number, number][] = [];
  let cut = false;
  let iterates = 0;
  for (let k = 0; k < count; k++) {
    const p: [number, number] = [xy[2 * k], xy[2 * k + 1]];
    const finite = Number.isFinite(p[0]) && Number.isFinite(p[1]);
    if (finite && inWindow(outer, p[0], p[1])) {
      points.push(p);
      iterates++;
      continue;
    }
    cut = true;
    if (finite && points.length) points.push(exitPoint(outer, points[points.length - 1], p));
    break;
  }
  let exit: [number, number] | null = null;
  const last = points[points.length - 1];
  if (last && !inWindow(w, last[0], last[1])) {
    // The path leaves the window on the segment after its last point inside.
    for (let k = points.length - 2; k >= 0; k--) {
      if (inWindow(w, points[k][0], points[k][1])) {
        exit = exitPoint(w, points[k], points[k + 1]);
        break;
      }
    }
  }
  return { points, iterates, cut, exit };
}
