/** The build-time HTML of a figure: the same view code as the island, rendered with a server-side document. */
import { controlsHtml } from './controls.ts';
import type { FigureDef } from './figure.ts';
import type { StateOf } from './fields.ts';
import { roundSvg } from './roundSvg.ts';

export interface StaticFigure {
  controls: string;
  charts: string[];
  caption: string;
  status: string;
  table: string;
}

export function staticFigure<S extends StateOf>(def: FigureDef<S>, document: Document): StaticFigure {
  const view = def.view(def.defaults, document);
  return {
    controls: controlsHtml(def.ns, def.schema, def.defaults, def.groups),
    charts: view.charts.map((c) => roundSvg(c).outerHTML),
    caption: view.caption,
    status: view.status,
    table: view.table,
  };
}
