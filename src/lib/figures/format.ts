/** Number formatting for captions, status lines and tables: Unicode minus, short exponentials. */

/** fmt(x, digits) = x with `digits` significant decimals, `1.2e−8` style for tiny or huge magnitudes. */
export function fmt(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  let s: string;
  if (a < 1e-3 || a >= 1e6) s = x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  else {
    s = x.toFixed(digits);
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  if (s === '-0') s = '0';
  return s.replace(/-/g, '−');
}

/** A point `(x, y)`. */
export function fmtPoint(p: ArrayLike<number>, digits = 2): string {
  return `(${fmt(p[0], digits)}, ${fmt(p[1], digits)})`;
}

/** A 2×2 row-major matrix as `[[a, b], [c, d]]`. */
export function fmtMatrix(m: ArrayLike<number>, digits = 3): string {
  return `[[${fmt(m[0], digits)}, ${fmt(m[1], digits)}], [${fmt(m[2], digits)}, ${fmt(m[3], digits)}]]`;
}

/**
 * The eigenvalues (a+c)/2 ± √(((a−c)/2)² + b²) of the symmetric [[a, b], [b, c]] in closed form when the pieces are
 * simple (`4 ± √2`), else null. Derived from the matrix entries, never typed.
 */
export function surdPair(a: number, b: number, c: number): string | null {
  const mean = (a + c) / 2;
  const r2 = ((a - c) / 2) ** 2 + b * b;
  const simple = (v: number) => Math.abs(v * 4 - Math.round(v * 4)) < 1e-12;
  if (!simple(mean) || !simple(r2)) return null;
  const r = Math.sqrt(r2);
  const m = fmt(mean, 2);
  if (r2 === 0) return m;
  const rootText = Math.abs(r - Math.round(r)) < 1e-12 ? fmt(Math.round(r), 0) : `√${fmt(r2, 2)}`;
  return mean === 0 ? `±${rootText}` : `${m} ± ${rootText}`;
}

/** HTML-escapes text for attribute values and element content. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/** fmtPow10(10^k) = '10ᵏ' with a superscript exponent (`10⁻³`), and '1' and '10' for k = 0 and 1; null unless x is a power of ten. */
export function fmtPow10(x: number): string | null {
  if (!(x > 0)) return null;
  const k = Math.round(Math.log10(x));
  if (Math.abs(x - 10 ** k) > 1e-9 * x) return null;
  if (k === 0) return '1';
  if (k === 1) return '10';
  return '10' + String(k).replace(/./g, (c) => SUPERSCRIPT[c]);
}

/** A log-axis tick: powers of ten as `1e−6` (and `1`, `10`), anything else with two significant digits. */
export function fmtLogTick(d: number): string {
  if (!(d > 0)) return fmt(d, 0);
  const e = Math.round(Math.log10(d));
  if (Math.abs(d - 10 ** e) <= 1e-9 * d) return e === 0 ? '1' : e === 1 ? '10' : `1e${e}`.replace('-', '−');
  return d >= 0.1 && d < 1e3 ? String(Number(d.toPrecision(2))) : d.toExponential(1).replace('e+', 'e').replace('-', '−');
}

/**
 * An error f − f* for display. When |f − f*| is within a few units in the last place of f* (f and f* agree to
 * round-off), it reads "≈ 0 (round-off)", so round-off never shows as a negative error.
 */
export function fmtError(e: number, fStar: number, digits = 2): string {
  if (!Number.isFinite(e)) return fmt(e, digits);
  if (Math.abs(e) <= roundOff(fStar)) return '≈ 0 (round-off)';
  return fmt(e, digits);
}

/** Four units in the last place of |x| (at least of 1e−300): the round-off band of a value near x. */
export function roundOff(x: number): number {
  const a = Math.max(Math.abs(x), 1e-300);
  return 4 * 2 ** (Math.floor(Math.log2(a)) - 52);
}

/**
 * Ticks for a symmetric-log axis over [lo, hi]: 0 (when inside) and ±10^k, with k stepped so that at most `max`
 * ticks appear, always including the extreme powers. Every tick is exact, so labels never pile up.
 */
export function signedLogTicks(lo: number, hi: number, max = 7): number[] {
  const top = (v: number) => (Math.abs(v) >= 1 ? Math.floor(Math.log10(Math.abs(v))) : -1);
  const ticks: number[] = [];
  const neg = lo <= -1 ? top(lo) : -1;
  const pos = hi >= 1 ? top(hi) : -1;
  const span = Math.max(neg, 0) + Math.max(pos, 0) + (neg >= 0 ? 1 : 0) + (pos >= 0 ? 1 : 0);
  const step = Math.max(1, Math.ceil(span / Math.max(1, max - 1)));
  const powers = (n: number) => {
    const out: number[] = [];
    for (let k = n; k >= 0; k -= step) out.push(k);
    return out;
  };
  for (const k of neg >= 0 ? powers(neg) : []) ticks.push(-(10 ** k));
  if (lo <= 0 && hi >= 0) ticks.push(0);
  for (const k of pos >= 0 ? powers(pos).reverse() : []) ticks.push(10 ** k);
  return ticks.sort((a, b) => a - b);
}

/** A signed-log tick: `0`, `±1`, `±10`, `±1e6`, with a Unicode minus. */
export function fmtSignedLogTick(d: number): string {
  if (d === 0) return '0';
  return (d < 0 ? '−' : '') + fmtLogTick(Math.abs(d));
}

/**
 * The ticks that keep at least `gap` pixels between labels: 0 first (where the sign changes), then the largest
 * magnitudes, then the rest, each kept only if it is far enough from those already kept. Sorted ascending.
 */
export function spaceTicks(ticks: readonly number[], toPx: (v: number) => number, gap: number): number[] {
  const order = [...ticks].sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : Math.abs(b) - Math.abs(a)));
  const kept: number[] = [];
  for (const t of order) if (kept.every((k) => Math.abs(toPx(k) - toPx(t)) >= gap)) kept.push(t);
  return kept.sort((a, b) => a - b);
}
