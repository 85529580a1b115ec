/** What every figure module provides, so the build-time component and the browser island share one code path. */
import type { Schema, StateOf } from './fields.ts';

export interface FigureView {
  /** The charts, each an SVG with role="img" and an aria-label. */
  charts: Element[];
  /** Caption HTML: every number in it comes from the state. */
  caption: string;
  /** Status HTML (method results, warnings). */
  status: string;
  /** Data-table alternative HTML. */
  table: string;
}

export interface FigureDef<S extends StateOf> {
  /** Hash namespace and island name. */
  ns: string;
  title: string;
  schema: Schema;
  defaults: S;
  groups: readonly (readonly [string, readonly string[]])[];
  view(state: S, document: Document): FigureView;
  handles?: readonly HandleDef[];
}

/** A draggable point bound to two number fields of the state, drawn over chart `chart`. */
export interface HandleDef {
  keys: readonly [string, string];
  /** Accessible name, e.g. "Start point x₀". */
  label: string;
  chart: number;
  /** Arrow-key step and Shift+arrow step, in data units. */
  step: number;
  coarse: number;
  /** Optional: the handle sits at (x + dx, y + dy) where [dx, dy] are two more fields (the tip of a vector). */
  offsetKeys?: readonly [string, string];
}
