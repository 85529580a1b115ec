/**
 * The plot protocol: what `show(name, spec)` may send from a run to the page. A spec is Observable Plot's options
 * written as data — marks by name with their data and options — so it can cross from the worker with
 * postMessage (functions cannot) and be drawn by the same code in the page and in Node.
 */
import type * as PlotModule from '@observablehq/plot';

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
  marginLeft?: number;
  marginBottom?: number;
  x?: ScaleSpec;
  y?: ScaleSpec;
  color?: ScaleSpec;
  r?: ScaleSpec;
}

export const specLimits = { maxMarks: 32, maxPoints: 100_000, maxNameLength: 64 };

const topKeys = new Set([
  'marks', 'title', 'subtitle', 'caption', 'width', 'height', 'aspectRatio', 'grid', 'inset', 'marginLeft',
  'marginBottom', 'x', 'y', 'color', 'r',
]);

function isPlainValue(v: unknown, depth = 0): boolean {
  if (v === null || v === undefined) return true;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  if (t !== 'object' || depth > 4) return false;
  if (ArrayBuffer.isView(v)) return true;
  if (Array.isArray(v)) return v.every((x) => isPlainValue(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(v as object).every((x) => isPlainValue(x, depth + 1));
}

const where = (i: number) => `marks[${i}]`;

/**
 * checkPlot(name, spec) = the spec, checked and copied to plain data, or a thrown Error that says what is wrong
 * (unknown mark, functions in options, too many points), so the reader sees it at their `show` call.
 */
export function checkPlot(name: unknown, spec: unknown): { name: string; spec: PlotSpec } {
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name))
    throw new TypeError(`show(name, spec): name must be 1–${specLimits.maxNameLength} letters, digits, '-', '_' or '.'`);
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new TypeError('show(name, spec): spec must be an object with marks');
  const s = spec as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!topKeys.has(k)) throw new TypeError(`show: unknown plot option '${k}' (allowed: ${[...topKeys].join(', ')})`);
  if (!Array.isArray(s.marks) || s.marks.length === 0) throw new TypeError('show: spec.marks must be a non-empty array');
  if (s.marks.length > specLimits.maxMarks) throw new RangeError(`show: at most ${specLimits.maxMarks} marks`);
  let points = 0;
  const marks: MarkSpec[] = s.marks.map((m: unknown, i: number) => {
    if (!m || typeof m !== 'object') throw new TypeError(`show: ${where(i)} must be { mark, data, options }`);
    const { mark, data, options } = m as Record<string, unknown>;
    if (!markNames.includes(mark as MarkName))
      throw new TypeError(`show: ${where(i)}.mark '${String(mark)}' is not one of ${markNames.join(', ')}`);
    if (data !== undefined && !Array.isArray(data) && !ArrayBuffer.isView(data))
      throw new TypeError(`show: ${where(i)}.data must be an array`);
    if (data !== undefined) {
      points += (data as ArrayLike<unknown>).length;
      if (!isPlainValue(Array.isArray(data) ? data : [])) throw new TypeError(`show: ${where(i)}.data must be plain values (numbers, strings, plain objects)`);
    }
    if (options !== undefined && (typeof options !== 'object' || Array.isArray(options) || !isPlainValue(options)))
      throw new TypeError(`show: ${where(i)}.options must be plain data: channels by field name ('x: "iter"'), no functions`);
    return { mark: mark as MarkName, data: data as MarkSpec['data'], options: options as MarkSpec['options'] };
  });
  if (points > specLimits.maxPoints) throw new RangeError(`show: ${points} data points; at most ${specLimits.maxPoints}`);
  for (const k of ['x', 'y', 'color', 'r'] as const)
    if (s[k] !== undefined && (typeof s[k] !== 'object' || !isPlainValue(s[k]))) throw new TypeError(`show: ${k} must be plain scale options`);
  for (const k of ['title', 'subtitle', 'caption'] as const)
    if (s[k] !== undefined && typeof s[k] !== 'string') throw new TypeError(`show: ${k} must be a string`);
  for (const k of ['width', 'height', 'aspectRatio', 'inset', 'marginLeft', 'marginBottom'] as const)
    if (s[k] !== undefined && !(typeof s[k] === 'number' && Number.isFinite(s[k]))) throw new TypeError(`show: ${k} must be a finite number`);
  return { name, spec: { ...(s as unknown as PlotSpec), marks } };
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
