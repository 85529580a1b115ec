/**
 * The eager arena's SIMD kernels, listed: for each WebAssembly form of the elementwise table, out = f(a) or
 * out = f(a, b) with both operands arrays, or one of them a single value; and the one-pass pullbacks
 * (fusedPullbacks.ts) whose every step is such a form. `npm run wasm` generates elementwiseKernels.wat from
 * this list; eagerArena.ts calls the kernels by these names.
 */
import { WASM_FORMS, type WasmForm } from './elementwise.ts';

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
 * x̄ = g·f′ for the one-pass pullbacks, on g and `reads` (the node's input x or output y), in the order of the
 * composition fusedPullbacks.ts writes in JavaScript (a unit test checks the two agree bit for bit).
 */
export const PULLBACK_EXPRS = {
  // d x² = 2x dx: mul(g, mul(x, 2))
  square: { reads: 'x', expr: ['mul', 'g', ['mul', 'u', 2]] },
  // d tanh x = (1 − tanh² x) dx: mul(g, sub(1, pow(y, 2)))
  tanh: { reads: 'y', expr: ['mul', 'g', ['sub', 1, ['square', 'u']]] },
  // d σ(x) = σ(x)(1 − σ(x)) dx: mul(g, mul(y, sub(1, y)))
  sigmoid: { reads: 'y', expr: ['mul', 'g', ['mul', 'u', ['sub', 1, 'u']]] },
} as const satisfies Record<string, { reads: 'x' | 'y'; expr: WasmExpr }>;

export type ArenaPullback = keyof typeof PULLBACK_EXPRS;

const forms = Object.keys(WASM_FORMS) as WasmForm[];

/** Every kernel: `<form>` (unary), `<form>_vv`, `<form>_vs`, `<form>_sv` (binary), `pullback_<name>`. */
export const ARENA_KERNELS: readonly ArenaKernel[] = [
  ...forms.filter((f) => WASM_FORMS[f] === 1).map((f) => ({ name: f, inputs: ['a'], scalars: [], expr: [f, 'a'] as const })),
  ...forms.filter((f) => WASM_FORMS[f] === 2).flatMap((f) => [
    { name: `${f}_vv`, inputs: ['a', 'b'], scalars: [], expr: [f, 'a', 'b'] as const },
    { name: `${f}_vs`, inputs: ['a', 'b'], scalars: ['b'], expr: [f, 'a', 'b'] as const },
    { name: `${f}_sv`, inputs: ['a', 'b'], scalars: ['a'], expr: [f, 'a', 'b'] as const },
  ]),
  ...(Object.keys(PULLBACK_EXPRS) as ArenaPullback[]).map((p) => ({ name: `pullback_${p}`, inputs: ['g', 'u'], scalars: [], expr: PULLBACK_EXPRS[p].expr })),
];
