/**
 * C = op(A)·op(B) for the eager kernel: the shared kernels of matmulKernels.ts, with the blocks of 8 in
 * WebAssembly SIMD where that pays. WebAssembly reads only its own memory and eager operands are plain
 * arrays, so B and C pass through a small staging arena one tile of columns at a time: B[:, j0:j1] copied
 * in, the tile computed for blocks of rows, C's block copied out. Each element of C is the same sum in the
 * same order whatever the tiling, so the bits are those of the JavaScript kernels (matmulKernels.ts).
 */
import { matmul, matmulTiled, type MatmulShape } from './matmulKernels.ts';
import { type SimdArena, simdArena, simdAvailable } from './simdArena.ts';

/** Columns per staged tile (B's tile k × this, C's rows × this stay in cache). */
const STAGE_COLS = 512;
/** Rows of C per staged block: with k ≤ STAGE_MAX_K the arena never exceeds (256 + 64)·512 doubles (1.25 MiB; 160 KiB for a dense layer's k, m ≤ 32). */
const STAGE_ROWS = 64;
/** The largest inner dimension staged (B's tile is k × 512 doubles). */
const STAGE_MAX_K = 256;
/** Products smaller than this (m·k·n multiply-adds) stay in JavaScript: the copies and calls would not pay. */
const STAGE_MIN_WORK = 1 << 13;
/**
 * Least multiply-adds per staged double, m·k / (m + k): each double copied in or out serves that many
 * (6.4 for a dense layer's X·W and Xᵀ·G, 32·8 / 40; a matrix times a column, about 1, does not pay).
 */
const STAGE_MIN_REUSE = 4;

/** The staging arena and its two tiles (B's and C's), grown (up to STAGE_MAX_K and STAGE_ROWS rows) when a product needs more. */
let staging: { arena: SimdArena; Bt: Float64Array; Ct: Float64Array } | null = null;

/** A staging arena with room for k rows of B's tile and min(m, STAGE_ROWS) of C's (null where WebAssembly SIMD is unavailable). */
function stagingFor(k: number, m: number): typeof staging {
  const rowsB = Math.max(k, staging === null ? 0 : staging.Bt.length / STAGE_COLS);
  const rowsC = Math.max(Math.min(m, STAGE_ROWS), staging === null ? 0 : staging.Ct.length / STAGE_COLS);
  if (staging !== null && staging.Bt.length === rowsB * STAGE_COLS && staging.Ct.length === rowsC * STAGE_COLS) return staging;
  const arena = simdAvailable() ? simdArena((rowsB + rowsC) * STAGE_COLS) : null;
  if (arena === null) return null;
  staging = { arena, Bt: arena.alloc(rowsB * STAGE_COLS), Ct: arena.alloc(rowsC * STAGE_COLS) };
  return staging;
}

/** Would staging pay for this product: B not transposed, several columns, 8 ≤ k ≤ 256, enough work per staged double? */
export function stagedPays({ ta, tb, as, m, n }: MatmulShape): boolean {
  const k = ta ? as[0] : as[1];
  return !tb && n > 1 && k >= 8 && k <= STAGE_MAX_K && m * k * n >= STAGE_MIN_WORK && m * k >= STAGE_MIN_REUSE * (m + k);
}

/**
 * C = op(A)·op(B) (row-major operands; see matmulKernels.ts for the order of the sums), through the
 * staging arena's WebAssembly blocks when stagedPays: per tile of columns, B's tile copied in once, then
 * C's tile computed and copied out in blocks of rows. Otherwise the JavaScript kernels.
 */
export function matmulEager(A: Float64Array, B: Float64Array, C: Float64Array, shape: MatmulShape): void {
  const { ta, as, bs, m, n } = shape;
  const k = ta ? as[0] : as[1];
  const st = stagedPays(shape) ? stagingFor(k, m) : null;
  if (st === null) { matmul(A, B, C, shape); return; }
  const lda = as[1], ldb = bs[1];
  for (let j0 = 0; j0 < n; j0 += STAGE_COLS) {
    const w = Math.min(STAGE_COLS, n - j0);
    const Bt = st.Bt.subarray(0, k * w);
    for (let p = 0; p < k; p++) Bt.set(B.subarray(p * ldb + j0, p * ldb + j0 + w), p * w);
    for (let i0 = 0; i0 < m; i0 += STAGE_ROWS) {
      const r = Math.min(STAGE_ROWS, m - i0);
      const Ct = st.Ct.subarray(0, r * w);
      // op(A)'s rows i0 … i0 + r − 1: A[i·si + p·sp] from the block's first element on.
      const Ai = A.subarray(ta ? i0 : i0 * lda);
      matmulTiled({ A: Ai, si: ta ? 1 : lda, sp: ta ? lda : 1, B: Bt, ldb: w, C: Ct, m: r, k, n: w }, st.arena.block8);
      for (let i = 0; i < r; i++) C.set(Ct.subarray(i * w, i * w + w), (i0 + i) * n + j0);
    }
  }
}
