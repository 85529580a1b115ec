import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';
import { describe, expect, it } from 'vitest';
import { SIMD_KERNELS_WASM_BASE64 } from '../../../src/lib/autodiff/compile/simdKernelsBytes.ts';

const watPath = 'src/lib/autodiff/compile/simdKernels.wat';

describe('simdKernelsBytes.ts', () => {
  it('is simdKernels.wat assembled: editing one without the other fails here (regenerate with npm run wasm)', async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat(watPath, readFileSync(watPath, 'utf8'), { simd: true });
    try {
      const { buffer } = module.toBinary({});
      expect(Buffer.from(buffer).toString('base64')).toBe(SIMD_KERNELS_WASM_BASE64);
    } finally {
      module.destroy();
    }
  });
});
