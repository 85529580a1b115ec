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

/** A log-axis tick: powers of ten as `1e−6` (and `1`, `10`), anything else with two significant digits. */
export function fmtLogTick(d: number): string {
  if (!(d > 0)) return fmt(d, 0);
  const e = Math.round(Math.log10(d));
  if (Math.abs(d - 10 ** e) <= 1e-9 * d) return e === 0 ? '1' : e === 1 ? '10' : `1e${e}`.replace('-', '−');
  return d >= 0.1 && d < 1e3 ? String(Number(d.toPrecision(2))) : d.toExponential(1).replace('e+', 'e').replace('-', '−');
}
