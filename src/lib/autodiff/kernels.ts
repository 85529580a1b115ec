/**
 * Raw Float64Array kernels, one per primitive: shape inference (with errors
 * naming the operation and the shapes) and a loop that writes into a caller
 * supplied buffer, so the compiled tape can reuse buffers across calls.
 */
import { type ElementwiseOp, elementwise, type Scalar, scalarOf, wasmOf } from './elementwise.ts';
import { simdBinary, simdUnary } from './eagerArena.ts';
import { matmulEager } from './matmulStaged.ts';
import type { Attrs, Op } from './op.ts';
import { type Shape, sameShape, sizeOf, shapeError, showShape, broadcastsTo, broadcastShapes } from './shape.ts';

export interface Kernel<P extends Op> {
  shape(op: P, s: readonly Shape[], a: Attrs<P>): number[];
  run(x: readonly Float64Array[], s: readonly Shape[], a: Attrs<P>, out: Float64Array, os: Shape): void;
}

type A = Float64Array;

/** NumPy broadcasting of two operands (0-d and equal shapes are the common, fast cases). */
const broadcastPair = (op: string, s: readonly Shape[]): number[] => {
  const [a, b] = s;
  if (sameShape(a, b) || b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  return broadcastShapes(op, a, b);
};


/** out[i] = f(x[i]): one primitive's unary loop (each primitive runs its own copy: see elementwiseKernel). */
function unaryLoop(f: Scalar, x: A, o: A): void {
  for (let i = 0; i < o.length; i++) o[i] = f(x[i], 0);
}

/** out[i] = f(a[i], b[i]) for operands of the output's length or single values (false: a general broadcast). */
function binaryLoop(f: Scalar, a: A, b: A, o: A): boolean {
  const n = o.length;
  if (a.length === n && b.length === n) for (let i = 0; i < n; i++) o[i] = f(a[i], b[i]);
  else if (b.length === 1) { const c = b[0]; for (let i = 0; i < n; i++) o[i] = f(a[i], c); }
  else if (a.length === 1) { const c = a[0]; for (let i = 0; i < n; i++) o[i] = f(c, b[i]); }
  else return false;
  return true;
}

/**
 * A copy of a self-contained loop function with code of its own, so that its call of `f` sees one
 * primitive's scalar function and is inlined (a loop shared by all primitives calls many functions
 * and is several times slower). Falls back to the shared function where code generation is
 * unavailable or the copy does not reproduce `check`. The source names `owner`: V8 caches compiled
 * sources, and copies made from one identical string would share their call feedback again.
 */
function ownCopy<F extends (...args: never[]) => unknown>(owner: string, fn: F, check: (g: F) => boolean): F {
  try {
    const g: F = new Function(`// ${owner}\nreturn ${fn.toString()}`)();
    if (check(g)) return g;
  } catch {
    // No eval (Content-Security-Policy): the shared loop gives the same values, more slowly.
  }
  return fn;
}

const probe = (x: number, y: number): number => 2 * x + y;
const unaryWorks = (g: typeof unaryLoop): boolean => { const o = new Float64Array(2); g(probe, Float64Array.of(1, 2), o); return o[0] === 2 && o[1] === 4; };
const binaryWorks = (g: typeof binaryLoop): boolean => { const o = new Float64Array(2); return g(probe, Float64Array.of(1, 2), Float64Array.of(3), o) && o[0] === 5 && o[1] === 7; };

/**
 * The eager kernel of an elementwise primitive: its table entry's scalar function in a loop of its own, or its
 * WebAssembly form two lanes at a time when the operands live in the eager arena (eagerArena.ts).
 */
function elementwiseKernel<P extends ElementwiseOp>(op: P): Kernel<P> {
  if (elementwise[op].arity === 1) {
    let loop: typeof unaryLoop | null = null;
    return {
      shape: (_op, s) => [...s[0]],
      run(x, _s, a, o) {
        const w = wasmOf(op, a);
        if (w !== null && simdUnary(w, x[0], o)) return;
        (loop ??= ownCopy(op, unaryLoop, unaryWorks))(scalarOf(op, a), x[0], o);
      },
    };
  }
  let loop: typeof binaryLoop | null = null;
  return {
    shape: (name, s) => broadcastPair(name, s),
    run([a, b], s, attrs, o, os) {
      const w = wasmOf(op, attrs);
      if (w !== null && simdBinary(w, a, b, o)) return;
      const f = scalarOf(op, attrs);
      if (!(loop ??= ownCopy(op, binaryLoop, binaryWorks))(f, a, b, o)) broadcastBinary(a, s[0], b, s[1], o, os, f);
    },
  };
}

const elementwiseKernels = Object.fromEntries(
  (Object.keys(elementwise) as ElementwiseOp[]).map((op) => [op, elementwiseKernel(op)]),
) as { [P in ElementwiseOp]: Kernel<P> };

/**
 * out[k] = f(a[ia], b[ib]) over the broadcast index space (operands read in place through
 * zero strides on broadcast axes: no broadcast copy is materialised).
 */
function broadcastBinary(a: A, as: Shape, b: A, bs: Shape, o: A, os: Shape, f: (x: number, y: number) => number): void {
  const sa = bcastStrides(as, os);
  const sb = bcastStrides(bs, os);
  const nd = os.length;
  const idx = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let k = 0; k < o.length; k++) {
    o[k] = f(a[ia], b[ib]);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < os[d]) break;
      ia -= sa[d] * os[d];
      ib -= sb[d] * os[d];
      idx[d] = 0;
    }
  }
}

