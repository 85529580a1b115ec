/**
 * fmt(x, digits) = x rounded to `digits` significant digits, without trailing zeros, with a true minus sign.
 *
 * Numbers in the chapters are computed by the library at build time; this is the one place that decides how
 * they look, so prose, captions and tests agree on the same text.
 */
export function fmt(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1e6 || abs < 1e-4) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${trimZeros(m).replace('-', '−')} × 10^${Number(e)}`;
  }
  // Number(…) drops trailing zeros and never falls back to exponent notation in this range.
  return String(Number(x.toPrecision(digits))).replace('-', '−');
}

/** texNum(x, digits) = {@link fmt} as TeX: `1.2 \times 10^{-5}`, `10^{-6}`, `-3`. */
export function texNum(x: number, digits = 4): string {
  return fmt(x, digits)
    .replace(/−/g, '-')
    .replace(/^(-?)1 × 10\^(-?\d+)$/, '$110^{$2}')
    .replace(/ × 10\^(-?\d+)/, ' \\times 10^{$1}')
    .replace('∞', '\\infty');
}

/** texVec(v, digits) = `(v₁, v₂, …)` as TeX. */
export function texVec(v: ArrayLike<number>, digits = 4): string {
  return `(${Array.from(v, (x) => texNum(x, digits)).join(',\\ ')})`;
}

/** texMatrix(rows, digits) = a bracketed TeX matrix. */
export function texMatrix(rows: readonly (readonly number[])[], digits = 4): string {
  return `\\begin{bmatrix}${rows.map((r) => r.map((x) => texNum(x, digits)).join(' & ')).join(' \\\\ ')}\\end{bmatrix}`;
}

/** fmtBytes(n) = a byte count in the largest decimal unit that keeps it ≥ 1 ("8 TB"). */
export function fmtBytes(bytes: number, digits = 3): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  let x = bytes;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return `${fmt(x, digits)} ${units[i]}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
