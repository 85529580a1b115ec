/**
 * C = op(A)·op(B), the matmul kernels of both executors (the eager `kernels.matmul` and the compiled
 * tape run the same functions). The order of the sums is fixed: C[i,j] = Σ_p op(A)[i,p]·op(B)[p,j] in
 * blocks of 8, then 4, then 1 products, each block summed left to right and added to the running sum,
 * the first block to 0 (as in a cleared C, so 0 + s keeps its sign of zero); a transposed B sums each
 * element left to right. Only the loops around the sums differ by shape, so every path gives the same
 * bits: columns in tiles that stay in the first-level cache while every row of C passes over them, two
 * rows of C per sweep so each load of B serves both, a transposed matrix times a column walked along
 * rows instead of down columns. `block8` can be swapped for the WebAssembly SIMD one (simdArena.ts).
 */

/** Columns per tile: 8 rows of B (or 32 of G) by this many columns stay in L1/L2 across the rows of C. */
const TILE = 512;

/** Runs one block of 8 products for rows i0 (and i1 ≥ 0) over columns j0..j1: block8 below, or the WebAssembly one. */
export type Block8 = (a: MatmulArgs, i0: number, i1: number, p: number, j0: number, j1: number, first: boolean) => void;

/** The operands of C = op(A)·B: op(A) is m×k (A[i,p] at i·si + p·sp), B is k×n row-major with row stride ldb. */
export interface MatmulArgs { A: Float64Array; si: number; sp: number; B: Float64Array; ldb: number; C: Float64Array; m: number; k: number; n: number }

/**
 * C[i, j0:j1] (+)= Σ over the block p0..p0+w−1 of A[i,p]·B[p,j] for w = 8, 4 or 1: the sum of the block's
 * products from left to right, added to C, or 0 + that sum for the first block (0 + s keeps the sign of
 * zero a cleared C would give). Two rows of C per call when i1 ≥ 0.
 */
export function block8(a: MatmulArgs, i0: number, i1: number, p: number, j0: number, j1: number, first: boolean): void {
  const { A, si, sp, B, ldb, C, n } = a;
  const q0 = i0 * si + p * sp;
  const a0 = A[q0], a1 = A[q0 + sp], a2 = A[q0 + 2 * sp], a3 = A[q0 + 3 * sp], a4 = A[q0 + 4 * sp], a5 = A[q0 + 5 * sp], a6 = A[q0 + 6 * sp], a7 = A[q0 + 7 * sp];
  const b0 = p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb, b5 = b4 + ldb, b6 = b5 + ldb, b7 = b6 + ldb;
  const c0 = i0 * n;
  if (i1 < 0) {
    if (first) for (let j = j0; j < j1; j++) C[c0 + j] = 0 + (a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j] + a4 * B[b4 + j] + a5 * B[b5 + j] + a6 * B[b6 + j] + a7 * B[b7 + j]);
    else for (let j = j0; j < j1; j++) C[c0 + j] += a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j] + a4 * B[b4 + j] + a5 * B[b5 + j] + a6 * B[b6 + j] + a7 * B[b7 + j];
    return;
  }
  const q1 = i1 * si + p * sp;
  const d0 = A[q1], d1 = A[q1 + sp], d2 = A[q1 + 2 * sp], d3 = A[q1 + 3 * sp], d4 = A[q1 + 4 * sp], d5 = A[q1 + 5 * sp], d6 = A[q1 + 6 * sp], d7 = A[q1 + 7 * sp];
  const c1 = i1 * n;
  if (first) {
    for (let j = j0; j < j1; j++) {
      const e0 = B[b0 + j], e1 = B[b1 + j], e2 = B[b2 + j], e3 = B[b3 + j], e4 = B[b4 + j], e5 = B[b5 + j], e6 = B[b6 + j], e7 = B[b7 + j];
      C[c0 + j] = 0 + (a0 * e0 + a1 * e1 + a2 * e2 + a3 * e3 + a4 * e4 + a5 * e5 + a6 * e6 + a7 * e7);
      C[c1 + j] = 0 + (d0 * e0 + d1 * e1 + d2 * e2 + d3 * e3 + d4 * e4 + d5 * e5 + d6 * e6 + d7 * e7);
    }
    return;
  }
  for (let j = j0; j < j1; j++) {
    const e0 = B[b0 + j], e1 = B[b1 + j], e2 = B[b2 + j], e3 = B[b3 + j], e4 = B[b4 + j], e5 = B[b5 + j], e6 = B[b6 + j], e7 = B[b7 + j];
    C[c0 + j] += a0 * e0 + a1 * e1 + a2 * e2 + a3 * e3 + a4 * e4 + a5 * e5 + a6 * e6 + a7 * e7;
    C[c1 + j] += d0 * e0 + d1 * e1 + d2 * e2 + d3 * e3 + d4 * e4 + d5 * e5 + d6 * e6 + d7 * e7;
  }
}