const rowSize = (s: Shape): number => sizeOf(s.slice(1));

/** Strides of `from` aligned to `to` for broadcasting (0 on broadcast axes). */
function bcastStrides(from: Shape, to: Shape): number[] {
  const off = to.length - from.length;
  const st = new Array<number>(to.length).fill(0);
  let acc = 1;
  for (let i = from.length - 1; i >= 0; i--) {
    st[i + off] = from[i] === 1 ? 0 : acc;
    acc *= from[i];
  }
  return st;
}

/** Visit every index of `big`, calling f(flat index in big, flat index in small broadcast). */
function forBroadcast(small: Shape, big: Shape, f: (bi: number, si: number) => void): void {
  const st = bcastStrides(small, big);
  const nd = big.length;
  const idx = new Array<number>(nd).fill(0);
  const n = sizeOf(big);
  let si = 0;
  for (let bi = 0; bi < n; bi++) {
    f(bi, si);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      si += st[d];
      if (idx[d] < big[d]) break;
      si -= st[d] * big[d];
      idx[d] = 0;
    }
  }
}

/**
 * Two vector-matrix products sharing B ([r, c], row-major) in one pass over B:
 * cx = x·B (x has length r, cx length c) and cy = y·Bᵀ = B·y (y has length c, cy length r).
 * B is the large operand, so reading it once instead of twice saves about a quarter of the time.
 */
export function matvecPair(B: A, r: number, c: number, x: A, cx: A, y: A, cy: A): void {
  cx.fill(0);
  let p = 0;
  for (; p + 3 < r; p += 4) {
    const x0 = x[p], x1 = x[p + 1], x2 = x[p + 2], x3 = x[p + 3];
    const r0 = p * c, r1 = r0 + c, r2 = r1 + c, r3 = r2 + c;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < c; j++) {
      const b0 = B[r0 + j], b1 = B[r1 + j], b2 = B[r2 + j], b3 = B[r3 + j];
      cx[j] += x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
      const yj = y[j];
      s0 += b0 * yj;
      s1 += b1 * yj;
      s2 += b2 * yj;
      s3 += b3 * yj;
    }
    cy[p] = s0;
    cy[p + 1] = s1;
    cy[p + 2] = s2;
    cy[p + 3] = s3;
  }
  for (; p < r; p++) {
    const xp = x[p];
    const rp = p * c;
    let s = 0;
    for (let j = 0; j < c; j++) {
      const b = B[rp + j];
      cx[j] += xp * b;
      s += b * y[j];
    }
    cy[p] = s;
  }
}

/** Row-major strides of a shape. */
function stridesOf(s: Shape): number[] {
  const st = new Array<number>(s.length);
  let acc = 1;
  for (let i = s.length - 1; i >= 0; i--) { st[i] = acc; acc *= s[i]; }
  return st;
}

/** The shape with every axis in `axes` reduced to size 1. */
export function keptShape(s: Shape, axes: readonly number[]): number[] {
  return s.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** out[k] = c[k] ≠ 0 ? a[k] : b[k] over the broadcast of three operands. */
function where3(c: A, cs: Shape, a: A, as: Shape, b: A, bs: Shape, o: A, os: Shape): void {
  const sc = bcastStrides(cs, os), sa = bcastStrides(as, os), sb = bcastStrides(bs, os);
  const nd = os.length;
  const idx = new Array<number>(nd).fill(0);
  let ic = 0, ia = 0, ib = 0;
  for (let k = 0; k < o.length; k++) {
    o[k] = c[ic] !== 0 ? a[ia] : b[ib];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++; ic += sc[d]; ia += sa[d]; ib += sb[d];
      if (idx[d] < os[d]) break;
      ic -= sc[d] * os[d]; ia -= sa[d] * os[d]; ib -= sb[d] * os[d];
      idx[d] = 0;
    }
  }
}

