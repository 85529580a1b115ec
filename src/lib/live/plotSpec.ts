/**
 * The plot protocol: what `show(name, spec)` may send from a run to the page. A spec is Observable Plot's options
 * written as data — marks by name with their data and options — so it can cross from the worker with
 * postMessage (functions cannot) and be drawn by the same code in the page and in Node.
 */
import type * as PlotModule from '@observablehq/plot';
import { closest, suggestion } from './closest.ts';
import { checkMarkOptions, isSafeText, topKeys, topLevel } from './plotOptions.ts';

export const markNames = [
  'line', 'lineX', 'lineY', 'dot', 'dotX', 'dotY', 'ruleX', 'ruleY', 'text', 'areaY', 'areaX', 'barX', 'barY',
  'cell', 'link', 'arrow', 'tickX', 'tickY', 'frame', 'gridX', 'gridY', 'contour',
] as const;
export type MarkName = (typeof markNames)[number];

/** Plain data: what structured clone carries and JSON can write down. */
export type Plain = string | number | boolean | null | undefined | Plain[] | { [k: string]: Plain } | ArrayLike<number>;

/** One mark: `Plot[mark](data, options)`. Channels are field names (`x: 'iter'`) or constants (`stroke: 'red'`). */
export interface MarkSpec {
  mark: MarkName;
  data?: readonly unknown[] | ArrayLike<number>;
  options?: { [k: string]: Plain };
}

/** Scale options (`{ type: 'log', label: 'f(x) − f*' }`), as in Plot. */
export type ScaleSpec = { [k: string]: Plain };

export interface PlotSpec {
  marks: MarkSpec[];
  title?: string;
  subtitle?: string;
  caption?: string;
  width?: number;
  height?: number;
  aspectRatio?: number;
  grid?: boolean;
  inset?: number;
  margin?: number;
  marginLeft?: number;
  marginRight?: number;
  marginTop?: number;
  marginBottom?: number;
  ariaLabel?: string;
  ariaDescription?: string;
  x?: ScaleSpec;
  y?: ScaleSpec;
  color?: ScaleSpec;
  r?: ScaleSpec;
  symbol?: ScaleSpec;
  opacity?: ScaleSpec;
}

/** Bounds on one figure: marks, data rows, drawn elements (see {@link FigureCost}) and contour work. */
export const specLimits = { maxMarks: 32, maxPoints: 50_000, maxElements: 2_000, maxContourWork: 2_000_000, maxNameLength: 64 };

/** What a figure costs to send and draw, computed by {@link checkPlot} before anything is drawn. */
export interface FigureCost {
  /** Data rows over all marks. */
  points: number;
  /**
   * SVG elements Plot creates, weighted: one per datum for dots, text, bars, rules, ticks, cells, links and
   * arrows; one per five data for lines and areas (a path per series).
   */
  elements: number;
  /** Contour grid cells × thresholds. */
  contourWork: number;
}

const pathMarks = new Set<MarkName>(['line', 'lineX', 'lineY', 'areaX', 'areaY']);

function isPlainValue(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined) return true;
  const t = typeof v;
  if (t === 'number' || t === 'boolean') return true;
  if (t === 'string') return isSafeText(v as string, 1000);
  if (t !== 'object' || depth > 4) return false;
  if (ArrayBuffer.isView(v)) return !(v instanceof DataView);
  if (Array.isArray(v)) return v.every((x) => isPlainValue(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v as object).every((x) => isPlainValue(x, depth + 1));
}

const where = (i: number) => `marks[${i}]`;

/** contourWork(options, width, height) = grid cells × thresholds of a contour mark (Plot's defaults: pixelSize 2). */
function contourWork(o: Record<string, unknown>, width: number, height: number): number {
  const cells =
    typeof o.width === 'number' && typeof o.height === 'number'
      ? o.width * o.height
      : Math.ceil(width / ((o.pixelSize as number) ?? 2)) * Math.ceil(height / ((o.pixelSize as number) ?? 2));
  const t = o.thresholds;
  const thresholds = typeof t === 'number' ? t : Array.isArray(t) ? t.length : 10;
  return cells * Math.max(1, thresholds) * (1 + ((o.blur as number) ?? 0));
}

