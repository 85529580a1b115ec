/**
 * Assembles src/lib/autodiff/compile/simdKernels.wat with wabt and writes simdKernelsBytes.ts (the module as
 * base64, which the library instantiates). `npm run wasm` after editing the .wat; a unit test checks the two agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

const dir = 'src/lib/autodiff/compile';
const wabt = await wabtInit();
const module = wabt.parseWat('simdKernels.wat', readFileSync(`${dir}/simdKernels.wat`, 'utf8'), { simd: true });
const bytes = Buffer.from(module.toBinary({}).buffer);
module.destroy();
const out = [
  '/**',
  ` * simdKernels.wat assembled (wabt, base64): two exported functions, b8x2 and b8x1, and an imported memory;`,
  ` * ${bytes.length} bytes. Written by \`npm run wasm\`; do not edit by hand.`,
  ' */',
  'export const SIMD_KERNELS_WASM_BASE64 =',
  `  '${bytes.toString('base64')}';`,
  '',
].join('\n');
writeFileSync(`${dir}/simdKernelsBytes.ts`, out);
console.log(`simdKernelsBytes.ts: ${bytes.length} bytes`);
