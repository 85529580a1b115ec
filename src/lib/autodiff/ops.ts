/**
 * User-facing operations (free functions; Tensor methods delegate here).
 * Primitives go through apply(); derived operations are compositions of
 * primitives, so they get derivatives of every order for free.
 */
import { apply } from './apply';
import { type Shape, sameShape, shapeError, showShape, sizeOf } from './shape';
import { Tensor, tensor, type TensorLike } from './tensor';

/** Tensors pass through; numbers and arrays become constant tensors. */
export function asTensor(x: TensorLike): Tensor {
  return x instanceof Tensor ? x : tensor(x);
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

/** Σᵢ xᵢ (all elements → 0-d), or the sum over one axis. */
export function sum(x: TensorLike, axis?: number): Tensor {
  const t = asTensor(x);
  if (axis === undefined) return apply('sum', [t], {});
  const ax = normAxis('sum', axis, t.ndim);
  const kept = t.shape.map((d, i) => (i === ax ? 1 : d));
  return reshape(apply('sumTo', [t], { shape: kept }), t.shape.filter((_, i) => i !== ax));
}
/** (1/n) Σᵢ xᵢ over all elements, or over one axis. */
export function mean(x: TensorLike, axis?: number): Tensor {
  const t = asTensor(x);
  const n = axis === undefined ? t.size : t.shape[normAxis('mean', axis, t.ndim)];
  return div(sum(t, axis), n);
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
  const bad = (why: string): Error => shapeError('reshape', t.shape, s, `do not match: ${why}`);
  let k = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === -1) {
      if (k >= 0) throw bad('only one dimension can be -1');
      k = i;
    } else if (!Number.isInteger(s[i]) || s[i] < 0) throw bad(`dimension ${s[i]} is not a non-negative integer (or -1)`);
  }
  if (k >= 0) {
    const rest = -sizeOf(s);
    if (rest === 0 || t.size % rest !== 0) throw bad(`${t.size} elements cannot fill a -1 dimension alongside ${rest}`);
    s[k] = t.size / rest;
  }
  return apply('reshape', [t], { shape: s });
}

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
  const clamp = (i: number): number => Math.min(n, Math.max(0, i < 0 ? i + n : i));
  const s = clamp(start);
  const e = Math.max(s, end === undefined ? n : clamp(end));
  return apply('slice', [t], { start: s, end: e });
}
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
