/** Sampling a function on a grid for Plot's contour mark, and contour levels that suit any range of values. */

export interface Grid {
  values: Float64Array;
  width: number;
  height: number;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** f at the cell centres of a width×height grid over [x1, x2]×[y1, y2], row 0 at y1 (the layout Plot's raster expects). */
export function sampleGrid(f: (x: number, y: number) => number, [x1, x2]: readonly [number, number], [y1, y2]: readonly [number, number], width: number, height: number): Grid {
  const values = new Float64Array(width * height);
  const kx = (x2 - x1) / width;
  const ky = (y2 - y1) / height;
  for (let j = 0; j < height; j++) {
    const y = y1 + (j + 0.5) * ky;
    for (let i = 0; i < width; i++) values[j * width + i] = f(x1 + (i + 0.5) * kx, y);
  }
  return { values, width, height, x1, x2, y1, y2 };
}

/** `count` levels at evenly spaced quantiles of the finite values, so every band covers a similar area whatever the range. */
export function quantileThresholds(values: ArrayLike<number>, count: number): number[] {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return [];
  const out: number[] = [];
  for (let k = 1; k <= count; k++) {
    const t = v[Math.min(v.length - 1, Math.floor((k / (count + 1)) * v.length))];
    const r = Number(t.toPrecision(3));
    if (!out.length || r > out[out.length - 1]) out.push(r);
  }
  return out;
}
