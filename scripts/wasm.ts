/**
 * Assembles src/lib/autodiff/simdKernels.wat with wabt and writes simdKernelsBytes.ts (the module as
 * base64, which the library instantiates). `npm run wasm` after editing the .wat; a unit test checks the two agree.
 */
import { writeFileSync } from 'node:fs';
import { assembleSimdKernels, SIMD_KERNELS_DIR } from './simdKernelsWasm.ts';

const bytes = await assembleSimdKernels();
const out = [
  '/**',
  ` * simdKernels.wat assembled (wabt, base64): two exported functions, b8x2 and b8x1, and an imported memory;`,
  ` * ${bytes.length} bytes. Written by \`npm run wasm\`; do not edit by hand.`,
  ' */',
  'export const SIMD_KERNELS_WASM_BASE64 =',
  `  '${bytes.toString('base64')}';`,
  '',
].join('\n');
writeFileSync(`${SIMD_KERNELS_DIR}/simdKernelsBytes.ts`, out);
console.log(`simdKernelsBytes.ts: ${bytes.length} bytes`);
