/** The build-time HTML of a figure: the same view code as the island, rendered with a server-side document. */
import { narrowSize, type ChartSize } from './chart.ts';
import { controlsHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { StateOf } from './fields.ts';
import { roundSvg } from './roundSvg.ts';

export interface StaticFigure {
  controls: string;
  /** Each chart at its natural size, for wide screens. */
  charts: string[];
  /** Each chart drawn for a phone (`narrowSize`), so its labels are as large as the hydrated chart's. */
  narrowCharts: string[];
  caption: string;
  status: string;
  table: string;
}

/**
 * The chart as static HTML: rounded coordinates, a class saying which variant it is, and ids made unique in the page
 * (Plot numbers its clip paths per process, so two figures, or two variants, could otherwise share `plot-clip-1`).
 */
function staticSvg(svg: Element, id: string, variant: 'wide' | 'narrow'): string {
  roundSvg(svg);
  svg.setAttribute('class', `${svg.getAttribute('class') ?? ''} fig-static fig-static-${variant}`.trim());
  const prefix = `${id}-${variant}-`;
  return svg.outerHTML.replace(/\bid="([^"]+)"/g, (_, x) => `id="${prefix}${x}"`).replace(/url\(#([^)]+)\)/g, (_, x) => `url(#${prefix}${x})`);
}

export function staticFigure<S extends StateOf>(def: FigureDef<S>, document: Document): StaticFigure {
  const view = def.view(def.defaults, document);
  const natural: ChartSize[] = view.charts.map((c) => ({ width: Number(c.getAttribute('width')), height: Number(c.getAttribute('height')) }));
  const narrow = def.view(def.defaults, document, { sizes: natural.map(narrowSize) });
  return {
    controls: controlsHtml(def.ns, def.schema, def.defaults, def.groups),
    charts: view.charts.map((c, i) => staticSvg(c, `fig-${def.ns}-${i}`, 'wide')),
    narrowCharts: narrow.charts.map((c, i) => staticSvg(c, `fig-${def.ns}-${i}`, 'narrow')),
    caption: view.caption,
    status: view.status,
    table: view.table,
  };
}
