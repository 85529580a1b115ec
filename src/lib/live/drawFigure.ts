/**
 * Draws a checked `show()` spec in the page: Observable Plot at the width the figure has on the page (not a fixed
 * 640 px shrunk to fit), the title, subtitle and caption as a `<figcaption>` (not headings, which would join the
 * chapter's outline), one accessible image, and the result passed through sanitizeFigure before it is attached.
 */
import type * as PlotModule from '@observablehq/plot';
import { toPlotOptions, type PlotSpec } from './plotSpec.ts';
import { sanitizeFigure } from './sanitize.ts';

export interface DrawnFigure {
  /** The `<figure>` to attach. */
  node: HTMLElement;
  /** Parts sanitizeFigure removed (0 for anything a checked spec draws). */
  removed: number;
}

/** figureWidth(available, spec) = the width to draw at: the space on the page, at most the spec's width, at least 200 px. */
export function figureWidth(available: number, spec: Pick<PlotSpec, 'width'>): number {
  const room = available > 0 ? available : 640;
  return Math.round(Math.max(200, Math.min(room, spec.width ?? Infinity)));
}

/** captionText(spec) = title, subtitle and caption joined as one sentence-like line (empty when none). */
export function captionText(spec: Pick<PlotSpec, 'title' | 'subtitle' | 'caption'>): string {
  return [spec.title, spec.subtitle, spec.caption].filter(Boolean).join(' — ');
}

/** Draws spec for the page; throws what Plot throws. */
export function drawFigure(opts: { name: string; spec: PlotSpec; width: number; Plot: typeof PlotModule; document: Document }): DrawnFigure {
  const { name, spec, width, Plot, document } = opts;
  const { title, subtitle, caption, ...rest } = spec;
  const label = title ?? `Figure ${name}`;
  const plotted = Plot.plot(toPlotOptions({ ...rest, width }, Plot, { document, ariaLabel: label, style: { background: 'transparent', color: 'var(--fg)', maxWidth: '100%' } }));
  // One accessible image per figure: Plot labels its inner groups, which ARIA does not allow on <g>.
  const svg = plotted.tagName.toLowerCase() === 'svg' ? plotted : plotted.querySelector('svg');
  svg?.setAttribute('role', 'img');
  svg?.setAttribute('aria-label', label);
  for (const g of plotted.querySelectorAll('g[aria-label]')) g.removeAttribute('aria-label');
  const figure = document.createElement('figure');
  figure.className = 'live-figure';
  figure.dataset.figure = name;
  figure.append(plotted);
  const text = captionText({ title, subtitle, caption });
  if (text) {
    const cap = document.createElement('figcaption');
    cap.textContent = text;
    figure.append(cap);
  }
  const removed = sanitizeFigure(figure);
  return { node: figure, removed };
}
