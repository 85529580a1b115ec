/**
 * Assembles the library's WebAssembly with wabt: src/lib/autodiff/simdKernels.wat (the matmul blocks, written
 * by hand) into simdKernelsBytes.ts, and the eager arena's elementwise kernels, generated into
 * elementwiseKernels.wat (scripts/elementwiseWasm.ts), into elementwiseKernelsBytes.ts. Each bytes file holds
 * the module as base64, which the library instantiates. `npm run wasm` after editing; unit tests check the files agree.
 */
import { writeFileSync } from 'node:fs';
import { assembleSimdKernels, SIMD_KERNELS_DIR } from './simdKernelsWasm.ts';
import { assembleElementwiseKernels, ELEMENTWISE_WAT, elementwiseWat } from './elementwiseWasm.ts';

/** Write `file`, a module exporting the bytes as base64 under `name`, with a doc comment saying what they are. */
function writeBytes(file: string, name: string, what: string, bytes: Buffer): void {
  const doc = [`${what};`, `${bytes.length} bytes. Written by \`npm run wasm\`; do not edit by hand.`];
  writeFileSync(`${SIMD_KERNELS_DIR}/${file}`, ['/**', ...doc.map((l) => ` * ${l}`), ' */', `export const ${name} =`, `  '${bytes.toString('base64')}';`, ''].join('\n'));
  console.log(`${file}: ${bytes.length} bytes`);
}

writeBytes('simdKernelsBytes.ts', 'SIMD_KERNELS_WASM_BASE64', 'simdKernels.wat assembled (wabt, base64): two exported functions, b8x2 and b8x1, and an imported memory', await assembleSimdKernels());
writeFileSync(ELEMENTWISE_WAT, elementwiseWat());
writeBytes('elementwiseKernelsBytes.ts', 'ELEMENTWISE_KERNELS_WASM_BASE64', 'elementwiseKernels.wat assembled (wabt, base64): the eager arena\'s kernels (arenaKernelTable.ts) and an imported memory', await assembleElementwiseKernels());
