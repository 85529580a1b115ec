/**
 * The allow-lists of `show()` specs: every option a live figure may use, with what its value may be. Anything not
 * listed is refused (naming the closest valid option), so a spec cannot ask Plot for links (`href`, `target`),
 * render hooks, class names or styles, and every number that sets how much Plot draws is bounded.
 */
import { suggestion } from './closest.ts';

/** Throws a TypeError or RangeError naming `at` when v is not allowed. */
export type Check = (v: unknown, at: string) => void;

const schemes = /^(javascript|data|vbscript|file|blob|https?|ftp):/i;

/**
 * safeText(v) is true for strings a figure may carry as a field name or constant: at most 200 characters, no
 * control characters, no `url(…)` and nothing that starts like a URL scheme (`javascript:`, ` JavaScript:`).
 */
export function isSafeText(v: string, max = 200): boolean {
  if (v.length > max || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) return false;
  const squeezed = v.replace(/[\s\u0000-\u001f]+/g, '');
  return !/url\(/i.test(squeezed) && !schemes.test(squeezed);
}

const text = (max = 200): Check => (v, at) => {
  if (typeof v !== 'string') throw new TypeError(`show: ${at} must be a string`);
  if (!isSafeText(v, max)) throw new TypeError(`show: ${at} must be plain text (at most ${max} characters, no URLs or url(…))`);
};
const word = (max = 32): Check => (v, at) => {
  if (typeof v !== 'string' || !/^[A-Za-z][\w-]*$/.test(v) || v.length > max) throw new TypeError(`show: ${at} must be a name like 'linear' (letters, digits, '-')`);
};
const num = (min: number, max: number, integer = false): Check => (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`show: ${at} must be a finite number`);
  if (v < min || v > max || (integer && !Number.isInteger(v)))
    throw new RangeError(`show: ${at} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${v})`);
};
const bool: Check = (v, at) => {
  if (typeof v !== 'boolean') throw new TypeError(`show: ${at} must be true or false`);
};
const oneOf = (...values: unknown[]): Check => (v, at) => {
  if (!values.includes(v)) throw new TypeError(`show: ${at} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
};
/** The first check that accepts v wins; otherwise the most specific error (a range over a type) is thrown. */
const either = (...checks: Check[]): Check => (v, at) => {
  const errors: unknown[] = [];
  for (const check of checks) {
    try {
      check(v, at);
      return;
    } catch (e) {
      errors.push(e);
    }
  }
  throw errors.find((e) => e instanceof RangeError) ?? errors.at(-1);
};
const nil: Check = (v, at) => {
  if (v !== null && v !== undefined) throw new TypeError(`show: ${at} must be null`);
};
const arrayOf = (check: Check, max: number): Check => (v, at) => {
  if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new TypeError(`show: ${at} must be an array`);
  const a = v as ArrayLike<unknown>;
  if (a.length > max) throw new RangeError(`show: ${at} has ${a.length} entries; at most ${max}`);
  for (let i = 0; i < a.length; i++) check(a[i], `${at}[${i}]`);
};

/** A channel: a field name or a constant (colour, symbol, number), never a function. */
const channel: Check = either(nil, bool, num(-1e15, 1e15), text());
const pixels = (max: number) => num(-max, max);

/** Options no live figure may use, with the reason the reader sees. */
export const forbiddenMarkOptions: Record<string, string> = {
  href: 'figures cannot contain links',
  target: 'figures cannot contain links',
  render: 'render hooks are code',
  tip: 'tooltips are not supported in live figures',
  className: 'figures are styled by the page',
  style: 'figures are styled by the page',
  channels: 'extra channels are not supported in live figures',
  transform: 'transforms are code',
  initializer: 'initializers are code',
  src: 'figures cannot load images',
};

/** Options of every mark. */
const common: Record<string, Check> = {
  x: channel, y: channel, x1: channel, x2: channel, y1: channel, y2: channel, z: channel,
  fill: channel, stroke: channel, fillOpacity: channel, strokeOpacity: channel, opacity: channel,
  r: either(nil, num(0, 100), text()), symbol: channel, text: channel, title: channel, rotate: channel, fontSize: either(nil, num(1, 64), text(16)),
  strokeWidth: num(0, 50), strokeDasharray: either(num(0, 100), text(64)), strokeLinecap: word(), strokeLinejoin: word(),
  dx: pixels(2000), dy: pixels(2000), textAnchor: oneOf('start', 'middle', 'end'), lineAnchor: oneOf('top', 'middle', 'bottom'),
  frameAnchor: word(), fontWeight: either(num(100, 900), word()), fontStyle: word(), fontFamily: text(64),
  lineWidth: num(1, 1000), monospace: bool,
  marker: either(bool, nil, word()), markerStart: either(bool, nil, word()), markerMid: either(bool, nil, word()), markerEnd: either(bool, nil, word()),
  curve: word(), tension: num(0, 1),
  inset: num(0, 200), insetTop: num(0, 200), insetRight: num(0, 200), insetBottom: num(0, 200), insetLeft: num(0, 200),
  rx: num(0, 100), ry: num(0, 100),
  bend: either(bool, num(-90, 90)), headLength: num(0, 50), headAngle: num(0, 180), insetStart: num(0, 200), insetEnd: num(0, 200),
  sort: either(nil, text()), reverse: bool, filter: either(nil, text()), clip: either(bool, oneOf('frame')),
  ariaLabel: text(), ariaDescription: text(), ariaHidden: bool,
};

/** Options only the contour mark takes (its grid and how much it computes). */
const contourOnly: Record<string, Check> = {
  value: channel,
  thresholds: either(num(1, 50, true), arrayOf(num(-1e300, 1e300), 50)),
  pixelSize: num(1, 100),
  width: num(1, 300, true),
  height: num(1, 300, true),
  interpolate: either(nil, word()),
  blur: num(0, 8),
  smooth: bool,
};

function markCheck(mark: string, key: string, at: string): Check {
  if (Object.hasOwn(forbiddenMarkOptions, key)) throw new TypeError(`show: ${at}.${key} is not allowed: ${forbiddenMarkOptions[key]}`);
  const check = Object.hasOwn(common, key) ? common[key] : mark === 'contour' && Object.hasOwn(contourOnly, key) ? contourOnly[key] : undefined;
  if (check) return check;
  const valid = Object.keys(mark === 'contour' ? { ...common, ...contourOnly } : common);
  throw new TypeError(`show: ${at}: unknown option '${key}' for ${mark}${suggestion(key, valid)}`);
}

/**
 * checkMarkOptions(mark, options, at) throws unless every `key: value` is allowed on `mark`. Keys are checked
 * before values, so a forbidden or unknown key is what the reader hears about first.
 */
export function checkMarkOptions(mark: string, options: Record<string, unknown>, at: string): void {
  const checks = Object.keys(options).map((k) => [k, markCheck(mark, k, at)] as const);
  for (const [k, check] of checks) check(options[k], `${at}.${k}`);
}

/** Options of the x, y, color and r scales. */
const scale: Record<string, Check> = {
  type: word(), label: either(nil, text()), domain: arrayOf(either(num(-1e300, 1e300), text(), bool, nil), 1000),
  range: arrayOf(either(num(-10_000, 10_000), text(64)), 100), ticks: either(num(0, 50, true), arrayOf(num(-1e300, 1e300), 100)),
  tickFormat: either(nil, text(32)), tickSize: num(0, 50), tickPadding: num(0, 50), tickRotate: num(-360, 360),
  grid: bool, nice: bool, zero: bool, reverse: bool, clamp: bool, percent: bool, line: bool, legend: bool,
  inset: num(0, 200), insetLeft: num(0, 200), insetRight: num(0, 200), insetTop: num(0, 200), insetBottom: num(0, 200),
  base: num(1e-6, 1e6), exponent: num(-10, 10), constant: num(1e-12, 1e12), scheme: word(), interpolate: word(),
  labelAnchor: word(), labelOffset: num(-500, 500), labelArrow: either(bool, word()), axis: either(nil, bool, oneOf('top', 'bottom', 'left', 'right', 'both')),
  unknown: either(nil, text(64)), pivot: num(-1e300, 1e300), symmetric: bool, align: num(0, 1), padding: num(0, 1), round: bool,
};
export const scaleKeys = Object.keys(scale);

/** checkScale(value, at) throws unless value is a plain object of allowed scale options. */
export function checkScale(value: unknown, at: string): void {
  if (!value || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype)
    throw new TypeError(`show: ${at} must be plain scale options ({ label: 'x₁' })`);
  for (const [k, v] of Object.entries(value)) {
    if (!Object.hasOwn(scale, k)) throw new TypeError(`show: ${at}: unknown scale option '${k}'${suggestion(k, scaleKeys)}`);
    if (v !== undefined) scale[k](v, `${at}.${k}`);
  }
}

/** Top-level options (besides marks). */
export const topLevel: Record<string, Check> = {
  title: text(300), subtitle: text(300), caption: text(500),
  width: num(50, 2000), height: num(50, 2000), aspectRatio: num(0.05, 20), grid: bool, inset: num(0, 200),
  margin: num(0, 500), marginLeft: num(0, 500), marginRight: num(0, 500), marginTop: num(0, 500), marginBottom: num(0, 500),
  x: checkScale, y: checkScale, color: checkScale, r: checkScale, symbol: checkScale, opacity: checkScale,
  ariaLabel: text(), ariaDescription: text(),
};
export const topKeys = ['marks', ...Object.keys(topLevel)];
