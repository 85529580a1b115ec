/**
 * User-facing operations (free functions; Tensor methods delegate here).
 * Primitives go through apply(); derived operations are compositions of
 * primitives, so they get derivatives of every order for free.
 */
import { apply } from './apply.ts';
import { type Shape, broadcastShapes, sameShape, shapeError, showShape, sizeOf } from './shape.ts';
import { scalarTensor, Tensor, tensor, type TensorLike } from './tensor.ts';
import type { CompareKind } from './op.ts';
import { checkBoolean, checkNumber, readOptions } from './options.ts';

/** Tensors pass through; numbers and arrays become constant tensors. */
export function asTensor(x: TensorLike): Tensor {
  if (x instanceof Tensor) return x;
  return typeof x === 'number' ? scalarTensor(x) : tensor(x);
}

type Binary = 'add' | 'sub' | 'mul' | 'div';

/** Elementwise binary op with NumPy broadcasting (the kernel reads broadcast operands in place, no copies). */
function binary(op: Binary, a: TensorLike, b: TensorLike): Tensor {
  return apply(op, [asTensor(a), asTensor(b)], {});
}

/** a + b (broadcasting). */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
/** a − b (broadcasting). */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
/** a · b elementwise (broadcasting). */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
/** a / b elementwise (broadcasting). */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
/** y = x with its own storage, recorded (torch's clone): gradients pass straight through. */
export const identity = (x: TensorLike): Tensor => apply('identity', [asTensor(x)], { copy: true });
/** −x. */
export const neg = (x: TensorLike): Tensor => apply('neg', [asTensor(x)], {});

/**
 * x^p for a number or a tensor exponent (broadcasting like mul). Values and derivatives follow
 * torch: (−2)^2 = 4, x^0 = 1, 1^p = 1; d/dx = p·x^(p−1) (0 where p = 0), d/dp = x^p·log x (0 at x = 0
 * for p ≥ 0, NaN for negative x).
 */
export function pow(x: TensorLike, p: number | Tensor): Tensor {
  if (p instanceof Tensor) return apply('powTensor', [asTensor(x), p], {});
  return apply('pow', [asTensor(x)], { p });
}
/** x². */
export const square = (x: TensorLike): Tensor => pow(x, 2);
/** eˣ. */
export const exp = (x: TensorLike): Tensor => apply('exp', [asTensor(x)], {});
/** ln x. */
export const log = (x: TensorLike): Tensor => apply('log', [asTensor(x)], {});
/** ln(1 + x), accurate for small x. */
export const log1p = (x: TensorLike): Tensor => apply('log1p', [asTensor(x)], {});
/** √x. */
export const sqrt = (x: TensorLike): Tensor => apply('sqrt', [asTensor(x)], {});
/** tanh x. */
export const tanh = (x: TensorLike): Tensor => apply('tanh', [asTensor(x)], {});
/** σ(x) = 1 / (1 + e^{−x}). */
export const sigmoid = (x: TensorLike): Tensor => apply('sigmoid', [asTensor(x)], {});
/** softplus(x) = ln(1 + eˣ). */
export const softplus = (x: TensorLike): Tensor => apply('softplus', [asTensor(x)], {});
/** sin x. */
export const sin = (x: TensorLike): Tensor => apply('sin', [asTensor(x)], {});
/** cos x. */
export const cos = (x: TensorLike): Tensor => apply('cos', [asTensor(x)], {});
/** |x| (derivative sign x, 0 at 0 like torch). */
export const abs = (x: TensorLike): Tensor => apply('abs', [asTensor(x)], {});
/** sign x ∈ {−1, 0, 1} (derivative 0). */
export const sign = (x: TensorLike): Tensor => apply('sign', [asTensor(x)], {});
/** relu(x) = max(x, 0) (relu(−∞) = 0; derivative 0 at x = 0, like torch). */
export const relu = (x: TensorLike): Tensor => apply('relu', [asTensor(x)], {});

