/** What every figure module provides, so the build-time component and the browser island share one code path. */
import type { ChartSize, Window } from './chart.ts';
import type { Schema, StateOf } from './fields.ts';
import { fmt, fmtPoint } from './format.ts';

export interface FigureView {
  /** The charts, each an SVG with role="img" and an aria-label. */
  charts: Element[];
  /** Caption HTML: every number in it comes from the state. */
  caption: string;
  /** Status HTML (method results, warnings). */
  status: string;
  /** Data-table alternative HTML. */
  table: string;
  /**
   * The data window of each chart that has one (contour charts). While a handle is dragged the island passes these
   * back as `ViewOptions.windows`, so the view holds still under the pointer and rescales only after release.
   */
  windows?: (Window | undefined)[];
}

/** How the island asks for a view: at measured sizes, and with pinned windows during a drag. */
export interface ViewOptions {
  /** `sizes[i]`, when given, is the measured box of chart i (the island draws at that size). */
  sizes?: readonly (ChartSize | undefined)[];
  /** `windows[i]`, when given, is the data window chart i must keep (a drag is in progress). */
  windows?: readonly (Window | undefined)[];
}

export interface FigureDef<S extends StateOf> {
  /** Hash namespace and island name. */
  ns: string;
  title: string;
  schema: Schema;
  defaults: S;
  groups: readonly (readonly [string, readonly string[]])[];
  /** Renders the figure with `document` (jsdom at build time, the page's in the browser). */
  view(state: S, document: Document, options?: ViewOptions): FigureView;
  handles?: readonly HandleDef[];
  /**
   * The data window the handles may move in, for the current state (e.g. the chart's view, which depends on the
   * function shown). A point handle outside it is moved to its edge, with a notice; without it, handles are limited
   * by their fields' ranges only.
   */
  bounds?: (state: S) => Window;
  /** Named settings the reader can jump to with one button (e.g. a point the text discusses). */
  presets?: readonly Preset<S>[];
}

/** A button that applies `patch` to the state. */
export interface Preset<S extends StateOf> {
  label: string;
  patch: Partial<S>;
}

/** A draggable point bound to two number fields of the state, drawn over chart `chart`. */
export interface HandleDef {
  /** The number fields the handle moves: x and y, or x alone for a handle on a curve (`along`). */
  keys: readonly [string, string] | readonly [string];
  /** Accessible name, e.g. "Start point x₀". */
  label: string;
  chart: number;
  /** Arrow-key step and Shift+arrow step, in data units. */
  step: number;
  coarse: number;
  /** Optional: the handle sits at (x + dx, y + dy) where [dx, dy] are two more fields (the tip of a vector). */
  offsetKeys?: readonly [string, string];
  /**
   * A handle on a curve: it moves along the x field `keys[0]` only (dragging and all four arrow keys change x) and
   * sits at height `along(state)`, e.g. a loss evaluated at the chosen learning rate.
   */
  along?: (state: StateOf) => number;
}

/** The state with each point handle's (x, y) moved into `bounds`, and a sentence for the reader when one had to move. */
export function clampHandles<S extends StateOf>(def: Pick<FigureDef<S>, 'handles' | 'bounds'>, state: S): { state: S; notice: string | null } {
  if (!def.bounds) return { state, notice: null };
  const w = def.bounds(state);
  let next = state;
  const moved: string[] = [];
  for (const h of def.handles ?? []) {
    if (h.offsetKeys || h.along || h.keys.length < 2) continue;
    const [kx, ky] = h.keys as readonly [string, string];
    const x = next[kx] as number;
    const y = next[ky] as number;
    const cx = Math.min(w.x[1], Math.max(w.x[0], x));
    const cy = Math.min(w.y[1], Math.max(w.y[0], y));
    if (cx === x && cy === y) continue;
    next = { ...next, [kx]: cx, [ky]: cy };
    moved.push(
      `${h.label} ${fmtPoint([x, y])} is outside this view, so it was moved to ${fmtPoint([cx, cy])} (here the first coordinate runs from ${fmt(w.x[0])} to ${fmt(w.x[1])} and the second from ${fmt(w.y[0])} to ${fmt(w.y[1])}).`,
    );
  }
  return { state: next, notice: moved.length ? moved.join(' ') : null };
}