/** Reduce x over `axes` into o (kept shape): max or min, NaN-propagating. */
function reduceExtreme(x: A, s: Shape, axes: readonly number[], kind: 'max' | 'min', o: A): void {
  o.fill(kind === 'max' ? -Infinity : Infinity);
  const better = kind === 'max' ? (v: number, c: number) => v > c : (v: number, c: number) => v < c;
  forBroadcast(keptShape(s, axes), s, (bi, si) => {
    const v = x[bi];
    const c = o[si];
    if (c === c && (v !== v || better(v, c))) o[si] = v;
  });
}

/**
 * Visit every element of an index tensor (shape `is`) with the flat offset of the element it names in a
 * tensor of shape `xs` along `axis`: f(k, flat offset in x).
 */
function forIndexed(index: Int32Array, is: Shape, xs: Shape, axis: number, f: (k: number, xi: number) => void): void {
  const xst = stridesOf(xs);
  const nd = is.length;
  const idx = new Array<number>(nd).fill(0);
  for (let k = 0; k < index.length; k++) {
    let off = 0;
    for (let d = 0; d < nd; d++) off += (d === axis ? index[k] : idx[d]) * xst[d];
    f(k, off);
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d] < is[d]) break;
      idx[d] = 0;
    }
  }
}

/** Shape check for gather/scatterAdd: the index has x's rank and fits inside x off the axis. */
function indexShapeCheck(op: string, xs: Shape, is: Shape, axis: number): void {
  if (is.length !== xs.length) throw shapeError(op, xs, is, 'must have the same number of dimensions (input and index)');
  for (let d = 0; d < xs.length; d++) if (d !== axis && is[d] > xs[d]) throw shapeError(op, xs, is, `do not fit: index size ${is[d]} > input size ${xs[d]} in dimension ${d}`);
}