/** Σ x over all elements (→ 0-d), or over `dim` (an axis or a list), keeping the reduced axes as size 1 with keepdim. */
export function sum(x: TensorLike, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  const t = asTensor(x);
  if ((dim === undefined || dim === null) && !keepdim) return apply('sum', [t], {});
  const axes = normAxes('sum', dim, t.ndim);
  const kept = t.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const s = sameShape(kept, t.shape) ? t : apply('sumTo', [t], { shape: kept });
  return keepdim ? s : reshape(s, t.shape.filter((_, i) => !axes.includes(i)));
}
/** (1/n) Σ x over all elements, or over `dim` (an axis or a list), n the number of entries summed. */
export function mean(x: TensorLike, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  const t = asTensor(x);
  const n = normAxes('mean', dim, t.ndim).reduce((acc, a) => acc * t.shape[a], 1);
  return div(sum(t, dim, keepdim), n);
}
function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis)) throw new Error(`${op}: axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + ndim : axis;
  if (!(a >= 0 && a < ndim)) throw new Error(`${op}: axis ${axis} out of range for a ${ndim}-d tensor`);
  return a;
}

/** Σ_shape: sum broadcast axes away so the result has `shape`. */
export const sumTo = (x: TensorLike, shape: Shape): Tensor => {
  const t = asTensor(x);
  return sameShape(t.shape, shape) ? t : apply('sumTo', [t], { shape: [...shape] });
};
/** Repeat x along broadcast axes to `shape` (NumPy rules). */
export const broadcastTo = (x: TensorLike, shape: Shape): Tensor => {
  const t = asTensor(x);
  return sameShape(t.shape, shape) ? t : apply('broadcastTo', [t], { shape: [...shape] });
};
/** Same values in a new shape (−1 infers one dimension). */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const t = asTensor(x);
  const s = [...shape];
  let k = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === -1) {
      if (k >= 0) throw reshapeError(t, s, 'only one dimension can be -1');
      k = i;
    } else if (!Number.isInteger(s[i]) || s[i] < 0) throw reshapeError(t, s, `dimension ${s[i]} is not a non-negative integer (or -1)`);
  }
  if (k >= 0) {
    const rest = -sizeOf(s);
    if (rest === 0 || t.size % rest !== 0) throw reshapeError(t, s, `${t.size} elements cannot fill a -1 dimension alongside ${rest}`);
    s[k] = t.size / rest;
  }
  return apply('reshape', [t], { shape: s });
}

const reshapeError = (t: Tensor, s: Shape, why: string): Error => shapeError('reshape', t.shape, s, `do not match: ${why}`);

/** aᵀb = Σᵢ aᵢbᵢ for two vectors. */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  if (x.ndim !== 1 || y.ndim !== 1 || x.size !== y.size) throw new Error(`dot: shapes ${showShape(x.shape)} and ${showShape(y.shape)} do not match (need two vectors of equal length)`);
  return sum(mul(x, y));
}
/** A·B with NumPy matmul semantics for 1-D and 2-D operands (vector·vector = dot). */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  if (x.ndim === 1 && y.ndim === 1) return dot(x, y);
  if (x.ndim === 2 && y.ndim === 2) return apply('matmul', [x, y], { ta: false, tb: false });
  if (x.ndim === 2 && y.ndim === 1) {
    if (x.shape[1] !== y.shape[0]) throw new Error(`matmul: shapes ${showShape(x.shape)} and ${showShape(y.shape)} are not aligned`);
    return reshape(apply('matmul', [x, reshape(y, [y.size, 1])], { ta: false, tb: false }), [x.shape[0]]);
  }
  if (x.ndim === 1 && y.ndim === 2) {
    if (x.shape[0] !== y.shape[0]) throw new Error(`matmul: shapes ${showShape(x.shape)} and ${showShape(y.shape)} are not aligned`);
    // x as a 1×n row: the kernel then streams rows of B contiguously.
    return reshape(apply('matmul', [reshape(x, [1, x.size]), y], { ta: false, tb: false }), [y.shape[1]]);
  }
  throw new Error(`matmul: shapes ${showShape(x.shape)} and ${showShape(y.shape)} are not supported (1-D or 2-D only)`);
}
/** Matrix·matrix product (2-D only). */
export function mm(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  if (x.ndim !== 2 || y.ndim !== 2) throw new Error(`mm: shapes ${showShape(x.shape)} and ${showShape(y.shape)} must both be 2-D`);
  return matmul(x, y);
}
/** Matrix·vector product. */
export function mv(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a);
  const y = asTensor(b);
  if (x.ndim !== 2 || y.ndim !== 1) throw new Error(`mv: shapes ${showShape(x.shape)} and ${showShape(y.shape)} must be 2-D and 1-D`);
  return matmul(x, y);
}
/** Aᵀ (2-D). */
export const transpose = (x: TensorLike): Tensor => apply('transpose', [asTensor(x)], {});

/** x[start:end] along axis 0 with Python semantics (negative indices count from the end). */
export function slice(x: TensorLike, start = 0, end?: number): Tensor {
  const t = asTensor(x);
  if (t.ndim === 0) throw new Error('slice: cannot slice a 0-d tensor');
  if (!Number.isInteger(start)) throw new Error(`slice: start must be an integer, got ${start}`);
  if (end !== undefined && !Number.isInteger(end)) throw new Error(`slice: end must be an integer, got ${end}`);
  const n = t.shape[0];
  const s = clampIndex(start, n);
  const e = Math.max(s, end === undefined ? n : clampIndex(end, n));
  return apply('slice', [t], { start: s, end: e });
}
/** A Python index into a length-n axis, clamped to 0…n. */
const clampIndex = (i: number, n: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
/** Zero rows before and after along axis 0 (adjoint of slice). */
export function pad(x: TensorLike, before: number, after: number): Tensor {
  for (const [name, v] of [['before', before], ['after', after]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`pad: ${name} must be a non-negative integer, got ${v}`);
  }
  return apply('pad', [asTensor(x)], { before, after });
}
/** Concatenate along axis 0. */
export const concat = (xs: readonly TensorLike[]): Tensor => apply('concat', xs.map(asTensor), {});

/** x[i] (a row, or 0-d for a vector); x[i, j, ...] for several indices. Negative i counts from the end. */
export function at(x: TensorLike, ...index: number[]): Tensor {
  let t = asTensor(x);
  if (index.length === 0) return t;
  if (index.length > t.ndim) throw new Error(`at: too many indices (${index.length}) for shape ${showShape(t.shape)}`);
  for (const i0 of index) {
    if (!Number.isInteger(i0)) throw new Error(`at: index must be an integer, got ${i0}`);
    const n = t.shape[0];
    const i = i0 < 0 ? i0 + n : i0;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`at: index ${i0} out of bounds for shape ${showShape(t.shape)}`);
    t = reshape(apply('slice', [t], { start: i, end: i + 1 }), t.shape.slice(1));
  }
  return t;
}

/** [a ⋈ b] ∈ {0, 1} elementwise with broadcasting (NaN compares false, except for 'ne'); derivative 0. */
export const compare = (a: TensorLike, b: TensorLike, kind: CompareKind): Tensor => apply('compare', [asTensor(a), asTensor(b)], { kind });
/** [a = b] as 0/1. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'eq');
/** [a ≠ b] as 0/1. */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ne');
/** [a > b] as 0/1. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'gt');
/** [a ≥ b] as 0/1. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'ge');
/** [a < b] as 0/1. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'lt');
/** [a ≤ b] as 0/1. */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, 'le');

/** where(c, a, b) = a where c ≠ 0, else b (all three broadcast); the gradient flows to the branch taken. */
export const where = (condition: TensorLike, a: TensorLike, b: TensorLike): Tensor => apply('where', [asTensor(condition), asTensor(a), asTensor(b)], {});
/** max(a, b) elementwise (torch.maximum): at a tie each side gets half the gradient; NaN propagates. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => apply('maximum', [asTensor(a), asTensor(b)], {});
/** min(a, b) elementwise (torch.minimum): at a tie each side gets half the gradient; NaN propagates. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => apply('minimum', [asTensor(a), asTensor(b)], {});

/** min(max(x, lo), hi) (torch.clamp; either bound may be null); gradient 1 where lo ≤ x ≤ hi (bounds included), else 0. */
export function clamp(x: TensorLike, min: number | null = null, max: number | null = null): Tensor {
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (v !== null && (typeof v !== 'number' || Number.isNaN(v))) throw new Error(`clamp: ${name} must be a number or null, got ${String(v)}`);
  }
  if (min === null && max === null) throw new Error('clamp: at least one of min and max must be given');
  return apply('clamp', [asTensor(x)], { min, max });
}

/** Axes as a sorted list of non-negative integers (all axes for undefined/null). */
export function normAxes(op: string, dim: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === 'number' ? [dim] : [...dim];
  const axes = list.map((a) => normAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length) throw new Error(`${op}: dimension listed twice in [${list.join(', ')}]`);
  return axes.sort((a, b) => a - b);
}
/** Drop the size-1 axes `axes` from a kept-dims result unless keepdim. */
function squeezeAxes(t: Tensor, axes: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? t : reshape(t, t.shape.filter((_, i) => !axes.includes(i)));
}

/** Largest entry over `dim` (all by default; torch.amax): ties share the gradient evenly. */
export function amax(x: TensorLike, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  const t = asTensor(x);
  const axes = normAxes('amax', dim, t.ndim);
  return squeezeAxes(apply('amax', [t], { axes, kind: 'max' }), axes, keepdim);
}
/** Smallest entry over `dim` (torch.amin): ties share the gradient evenly. */
export function amin(x: TensorLike, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  const t = asTensor(x);
  const axes = normAxes('amin', dim, t.ndim);
  return squeezeAxes(apply('amax', [t], { axes, kind: 'min' }), axes, keepdim);
}
/** Index of the first largest entry along `dim` (of the flattened tensor without dim), as a float tensor. */
export function argmax(x: TensorLike, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmax', 'max', x, dim, keepdim);
}
/** Index of the first smallest entry along `dim` (of the flattened tensor without dim). */
export function argmin(x: TensorLike, dim?: number, keepdim = false): Tensor {
  return argExtreme('argmin', 'min', x, dim, keepdim);
}
function argExtreme(op: string, kind: 'max' | 'min', x: TensorLike, dim: number | undefined, keepdim: boolean): Tensor {
  const t = asTensor(x);
  if (dim === undefined) return reshape(apply('argmax', [reshape(t, [t.size])], { axis: 0, kind }), []);
  const axis = normAxis(op, dim, t.ndim);
  return squeezeAxes(apply('argmax', [t], { axis, kind }), [axis], keepdim);
}

/** log Σ exp(x) over `dim` (torch.logsumexp), computed stably; its gradient is softmax(x). */
export function logsumexp(x: TensorLike, dim?: number | readonly number[] | null, keepdim = false): Tensor {
  const t = asTensor(x);
  const axes = normAxes('logsumexp', dim, t.ndim);
  return squeezeAxes(apply('logsumexp', [t], { axes }), axes, keepdim);
}

/** Index values of a tensor or array as Int32Array, each checked to be an integer in [0, size). */
export function indexValues(op: string, index: TensorLike, size: number, axis: number): { values: Int32Array; shape: number[] } {
  const t = asTensor(index);
  const values = new Int32Array(t.size);
  for (let k = 0; k < t.size; k++) {
    const v = t.data[k];
    if (!Number.isInteger(v)) throw new Error(`${op}: index values must be integers, got ${v}`);
    if (v < 0 || v >= size) throw new Error(`${op}: index ${v} is out of bounds for dimension ${axis} with size ${size}`);
    values[k] = v;
  }
  return { values, shape: [...t.shape] };
}

/** out[…i…] = x[…index[…i…]…] along `dim` (torch.gather); the gradient is scattered back (added at repeats). */
export function gather(x: TensorLike, dim: number, index: TensorLike): Tensor {
  const t = asTensor(x);
  const axis = normAxis('gather', dim, t.ndim);
  const { values, shape } = indexValues('gather', index, t.shape[axis], axis);
  return apply('gather', [t], { axis, index: values, indexShape: shape });
}

/** Values and first indices of the largest entries along a dim, as torch's `(values, indices)` pair. */
export type ValuesIndices = [Tensor, Tensor] & { values: Tensor; indices: Tensor };

/** 0, 1, …, n−1 laid out along `axis` of an ndim-dimensional tensor (size 1 elsewhere). */
function arangeAlong(n: number, axis: number, ndim: number): Tensor {
  const shape = Array.from({ length: ndim }, (_, i) => (i === axis ? n : 1));
  return new Tensor(Float64Array.from({ length: n }, (_, i) => i), shape);
}

/**
 * torch.max: max(x) is the largest entry (ties share the gradient evenly); max(x, dim, keepdim) is the
 * pair [values, indices] of the first largest entry along dim (the gradient goes to that entry only);
 * max(a, b) with a tensor b is maximum(a, b).
 */
export function max(x: TensorLike): Tensor;
export function max(x: TensorLike, other: Tensor): Tensor;
export function max(x: TensorLike, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: TensorLike, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return extremeOf('max', x, dim, keepdim);
}
/** torch.min, as max. */
export function min(x: TensorLike): Tensor;
export function min(x: TensorLike, other: Tensor): Tensor;
export function min(x: TensorLike, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: TensorLike, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return extremeOf('min', x, dim, keepdim);
}
function extremeOf(kind: 'max' | 'min', x: TensorLike, dim: number | Tensor | undefined, keepdim: boolean): Tensor | ValuesIndices {
  const t = asTensor(x);
  if (dim instanceof Tensor) return kind === 'max' ? maximum(t, dim) : minimum(t, dim);
  if (dim === undefined) return reshape(apply('amax', [t], { axes: normAxes(kind, null, t.ndim), kind }), []);
  const axis = normAxis(kind, dim, t.ndim);
  const idx = apply('argmax', [t], { axis, kind });
  const picked = where(eq(arangeAlong(t.shape[axis], axis, t.ndim), idx), t, 0);
  const values = squeezeAxes(apply('sumTo', [picked], { shape: idx.shape }), [axis], keepdim);
  const indices = squeezeAxes(idx, [axis], keepdim);
  return Object.assign([values, indices] as [Tensor, Tensor], { values, indices });
}

/** torch.index_select: the entries at positions `index` (a 1-D list) along `dim`. */
export function indexSelect(x: TensorLike, dim: number, index: TensorLike): Tensor {
  const t = asTensor(x);
  const axis = normAxis('indexSelect', dim, t.ndim);
  const { values } = indexValues('indexSelect', index, t.shape[axis], axis);
  if (asTensor(index).ndim > 1) throw new Error('indexSelect: index must be 1-D (or 0-d)');
  const shape = t.shape.map((d, i) => (i === axis ? values.length : d));
  const full = new Int32Array(sizeOf(shape));
  const inner = sizeOf(shape.slice(axis + 1));
  for (let k = 0; k < full.length; k++) full[k] = values[Math.floor(k / inner) % values.length];
  return apply('gather', [t], { axis, index: full, indexShape: shape });
}

/**
 * torch.cat: concatenate along `dim` (default 0). Axis 0 is one contiguous copy; other axes place each
 * tensor into its slot with a scatter-add, whose adjoint (a gather) slices the gradient back out.
 */
export function cat(xs: readonly TensorLike[], dim = 0): Tensor {
  const ts = xs.map(asTensor);
  if (ts.length === 0) throw new Error('cat: needs at least one tensor');
  const nd = ts[0].ndim;
  const axis = normAxis('cat', dim, nd);
  if (axis === 0) return apply('concat', ts, {});
  for (const t of ts) {
    if (t.ndim !== nd || t.shape.some((d, i) => i !== axis && d !== ts[0].shape[i])) throw shapeError('cat', ts[0].shape, t.shape, `cannot be concatenated along dimension ${axis}`);
  }
  const shape = ts[0].shape.map((d, i) => (i === axis ? ts.reduce((acc, t) => acc + t.shape[axis], 0) : d));
  let off = 0;
  let out: Tensor | null = null;
  for (const t of ts) {
    const inner = sizeOf(t.shape.slice(axis + 1));
    const index = Int32Array.from({ length: t.size }, (_, k) => off + (Math.floor(k / inner) % t.shape[axis]));
    const placed = apply('scatterAdd', [t], { axis, index, indexShape: t.shape, shape });
    out = out === null ? placed : add(out, placed);
    off += t.shape[axis];
  }
  return out!;
}

/** torch.stack: tensors of one shape stacked along a new axis `dim`. */
export function stack(xs: readonly TensorLike[], dim = 0): Tensor {
  const ts = xs.map(asTensor);
  if (ts.length === 0) throw new Error('stack: needs at least one tensor');
  for (const t of ts) if (!sameShape(t.shape, ts[0].shape)) throw shapeError('stack', ts[0].shape, t.shape, 'must be equal to stack');
  const a = dim < 0 ? dim + ts[0].ndim + 1 : dim;
  if (!Number.isInteger(a) || a < 0 || a > ts[0].ndim) throw new Error(`stack: dim ${dim} out of range for ${ts[0].ndim}-d tensors`);
  const shape = [...ts[0].shape.slice(0, a), 1, ...ts[0].shape.slice(a)];
  return cat(ts.map((t) => reshape(t, shape)), a);
}

/** Options of var and std (torch 1.13's `unbiased`, `keepdim`). */
export interface VarOptions {
  /** Divide by n − 1 (default true, Bessel's correction) instead of n. */
  unbiased?: boolean;
  /** Keep the reduced axes as size 1 (default false). */
  keepdim?: boolean;
}
/** Σ (x − mean)² / (n − 1) over `dim` (all by default), or / n with unbiased: false (torch.var). */
export function variance(x: TensorLike, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor {
  const o = readOptions('var', options, { unbiased: null, keepdim: null });
  const unbiased = checkBoolean('var', 'unbiased', o.unbiased ?? true);
  const keepdim = checkBoolean('var', 'keepdim', o.keepdim ?? false);
  const t = asTensor(x);
  const n = normAxes('var', dim, t.ndim).reduce((acc, a) => acc * t.shape[a], 1);
  const d = sub(t, mean(t, dim, true));
  return div(sum(mul(d, d), dim, keepdim), unbiased ? n - 1 : n);
}
/** √var (torch.std), same options. */
export const std = (x: TensorLike, dim?: number | readonly number[] | null, options: VarOptions = {}): Tensor => sqrt(variance(x, dim, options));

/** torch.equal: same shape and the same values (NaN ≠ NaN). */
export function equal(a: TensorLike, b: TensorLike): boolean {
  const x = asTensor(a);
  const y = asTensor(b);
  return sameShape(x.shape, y.shape) && x.data.every((v, i) => v === y.data[i]);
}

/** torch.allclose's options (PyTorch's spellings; `equal_nan` also as `equalNan`). */
export interface AllcloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
  equal_nan?: boolean;
}
/** torch.allclose: |a − b| ≤ atol + rtol·|b| everywhere (broadcasting; defaults rtol 1e-5, atol 1e-8). */
export function allclose(a: TensorLike, b: TensorLike, options: AllcloseOptions = {}): boolean {
  const o = readOptions('allclose', options, { rtol: null, atol: null, equalNan: 'equal_nan' });
  const rtol = checkNumber('allclose', 'rtol', o.rtol ?? 1e-5, { min: 0 });
  const atol = checkNumber('allclose', 'atol', o.atol ?? 1e-8, { min: 0 });
  const equalNan = checkBoolean('allclose', 'equalNan', o.equalNan ?? false);
  const shape = broadcastShapes('allclose', asTensor(a).shape, asTensor(b).shape);
  const x = broadcastTo(a, shape);
  const y = broadcastTo(b, shape);
  return x.data.every((v, i) => {
    const w = y.data[i];
    if (Number.isNaN(v) || Number.isNaN(w)) return equalNan && Number.isNaN(v) && Number.isNaN(w);
    return v === w || Math.abs(v - w) <= atol + rtol * Math.abs(w);
  });
}