function checkMark(m: unknown, i: number, size: { width: number; height: number }, cost: FigureCost): MarkSpec {
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw new TypeError(`show: ${where(i)} must be { mark, data, options }`);
  for (const k of Object.keys(m)) if (!['mark', 'data', 'options'].includes(k)) throw new TypeError(`show: ${where(i)}: unknown key '${k}'${suggestion(k, ['mark', 'data', 'options'])}`);
  const { mark, data, options } = m as Record<string, unknown>;
  if (!markNames.includes(mark as MarkName))
    throw new TypeError(`show: ${where(i)}.mark '${String(mark)}' is not one of ${markNames.join(', ')}${typeof mark === 'string' && closest(mark, markNames) ? ` — did you mean '${closest(mark, markNames)}'?` : ''}`);
  const name = mark as MarkName;
  if (data !== undefined && !Array.isArray(data) && !(ArrayBuffer.isView(data) && !(data instanceof DataView)))
    throw new TypeError(`show: ${where(i)}.data must be an array`);
  const n = data === undefined ? 0 : (data as ArrayLike<unknown>).length;
  cost.points += n;
  if (cost.points > specLimits.maxPoints) throw new RangeError(`show: ${cost.points} data points; at most ${specLimits.maxPoints}`);
  if (options !== undefined && (!options || typeof options !== 'object' || Array.isArray(options) || Object.values(options).some((v) => typeof v === 'function')))
    throw new TypeError(`show: ${where(i)}.options must be plain data: channels by field name ('x: "iter"'), no functions`);
  const o = (options ?? {}) as Record<string, unknown>;
  checkMarkOptions(name, o, `${where(i)}.options`);
  if (Array.isArray(data) && !isPlainValue(data)) throw new TypeError(`show: ${where(i)}.data must be plain values (numbers, strings without URLs, plain objects)`);
  if (name === 'contour') cost.contourWork += contourWork(o, size.width, size.height);
  else cost.elements += pathMarks.has(name) ? Math.ceil(n / 5) : Math.max(1, n);
  return { mark: name, data: data as MarkSpec['data'], options: options as MarkSpec['options'] };
}

/**
 * checkPlot(name, spec) = the spec, checked against the allow-lists (plotOptions.ts) and the cost bounds, with its
 * cost; or a thrown Error that says what is wrong (unknown mark or option, naming the closest valid one; functions
 * or URLs; too much to draw), so the reader sees it at their `show` call. Nothing outside the lists reaches Plot.
 */
export function checkPlot(name: unknown, spec: unknown): { name: string; spec: PlotSpec; cost: FigureCost } {
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name))
    throw new TypeError(`show(name, spec): name must be 1–${specLimits.maxNameLength} letters, digits, '-', '_' or '.'`);
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError('show(name, spec): spec must be an object with marks');
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!topKeys.includes(k)) throw new TypeError(`show: unknown plot option '${k}'${suggestion(k, topKeys)}`);
  for (const [k, v] of Object.entries(s)) if (k !== 'marks' && v !== undefined) topLevel[k](v, k);
  if (!Array.isArray(s.marks) || s.marks.length === 0) throw new TypeError('show: spec.marks must be a non-empty array');
  if (s.marks.length > specLimits.maxMarks) throw new RangeError(`show: at most ${specLimits.maxMarks} marks`);
  const width = (s.width as number) ?? 1200;
  const size = { width, height: (s.height as number) ?? width / ((s.aspectRatio as number) ?? 1) };
  const cost: FigureCost = { points: 0, elements: 0, contourWork: 0 };
  const marks = s.marks.map((m: unknown, i: number) => checkMark(m, i, size, cost));
  if (cost.elements > specLimits.maxElements)
    throw new RangeError(`show: the figure would draw ${cost.elements} elements; at most ${specLimits.maxElements} (fewer points, or a line instead of dots)`);
  if (cost.contourWork > specLimits.maxContourWork)
    throw new RangeError(`show: the contour grid is too fine (${cost.contourWork.toExponential(1)} cells × thresholds; at most ${specLimits.maxContourWork.toExponential(0)}): use a coarser grid, a larger pixelSize or fewer thresholds`);
  return { name, spec: { ...(s as unknown as PlotSpec), marks }, cost };
}

/** The Observable Plot options a spec stands for (`document` lets Node draw with linkedom). */
export function toPlotOptions(spec: PlotSpec, Plot: typeof PlotModule, extra: Partial<PlotModule.PlotOptions> = {}): PlotModule.PlotOptions {
  const { marks, ...rest } = spec;
  const make = Plot as unknown as Record<MarkName, (data?: unknown, options?: unknown) => PlotModule.Markish>;
  return {
    ...(rest as PlotModule.PlotOptions),
    ...extra,
    marks: marks.map((m) =>
      m.mark === 'frame' ? make.frame(m.options ?? {}) : make[m.mark](m.data ? Array.from(m.data as ArrayLike<unknown>) : undefined, m.options ?? {}),
    ),
  };
}
