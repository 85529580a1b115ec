import { describe, expect, it } from 'vitest';
import { SIMD_KERNELS_WASM_BASE64 } from '../../../src/lib/autodiff/simdKernelsBytes.ts';
import { assembleSimdKernels } from '../../../scripts/simdKernelsWasm.ts';

describe('simdKernelsBytes.ts', () => {
  it('is simdKernels.wat assembled: editing one without the other fails here (regenerate with npm run wasm)', async () => {
    expect((await assembleSimdKernels()).toString('base64')).toBe(SIMD_KERNELS_WASM_BASE64);
  });
});
