/**
 * Assembles the library's WebAssembly with wabt: src/lib/autodiff/simdKernels.wat (the matmul blocks, written
 * by hand) into simdKernelsBytes.ts, and the eager arena's elementwise kernels, generated into
 * elementwiseKernels.wat (scripts/elementwiseWasm.ts), into elementwiseKernelsBytes.ts. Each bytes file holds
 * the module as base64, which the library instantiates. `npm run wasm` after editing; unit tests check the files agree.
 */
import { writeFileSync } from 'node:fs';
import { assembleSimdKernels, SIMD_KERNELS_DIR } from './simdKernelsWasm.ts';
import { assembleElementwiseKernels, ELEMENTWISE_WAT, elementwiseWat } from './elementwiseWasm.ts';

/** A bytes module: the doc comment's lines, the export name, the bytes. */
function bytesModule(what: string[], name: string, bytes: Buffer): string {
  return ['/**', ...what.map((l) => ` * ${l}`), ' */', `export const ${name} =`, `  '${bytes.toString('base64')}';`, ''].join('\n');
}

const simd = await assembleSimdKernels();
writeFileSync(`${SIMD_KERNELS_DIR}/simdKernelsBytes.ts`, bytesModule([
  'simdKernels.wat assembled (wabt, base64): two exported functions, b8x2 and b8x1, and an imported memory;',
  `${simd.length} bytes. Written by \`npm run wasm\`; do not edit by hand.`,
], 'SIMD_KERNELS_WASM_BASE64', simd));
console.log(`simdKernelsBytes.ts: ${simd.length} bytes`);

writeFileSync(ELEMENTWISE_WAT, elementwiseWat());
const elementwise = await assembleElementwiseKernels();
writeFileSync(`${SIMD_KERNELS_DIR}/elementwiseKernelsBytes.ts`, bytesModule([
  'elementwiseKernels.wat assembled (wabt, base64): the eager arena\'s kernels (arenaKernelTable.ts) and an imported memory;',
  `${elementwise.length} bytes. Written by \`npm run wasm\`; do not edit by hand.`,
], 'ELEMENTWISE_KERNELS_WASM_BASE64', elementwise));
console.log(`elementwiseKernelsBytes.ts: ${elementwise.length} bytes`);
