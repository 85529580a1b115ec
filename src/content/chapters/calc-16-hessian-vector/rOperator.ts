/**
 * Pearlmutter's R-operator by hand, R{·} = d/dr (·)(x + rv) at r = 0, through the gradient program of
 * f(x, y) = (1 − x)² + 100(y − x²)²: each line of the forward and the backward pass, with its R-value beside it.
 * The R-values of the gradient's outputs are Hv.
 */

/** One line of the program: what it computes, its value, and the R-rule applied to it. */
export interface RLine {
  /** TeX of the assignment, e.g. `a = x^2`. */
  line: string;
  /** TeX of its R-rule, e.g. `\mathcal{R}\{a\} = 2x\,\mathcal{R}\{x\}`. */
  rule: string;
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
    { pass: 'input', line: 'x', rule: `${R('x')} = v_1`, value: x, r: Rx },
    { pass: 'input', line: 'y', rule: `${R('y')} = v_2`, value: y, r: Ry },
    { pass: 'forward', line: 'a = x^2', rule: `${R('a')} = 2x\\,${R('x')}`, value: a, r: Ra },
    { pass: 'forward', line: 'b = y - a', rule: `${R('b')} = ${R('y')} - ${R('a')}`, value: b, r: Rb },
    { pass: 'forward', line: 'c = 1 - x', rule: `${R('c')} = -${R('x')}`, value: c, r: Rc },
    { pass: 'forward', line: 'f = c^2 + 100\\,b^2', rule: `${R('f')} = 2c\\,${R('c')} + 200\\,b\\,${R('b')}`, value: f, r: Rf },
    { pass: 'backward', line: '\\bar c = 2c', rule: `${R('\\bar c')} = 2\\,${R('c')}`, value: cb, r: Rcb },
    { pass: 'backward', line: '\\bar b = 200\\,b', rule: `${R('\\bar b')} = 200\\,${R('b')}`, value: bb, r: Rbb },
    { pass: 'backward', line: '\\bar a = -\\bar b', rule: `${R('\\bar a')} = -${R('\\bar b')}`, value: ab, r: Rab },
    {
      pass: 'backward',
      line: '\\bar x = 2x\\,\\bar a - \\bar c',
      rule: `${R('\\bar x')} = 2\\,${R('x')}\\,\\bar a + 2x\\,${R('\\bar a')} - ${R('\\bar c')}`,
      value: xb,
      r: Rxb,
    },
    { pass: 'backward', line: '\\bar y = \\bar b', rule: `${R('\\bar y')} = ${R('\\bar b')}`, value: yb, r: Ryb },
  ];
  return { lines, hv: [Rxb, Ryb], grad: [xb, yb] };
}
