/**
 * NumPy-style printing: `[ 2.  -2.4]`, `[[5. 1.]\n [1. 3.]]`. Up to 8 decimals,
 * decimal points aligned; scientific notation when magnitudes are extreme.
 */
import { isReleased } from './released.ts';
import { showShape } from './shape.ts';
import type { Tensor } from './tensor.ts';

function fmtNumber(v: number, sci: boolean): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (sci) {
    const [m, e] = v.toExponential(8).split('e');
    const mant = m.replace(/0+$/, '').replace(/\.$/, '.');
    const exp = Number(e);
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = v.toFixed(8).replace(/0+$/, '');
  return s === '-0.' ? '-0.' : s;
}

/** Format values as NumPy's repr of a float64 array would (without the `array(...)`). */
export function formatTensor(t: Tensor): string {
  // Printing must not throw: a released tensor (released.ts) says what it was.
  if (isReleased(t.data, t.shape)) return `<released tensor of shape ${showShape(t.shape)}>`;
  const d = t.data;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (const v of d) {
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a > 0 && a < minAbs) minAbs = a;
  }
  const sci = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs !== Infinity) || (maxAbs / minAbs > 1e3 && minAbs !== Infinity && maxAbs >= 1e3);
  const strs = Array.from(d, (v) => fmtNumber(v, sci));
  if (t.shape.length === 0) return strs[0];
  // Align on the decimal point: pad the integer part left and the fraction right.
  let wi = 0;
  let wf = 0;
  const parts = strs.map((s) => {
    const k = s.indexOf('.');
    const ip = k < 0 ? s : s.slice(0, k);
    const fp = k < 0 ? '' : s.slice(k);
    wi = Math.max(wi, ip.length);
    wf = Math.max(wf, fp.length);
    return [ip, fp] as const;
  });
  const cells = parts.map(([ip, fp]) => ip.padStart(wi) + fp.padEnd(wf));
  let k = 0;
  const rec = (dim: number, indent: string): string => {
    if (dim === t.shape.length) return cells[k++];
    const items: string[] = [];
    for (let i = 0; i < t.shape[dim]; i++) items.push(rec(dim + 1, indent + ' '));
    const sep = dim === t.shape.length - 1 ? ' ' : '\n'.repeat(t.shape.length - 1 - dim) + indent + ' ';
    return `[${items.join(sep)}]`;
  };
  return rec(0, '');
}
