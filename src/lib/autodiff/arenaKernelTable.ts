/**
 * The eager arena's SIMD kernels, listed: for each WebAssembly form of the elementwise table, out = f(a) or
 * out = f(a, b) with both operands arrays, or one of them a single value; and the one-pass pullbacks
 * (pullbackTable.ts) whose every step is such a form. `npm run wasm` generates elementwiseKernels.wat from
 * this list; eagerArena.ts calls the kernels by these names.
 */
import { WASM_FORMS, type WasmForm } from './elementwise.ts';
import { operandsOf, PULLBACK_EXPRS, type PullbackExpr, type PullbackName } from './pullbackTable.ts';

/** An expression over named inputs (arrays or single values) and number constants. */
export type WasmExpr = number | string | readonly [WasmForm, ...WasmExpr[]];

export interface ArenaKernel {
  readonly name: string;
  /** Parameter order; `scalars` are passed as numbers, the others as byte offsets of arrays. */
  readonly inputs: readonly string[];
  readonly scalars: readonly string[];
  readonly expr: WasmExpr;
}

/**
 * The one-pass pullbacks (pullbackTable.ts) whose every operation has a WebAssembly form, with the one of x and
 * y each reads (the kernel's second array, `u`).
 */
export const ARENA_PULLBACKS: { readonly [P in PullbackName]?: { readonly reads: 'x' | 'y'; readonly expr: WasmExpr } } = Object.fromEntries(
  (Object.keys(PULLBACK_EXPRS) as PullbackName[]).flatMap((name) => {
    const expr = PULLBACK_EXPRS[name] as PullbackExpr;
    const reads = [...operandsOf(expr)].filter((v) => v !== 'g');
    const wasm = toWasm(expr, reads[0]);
    return reads.length === 1 && wasm !== null ? [[name, { reads: reads[0] as 'x' | 'y', expr: wasm }]] : [];
  }),
);

/** A pullback expression as a WebAssembly one (the operand `reads` renamed u), or null if some operation has no form. */
function toWasm(e: PullbackExpr, reads: string | undefined): WasmExpr | null {
  if (typeof e === 'number') return e;
  if (typeof e === 'string') return e === 'g' ? 'g' : e === reads ? 'u' : null;
  const [op, ...args] = e;
  if (!Object.hasOwn(WASM_FORMS, op)) return null;
  const parts = (args as PullbackExpr[]).map((a) => toWasm(a, reads));
  return parts.includes(null) ? null : ([op as WasmForm, ...(parts as WasmExpr[])] as const);
}

export type ArenaPullback = keyof typeof ARENA_PULLBACKS;

const forms = Object.keys(WASM_FORMS) as WasmForm[];

/** Every kernel: `<form>` (unary), `<form>_vv`, `<form>_vs`, `<form>_sv` (binary), `pullback_<name>`. */
export const ARENA_KERNELS: readonly ArenaKernel[] = [
  ...forms.filter((f) => WASM_FORMS[f] === 1).map((f) => ({ name: f, inputs: ['a'], scalars: [], expr: [f, 'a'] as const })),
  ...forms.filter((f) => WASM_FORMS[f] === 2).flatMap((f) => [
    { name: `${f}_vv`, inputs: ['a', 'b'], scalars: [], expr: [f, 'a', 'b'] as const },
    { name: `${f}_vs`, inputs: ['a', 'b'], scalars: ['b'], expr: [f, 'a', 'b'] as const },
    { name: `${f}_sv`, inputs: ['a', 'b'], scalars: ['a'], expr: [f, 'a', 'b'] as const },
  ]),
  ...(Object.keys(ARENA_PULLBACKS) as ArenaPullback[]).map((p) => ({ name: `pullback_${p}`, inputs: ['g', 'u'], scalars: [], expr: ARENA_PULLBACKS[p]!.expr })),
];
