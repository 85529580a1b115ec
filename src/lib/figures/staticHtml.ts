/** The build-time HTML of a figure: the same view code as the island, rendered with a server-side document. */
import { narrowSize, type ChartSize } from './chart.ts';
import { controlsHtml, presetsHtml } from './controls.ts';
import { handleHint } from './handles.ts';
import type { FigureDef } from './figure.ts';
import type { StateOf } from './fields.ts';
import { roundSvg } from './roundSvg.ts';

export interface StaticFigure {
  controls: string;
  /** Preset buttons, beside Reset. */
  buttons: string;
  /**
   * Each chart drawn once, for a phone (`narrowSize`): its labels are as large as the hydrated chart's at 360 px,
   * and on a wide screen it is shown at about that size until the island draws the full-size chart. (One variant,
   * not two: the chapter's HTML stays within its byte budget.)
   */
  charts: string[];
  caption: string;
  status: string;
  table: string;
  /**
   * How to move the figure's handles ('' without handles). Written at build time and kept invisible until the island
   * mounts, so a figure is as tall before hydration as after and nothing below it moves.
   */
  hint: string;
}

/**
 * The chart as static HTML: rounded coordinates, the `fig-static` class, and ids made unique in the page
 * (Plot numbers its clip paths per process, so two figures could otherwise share `plot-clip-1`).
 */
function staticSvg(svg: Element, id: string): string {
  roundSvg(svg);
  svg.setAttribute('class', `${svg.getAttribute('class') ?? ''} fig-static`.trim());
  const prefix = `${id}-`;
  return svg.outerHTML.replace(/\bid="([^"]+)"/g, (_, x) => `id="${prefix}${x}"`).replace(/url\(#([^)]+)\)/g, (_, x) => `url(#${prefix}${x})`);
}

export function staticFigure<S extends StateOf>(def: FigureDef<S>, document: Document): StaticFigure {
  const natural: ChartSize[] = def.view(def.defaults, document).charts.map((c) => ({ width: Number(c.getAttribute('width')), height: Number(c.getAttribute('height')) }));
  const view = def.view(def.defaults, document, { sizes: natural.map(narrowSize) });
  return {
    controls: controlsHtml(def.ns, def.schema, def.defaults, def.groups),
    buttons: presetsHtml(def.ns, def.presets ?? []),
    charts: view.charts.map((c, i) => staticSvg(c, `fig-${def.ns}-${i}`)),
    caption: view.caption,
    status: view.status,
    table: view.table,
    hint: handleHint(def.handles ?? []),
  };
}