/** As block8 for a block of 4 products (one row). */
function block4(a: MatmulArgs, i: number, p: number, j0: number, j1: number, first: boolean): void {
  const { A, si, sp, B, ldb, C, n } = a;
  const q = i * si + p * sp;
  const a0 = A[q], a1 = A[q + sp], a2 = A[q + 2 * sp], a3 = A[q + 3 * sp];
  const b0 = p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  const c = i * n;
  for (let j = j0; j < j1; j++) C[c + j] = (first ? 0 : C[c + j]) + (a0 * B[b0 + j] + a1 * B[b1 + j] + a2 * B[b2 + j] + a3 * B[b3 + j]);
}

/** As block8 for a single product (one row). */
function block1(a: MatmulArgs, i: number, p: number, j0: number, j1: number, first: boolean): void {
  const { A, si, sp, B, ldb, C, n } = a;
  const ap = A[i * si + p * sp];
  const b = p * ldb;
  const c = i * n;
  for (let j = j0; j < j1; j++) C[c + j] = (first ? 0 : C[c + j]) + ap * B[b + j];
}

/** Rows i0 (and i1 ≥ 0) of C over columns j0..j1: the p-blocks of 8, then 4, then 1, in that order. */
function rowsOfTile(a: MatmulArgs, b8: Block8, i0: number, i1: number, j0: number, j1: number): void {
  const { k } = a;
  let p = 0;
  for (; p + 7 < k; p += 8) b8(a, i0, i1, p, j0, j1, p === 0);
  if (p === k) return;
  tail(a, i0, p, j0, j1);
  if (i1 >= 0) tail(a, i1, p, j0, j1);
}

/** Row i of C over columns j0..j1: the last k − p < 8 products, a block of 4 then single ones. */
function tail(a: MatmulArgs, i: number, p: number, j0: number, j1: number): void {
  for (; p + 3 < a.k; p += 4) block4(a, i, p, j0, j1, p === 0);
  for (; p < a.k; p++) block1(a, i, p, j0, j1, p === 0);
}

/**
 * C = op(A)·B, C[i,j] = Σ_p op(A)[i,p]·B[p,j] summed as an i-k-j loop over a cleared C would (blocks of 8,
 * 4, then 1 products, each block's sum added to C in turn), for B not transposed; columns in tiles, rows
 * of C two at a time. k = 0 gives zeros. `b8` runs the blocks of 8.
 */
export function matmulTiled(a: MatmulArgs, b8: Block8 = block8): void {
  const { m, n, k, C } = a;
  if (k === 0) { C.fill(0, 0, m * n); return; }
  for (let j0 = 0; j0 < n; j0 += TILE) {
    const j1 = Math.min(n, j0 + TILE);
    let i = 0;
    for (; i + 1 < m; i += 2) rowsOfTile(a, b8, i, i + 1, j0, j1);
    if (i < m) rowsOfTile(a, b8, i, -1, j0, j1);
  }
}

/**
 * c[i] = Σ_p A[p,i]·b[p] (Aᵀ·b, A row-major k×m): the sum over p in blocks of 8, 4, then 1 products
 * added to the running sum from 0, as matmulTiled sums it, but computed for all i at once block by
 * block, so A is read along its rows (contiguously) instead of down its columns.
 */
