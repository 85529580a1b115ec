/**
 * `show(name, spec)`: how a listing puts a figure on the page. In the page's runner the spec goes to the page,
 * which draws it with Observable Plot under the editor; under Node (`npm run demo:…`) it is drawn to
 * `out/figures/<name>.svg` (or `$SHOW_DIR/<name>.svg`). The spec is data (see plotSpec.ts and docs/live-code.md).
 *
 *   import { show } from '../../../lib/live/show.ts';
 *   await show('paths', { marks: [{ mark: 'line', data: path, options: { x: 'x', y: 'y', stroke: 'method' } }] });
 */
import { checkPlot, type FigureCost, type PlotSpec } from './plotSpec.ts';

export type { PlotSpec, MarkSpec, MarkName, ScaleSpec } from './plotSpec.ts';

/** Receives every checked figure with its cost; the runner installs one that posts to the page. */
export type ShowSink = (name: string, spec: PlotSpec, cost: FigureCost) => void | Promise<void>;

// Module state, not a global: a listing reaches `show` (which checks) but never the sink (which does not).
let sink: ShowSink | null = null;

/** Installs (or, with null, removes) where figures go, instead of the default for the environment. */
export function setShowSink(next: ShowSink | null): void {
  sink = next;
}

const isNode = () => typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

/**
 * Shows a figure. Checks the spec first and throws a readable error at the caller's line if it is not plain data
 * or names an unknown mark. Returns a promise that settles when the figure is written (Node) or sent (page);
 * awaiting it is optional in the page.
 */
export async function show(name: string, spec: PlotSpec): Promise<void> {
  const checked = checkPlot(name, spec);
  if (sink) return sink(checked.name, checked.spec, checked.cost);
  if (isNode()) {
    // Hidden from bundlers: the page never loads the Node writer.
    const path = './show' + 'Node.ts';
    const mod = (await import(/* @vite-ignore */ path)) as typeof import('./showNode.ts');
    await mod.writeFigure(checked.name, checked.spec);
  }
}
