/** Shape helpers. A shape is a list of dimension sizes; [] is a scalar (0-d). */
export type Shape = readonly number[];

/** size = ∏ shape[i] (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function showShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}

/** Error naming the operation and both shapes, e.g. "add: shapes [2] and [3] do not match". */
export function shapeError(op: string, a: Shape, b: Shape, what = 'do not match'): Error {
  return new Error(`${op}: shapes ${showShape(a)} and ${showShape(b)} ${what}`);
}

/** NumPy broadcasting: align trailing dims; each pair must be equal or contain a 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) throw shapeError(op, a, b);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Can `from` broadcast to `to` (NumPy rules)? */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) if (from[i] !== 1 && from[i] !== to[i + off]) return false;
  return true;
}
