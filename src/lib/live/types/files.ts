/**
 * What the type checker reads, bundled into its worker's chunk as text: the course library a listing may import
 * (the four barrels' folders and `show` with what it imports) and TypeScript's lib files for ES2022 in a worker.
 * Imported only by types.worker.ts (and the Node tests), so none of it ships before the reader asks for types.
 */

const library = import.meta.glob<string>(
  ['../../autodiff/**/*.ts', '../../optim/**/*.ts', '../../linalg/**/*.ts', '../../meta/**/*.ts', '../show.ts', '../plotSpec.ts', '../plotOptions.ts', '../closest.ts'],
  { query: '?raw', import: 'default', eager: true },
);

const libs = import.meta.glob<string>(
  [
    '/node_modules/typescript/lib/lib.{es5,decorators,decorators.legacy,webworker}.d.ts',
    '/node_modules/typescript/lib/lib.es20{15,16,17,18,19,20,21,22}.*d.ts',
    '!**/*.full.d.ts',
  ],
  { query: '?raw', import: 'default', eager: true },
);

/** The library's sources by path from the repository root (`/src/lib/autodiff/tensor.ts`). */
export function librarySources(): Record<string, string> {
  return Object.fromEntries(Object.entries(library).map(([k, v]) => [`/src/lib/${k.replace(/^\.\.\/\.\.\//, '').replace(/^\.\.\//, 'live/')}`, v]));
}

/** TypeScript's lib files by name (`lib.es5.d.ts`). */
export function tsLibs(): Record<string, string> {
  return Object.fromEntries(Object.entries(libs).map(([k, v]) => [k.slice(k.lastIndexOf('/') + 1), v]));
}
