/**
 * WebAssembly SIMD (f64x2) blocks of 8 for the blocked matmul kernels: the same products summed in the
 * same order as the JavaScript block8 (no fused multiply-add), two columns at a time, so the results
 * are bit for bit the same and about three times faster (docs/autodiff.md). WebAssembly reads only its
 * own memory, so a compiled program that uses it keeps its buffers in one arena: a WebAssembly.Memory
 * with the buffers as Float64Array views (the eager kernel copies its operands through a small one,
 * matmulStaged.ts). Operands outside the arena (a caller's output array) go through the JavaScript block8.
 */
import { block8, type Block8, type MatmulArgs } from './matmulKernels.ts';
import { SIMD_KERNELS_WASM_BASE64 } from './simdKernelsBytes.ts';
import { lazyModule } from './wasmModule.ts';

type B8x2 = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number,
  d0: number, d1: number, d2: number, d3: number, d4: number, d5: number, d6: number, d7: number,
  b: number, ldb: number, c0: number, c1: number, cnt: number, first: number) => void;
type B8x1 = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number,
  b: number, ldb: number, c0: number, cnt: number, first: number) => void;

/** Buffers in one WebAssembly memory, and the block of 8 that runs there. */
export interface SimdArena {
  /** A zeroed view of `len` doubles; the arena holds exactly the doubles it was made for. */
  alloc(len: number): Float64Array;
  readonly block8: Block8;
}

/** The largest arena made (doubles): past it, plain arrays and the JavaScript kernels. */
export const MAX_ARENA = 1 << 27;

/** The kernel module, compiled once; null where WebAssembly or its SIMD is unavailable. */
const simdModule = lazyModule(SIMD_KERNELS_WASM_BASE64);

/** Is the SIMD kernel usable here? */
export const simdAvailable = (): boolean => simdModule() !== null;

/**
 * The WebAssembly block: columns j0..j1 of rows i0 (and i1) in pairs, the odd last column by block8;
 * C[i, j] (+)= Σ_{t<8} A[i, p+t]·B[p+t, j] as block8 computes it. Falls back to block8 off the arena.
 */
function wasmBlock8(buffer: ArrayBuffer, b8x2: B8x2, b8x1: B8x1): Block8 {
  return (a: MatmulArgs, i0: number, i1: number, p: number, j0: number, j1: number, first: boolean): void => {
    const { A, si, sp, B, ldb, C, n } = a;
    if (B.buffer !== buffer || C.buffer !== buffer) { block8(a, i0, i1, p, j0, j1, first); return; }
    const even = (j1 - j0) & ~1;
    const q = i0 * si + p * sp;
    const bp = B.byteOffset + 8 * (p * ldb + j0);
    const f = first ? 1 : 0;
    if (i1 < 0) {
      b8x1(A[q], A[q + sp], A[q + 2 * sp], A[q + 3 * sp], A[q + 4 * sp], A[q + 5 * sp], A[q + 6 * sp], A[q + 7 * sp],
        bp, 8 * ldb, C.byteOffset + 8 * (i0 * n + j0), even, f);
    } else {
      const r = i1 * si + p * sp;
      b8x2(A[q], A[q + sp], A[q + 2 * sp], A[q + 3 * sp], A[q + 4 * sp], A[q + 5 * sp], A[q + 6 * sp], A[q + 7 * sp],
        A[r], A[r + sp], A[r + 2 * sp], A[r + 3 * sp], A[r + 4 * sp], A[r + 5 * sp], A[r + 6 * sp], A[r + 7 * sp],
        bp, 8 * ldb, C.byteOffset + 8 * (i0 * n + j0), C.byteOffset + 8 * (i1 * n + j0), even, f);
    }
    if (j0 + even < j1) block8(a, i0, i1, p, j0 + even, j1, first);
  };
}

/** An arena of `doubles` doubles with its own instance of the kernel module; null when unavailable or too large. */
export function simdArena(doubles: number): SimdArena | null {
  const mod = simdModule();
  if (mod === null || doubles > MAX_ARENA) return null;
  let memory: WebAssembly.Memory;
  let exports: { b8x2: B8x2; b8x1: B8x1 };
  try {
    memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((8 * doubles) / 65536)) });
    exports = new WebAssembly.Instance(mod, { env: { memory } }).exports as typeof exports;
  } catch {
    return null; // no address space or memory for another WebAssembly memory: plain arrays do the same work
  }
  const { b8x2, b8x1 } = exports;
  const buffer = memory.buffer;
  let used = 0;
  return {
    alloc(len: number): Float64Array {
      if (used + len > doubles) throw new Error(`simdArena: ${len} more doubles do not fit (${used} of ${doubles} used)`);
      const view = new Float64Array(buffer, 8 * used, len);
      used += len;
      return view;
    },
    block8: wasmBlock8(buffer, b8x2, b8x1),
  };
}