const selectKernels = {
  where: {
    shape: (op, s) => broadcastShapes(op, broadcastShapes(op, s[0], s[1]), s[2]),
    run([c, a, b], s, _a, o, os) { where3(c, s[0], a, s[1], b, s[2], o, os); },
  } as Kernel<'where'>,
  amax: {
    shape(op, [s], { axes }) {
      for (const a of axes) if (s[a] === 0) throw new Error(`${op}: cannot reduce over dimension ${a} of size 0 (shape ${showShape(s)})`);
      return keptShape(s, axes);
    },
    run([x], [s], { axes, kind }, o) { reduceExtreme(x, s, axes, kind, o); },
  } as Kernel<'amax'>,
  argmax: {
    shape(op, [s], { axis }) {
      if (s[axis] === 0) throw new Error(`${op}: cannot reduce over dimension ${axis} of size 0 (shape ${showShape(s)})`);
      return keptShape(s, [axis]);
    },
    run([x], [s], { axis, kind }, o) {
      const best = new Float64Array(o.length).fill(kind === 'max' ? -Infinity : Infinity);
      o.fill(0);
      const stride = stridesOf(s)[axis];
      const better = kind === 'max' ? (v: number, c: number) => v > c : (v: number, c: number) => v < c;
      forBroadcast(keptShape(s, [axis]), s, (bi, si) => {
        const v = x[bi];
        const c = best[si];
        if (c === c && (v !== v || better(v, c))) { best[si] = v; o[si] = Math.floor(bi / stride) % s[axis]; }
      });
    },
  } as Kernel<'argmax'>,
  logsumexp: {
    shape: (_op, [s], { axes }) => keptShape(s, axes),
    run([x], [s], { axes }, o) {
      // torch: m = amax(x), with ±∞ maxima replaced by 0; log Σ exp(x − m) + m.
      const m = new Float64Array(o.length);
      reduceExtreme(x, s, axes, 'max', m);
      for (let i = 0; i < m.length; i++) if (m[i] === Infinity || m[i] === -Infinity) m[i] = 0;
      o.fill(0);
      forBroadcast(keptShape(s, axes), s, (bi, si) => { o[si] += Math.exp(x[bi] - m[si]); });
      for (let i = 0; i < o.length; i++) o[i] = Math.log(o[i]) + m[i];
    },
  } as Kernel<'logsumexp'>,
  gather: {
    shape(op, [s], { axis, indexShape }) { indexShapeCheck(op, s, indexShape, axis); return [...indexShape]; },
    run([x], [s], { axis, index, indexShape }, o) { forIndexed(index, indexShape, s, axis, (k, xi) => { o[k] = x[xi]; }); },
  } as Kernel<'gather'>,
  scatterAdd: {
    shape(op, [s], { axis, indexShape, shape }) {
      if (!sameShape(s, indexShape)) throw shapeError(op, s, indexShape, 'must match (source and index)');
      indexShapeCheck(op, shape, indexShape, axis);
      return [...shape];
    },
    run([src], _s, { axis, index, indexShape, shape }, o) { o.fill(0); forIndexed(index, indexShape, shape, axis, (k, oi) => { o[oi] += src[k]; }); },
  } as Kernel<'scatterAdd'>,
};
export const kernels: { [P in Op]: Kernel<P> } = {
  ...selectKernels,
  ...elementwiseKernels,
  sum: {
    shape: () => [],
    run([x], _s, _a, o) { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; o[0] = s; },
  },
  sumTo: {
    shape(op, s, { shape }) {
      if (!broadcastsTo(shape, s[0])) throw shapeError(op, s[0], shape, 'cannot be summed to the second');
      return [...shape];
    },
    run([x], s, { shape }, o) {
      if (x.length === o.length) { o.set(x); return; }
      o.fill(0);
      if (o.length === 1) { let t = 0; for (let i = 0; i < x.length; i++) t += x[i]; o[0] = t; return; }
      forBroadcast(shape, s[0], (bi, si) => { o[si] += x[bi]; });
    },
  },
  broadcastTo: {
    shape(op, s, { shape }) {
      if (!broadcastsTo(s[0], shape)) throw shapeError(op, s[0], shape, 'cannot be broadcast to the second');
      return [...shape];
    },
    run([x], s, _a, o, os) {
      if (x.length === o.length) { o.set(x); return; }
      if (x.length === 1) { o.fill(x[0]); return; }
      forBroadcast(s[0], os, (bi, si) => { o[bi] = x[si]; });
    },
  },
  reshape: {
    shape(op, s, { shape }) {
      if (sizeOf(shape) !== sizeOf(s[0])) throw shapeError(op, s[0], shape, 'have different sizes');
      return [...shape];
    },
    run([x], _s, _a, o) { o.set(x); },
  },
  matmul: {
    shape(op, [a, b], { ta, tb }) {
      if (a.length !== 2 || b.length !== 2) throw shapeError(op, a, b, 'must both be 2-D');
      const [m, k] = ta ? [a[1], a[0]] : [a[0], a[1]];
      const [k2, n] = tb ? [b[1], b[0]] : [b[0], b[1]];
      if (k !== k2) throw shapeError(op, ta ? [a[1], a[0]] : a, tb ? [b[1], b[0]] : b, 'are not aligned');
      return [m, n];
    },
    run([A, B], [as, bs], { ta, tb }, C, [m, n]) { matmulEager(A, B, C, { ta, tb, as, bs, m, n }); },
  },
  transpose: {
    shape(op, [s]) {
      if (s.length !== 2) throw new Error(`${op}: expected a 2-D tensor, got shape ${showShape(s)}`);
      return [s[1], s[0]];
    },
    run([x], [[m, n]], _a, o) {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) o[j * m + i] = x[i * n + j];
    },
  },
  slice: {
    shape(op, [s], { start, end }) {
      if (s.length === 0) throw new Error(`${op}: cannot slice a 0-d tensor`);
      if (!(start >= 0 && end <= s[0] && start <= end)) throw new Error(`${op}: range ${start}:${end} out of bounds for shape ${showShape(s)}`);
      return [end - start, ...s.slice(1)];
    },
    run([x], [s], { start, end }, o) {
      const r = rowSize(s);
      o.set(x.subarray(start * r, end * r));
    },
  },
  pad: {
    shape(op, [s], { before, after }) {
      if (s.length === 0) throw new Error(`${op}: cannot pad a 0-d tensor`);
      return [s[0] + before + after, ...s.slice(1)];
    },
    run([x], [s], { before }, o) {
      const r = rowSize(s);
      o.fill(0, 0, before * r);
      o.set(x, before * r);
      o.fill(0, before * r + x.length);
    },
  },
  concat: {
    shape(op, s) {
      if (s.length === 0) throw new Error(`${op}: needs at least one tensor`);
      const rest = s[0].slice(1);
      let rows = 0;
      for (const si of s) {
        if (si.length === 0 || !sameShape(si.slice(1), rest)) throw shapeError(op, s[0], si, 'cannot be concatenated along axis 0');
        rows += si[0];
      }
      return [rows, ...rest];
    },
    run(xs, _s, _a, o) {
      let off = 0;
      for (const x of xs) { o.set(x, off); off += x.length; }
    },
  },
};
