/** simdKernels.wat assembled with wabt: the bytes `npm run wasm` writes into simdKernelsBytes.ts (and a test compares). */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

export const SIMD_KERNELS_DIR = 'src/lib/autodiff';

/** The WebAssembly module of `${SIMD_KERNELS_DIR}/simdKernels.wat` (SIMD enabled). */
export async function assembleSimdKernels(): Promise<Buffer> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('simdKernels.wat', readFileSync(`${SIMD_KERNELS_DIR}/simdKernels.wat`, 'utf8'), { simd: true });
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}
