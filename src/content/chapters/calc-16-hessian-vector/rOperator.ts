/**
 * Pearlmutter's R-operator by hand, R{·} = d/dr (·)(x + rv) at r = 0, through the gradient program of
 * f(x, y) = (1 − x)² + 100(y − x²)²: each line of the forward and the backward pass, with its R-value beside it.
 * The R-values of the gradient's outputs are Hv.
 */

/** One line of the program: what it computes, its value, and the R-rule applied to it. */
export interface RLine {
  /** TeX of the assignment, e.g. `a = x^2`. */
  line: string;
  /** The assignment as plain text, e.g. `a = x²` (the table shows this; the TeX is kept for reference). */
  text: string;
  /** TeX of its R-rule, e.g. `\mathcal{R}\{a\} = 2x\,\mathcal{R}\{x\}`. */
  rule: string;
  /** The R-rule as plain text, e.g. `ℛ{a} = 2x ℛ{x}` (what the table shows). */
  ruleText: string;
  value: number;
  r: number;
  pass: 'input' | 'forward' | 'backward';
}

/** The forward and backward pass of ∇f, each value carrying its directional derivative along v. */
export function rOperatorTable(at: readonly number[], v: readonly number[]): { lines: RLine[]; hv: number[]; grad: number[] } {
  const R = (s: string) => `\\mathcal{R}\\{${s}\\}`;
  const [x, y] = at;
  const [Rx, Ry] = v;
  // forward pass
  const a = x * x, Ra = 2 * x * Rx;
  const b = y - a, Rb = Ry - Ra;
  const c = 1 - x, Rc = -Rx;
  const f = c * c + 100 * b * b, Rf = 2 * c * Rc + 200 * b * Rb;
  // backward pass (adjoints written with a bar), seeded with f̄ = 1, whose R-value is 0
  const cb = 2 * c, Rcb = 2 * Rc;
  const bb = 200 * b, Rbb = 200 * Rb;
  const ab = -bb, Rab = -Rbb;
  const xb = 2 * x * ab - cb, Rxb = 2 * Rx * ab + 2 * x * Rab - Rcb;
  const yb = bb, Ryb = Rbb;
  const lines: RLine[] = [
    { pass: 'input', line: 'x', text: 'x', rule: `${R('x')} = v_1`, ruleText: 'ℛ{x} = v₁', value: x, r: Rx },
    { pass: 'input', line: 'y', text: 'y', rule: `${R('y')} = v_2`, ruleText: 'ℛ{y} = v₂', value: y, r: Ry },
    { pass: 'forward', line: 'a = x^2', text: 'a = x²', rule: `${R('a')} = 2x\\,${R('x')}`, ruleText: 'ℛ{a} = 2x ℛ{x}', value: a, r: Ra },
    { pass: 'forward', line: 'b = y - a', text: 'b = y − a', rule: `${R('b')} = ${R('y')} - ${R('a')}`, ruleText: 'ℛ{b} = ℛ{y} − ℛ{a}', value: b, r: Rb },
    { pass: 'forward', line: 'c = 1 - x', text: 'c = 1 − x', rule: `${R('c')} = -${R('x')}`, ruleText: 'ℛ{c} = −ℛ{x}', value: c, r: Rc },
    { pass: 'forward', line: 'f = c^2 + 100\\,b^2', text: 'f = c² + 100 b²', rule: `${R('f')} = 2c\\,${R('c')} + 200\\,b\\,${R('b')}`, ruleText: 'ℛ{f} = 2c ℛ{c} + 200 b ℛ{b}', value: f, r: Rf },
    { pass: 'backward', line: '\\bar c = 2c', text: 'c\u0304 = 2c', rule: `${R('\\bar c')} = 2\\,${R('c')}`, ruleText: 'ℛ{c\u0304} = 2 ℛ{c}', value: cb, r: Rcb },
    { pass: 'backward', line: '\\bar b = 200\\,b', text: 'b\u0304 = 200 b', rule: `${R('\\bar b')} = 200\\,${R('b')}`, ruleText: 'ℛ{b\u0304} = 200 ℛ{b}', value: bb, r: Rbb },
    { pass: 'backward', line: '\\bar a = -\\bar b', text: 'a\u0304 = −b\u0304', rule: `${R('\\bar a')} = -${R('\\bar b')}`, ruleText: 'ℛ{a\u0304} = −ℛ{b\u0304}', value: ab, r: Rab },
    {
      pass: 'backward',
      line: '\\bar x = 2x\\,\\bar a - \\bar c', text: 'x\u0304 = 2x a\u0304 − c\u0304',
      rule: `${R('\\bar x')} = 2\\,${R('x')}\\,\\bar a + 2x\\,${R('\\bar a')} - ${R('\\bar c')}`, ruleText: 'ℛ{x\u0304} = 2 ℛ{x} a\u0304 + 2x ℛ{a\u0304} − ℛ{c\u0304}',
      value: xb,
      r: Rxb,
    },
    { pass: 'backward', line: '\\bar y = \\bar b', text: 'y\u0304 = b\u0304', rule: `${R('\\bar y')} = ${R('\\bar b')}`, ruleText: 'ℛ{y\u0304} = ℛ{b\u0304}', value: yb, r: Ryb },
  ];
  return { lines, hv: [Rxb, Ryb], grad: [xb, yb] };
}