export function matvecTransposed(A: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, b8: Block8 = block8): void {
  const v: MatmulArgs = { A: b, si: 0, sp: 1, B: A, ldb: m, C: c, m: 1, k, n: m };
  if (k === 0) { c.fill(0, 0, m); return; }
  for (let j0 = 0; j0 < m; j0 += TILE) rowsOfTile(v, b8, 0, -1, j0, Math.min(m, j0 + TILE));
}

/**
 * c[i] = Σ_p A[i,p]·b[p] (A·b, A row-major m×k): each row's dot product in blocks of 8, 4, then 1
 * products added to the running sum from 0, the order of matmulTiled with one column.
 */
export function matvecRows(A: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number): void {
  for (let i = 0; i < m; i++) {
    const a = i * k;
    let s = 0;
    let p = 0;
    for (; p + 7 < k; p += 8) {
      const q = a + p;
      s += A[q] * b[p] + A[q + 1] * b[p + 1] + A[q + 2] * b[p + 2] + A[q + 3] * b[p + 3] +
        A[q + 4] * b[p + 4] + A[q + 5] * b[p + 5] + A[q + 6] * b[p + 6] + A[q + 7] * b[p + 7];
    }
    for (; p + 3 < k; p += 4) {
      const q = a + p;
      s += A[q] * b[p] + A[q + 1] * b[p + 1] + A[q + 2] * b[p + 2] + A[q + 3] * b[p + 3];
    }
    for (; p < k; p++) s += A[a + p] * b[p];
    c[i] = s;
  }
}

/** Scratch row for op(A)·Bᵀ with A transposed (grown once, reused: no allocation per call). */
let rowScratch = new Float64Array(0);

/**
 * C[i,j] = Σ_p op(A)[i,p]·B[j,p] (B transposed: its rows are contiguous), each sum from 0 left to right;
 * four rows of B per sweep share each load of A. A transposed row of A is gathered once into a scratch
 * row. k = 1 is an outer product: 0 + a·b, the sign of zero the sum from 0 gives.
 */
export function matmulBT(a: MatmulArgs): void {
  const { A, si, sp, B, ldb, C, m, k, n } = a;
  if (k === 1) {
    for (let i = 0; i < m; i++) { const ai = A[i * si]; for (let j = 0; j < n; j++) C[i * n + j] = 0 + ai * B[j * ldb]; }
    return;
  }
  if (sp !== 1 && rowScratch.length < k) rowScratch = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    let ai = i * si;
    let Ar = A;
    if (sp !== 1) {
      for (let p = 0; p < k; p++) rowScratch[p] = A[ai + p * sp];
      Ar = rowScratch;
      ai = 0;
    }
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const ap = Ar[ai + p];
        s0 += ap * B[b0 + p];
        s1 += ap * B[b1 + p];
        s2 += ap * B[b2 + p];
        s3 += ap * B[b3 + p];
      }
      C[i * n + j] = s0;
      C[i * n + j + 1] = s1;
      C[i * n + j + 2] = s2;
      C[i * n + j + 3] = s3;
    }
    for (; j < n; j++) {
      const bj = j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += Ar[ai + p] * B[bj + p];
      C[i * n + j] = s;
    }
  }
}

/** The flags and shapes of one product: op(A) = Aᵀ when ta, op(B) = Bᵀ when tb; C is m×n. */
export interface MatmulShape { ta: boolean; tb: boolean; as: readonly number[]; bs: readonly number[]; m: number; n: number }

/**
 * C = op(A)·op(B) (A of shape as, B of shape bs, both row-major): the kernel for the shape. B not
 * transposed: a column times rows (matvecRows), a transposed matrix times a column (matvecTransposed),
 * else the tiles (matmulTiled, its blocks of 8 by `b8`); B transposed: matmulBT.
 */
export function matmul(A: Float64Array, B: Float64Array, C: Float64Array, { ta, tb, as, bs, m, n }: MatmulShape, b8: Block8 = block8): void {
  const k = ta ? as[0] : as[1];
  const lda = as[1];
  const args: MatmulArgs = { A, si: ta ? 1 : lda, sp: ta ? lda : 1, B, ldb: bs[1], C, m, k, n };
  if (tb) matmulBT(args);
  else if (n > 1) matmulTiled(args, b8);
  else if (ta) matvecTransposed(A, B, C, m, k, b8);
  else matvecRows(A, B, C, m, k);
}
