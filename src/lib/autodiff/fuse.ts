/**
 * Elementwise fusion for compiled tapes: a run of elementwise instructions of
 * the same length becomes one generated loop, so intermediates live in
 * registers instead of round-tripping through memory (the dominant cost at
 * n = 1e5). Falls back (returns null) where code generation is unavailable,
 * e.g. under a Content-Security-Policy without 'unsafe-eval'.
 */
import type { Attrs, Op } from './op';
import { sigmoidScalar, softplusScalar } from './kernels';

/** Primitives that act elementwise (broadcastTo only when it spreads a single value). */
export const elementwiseOps: ReadonlySet<Op> = new Set<Op>([
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'log', 'log1p', 'sqrt', 'tanh',
  'sigmoid', 'softplus', 'sin', 'cos', 'abs', 'sign', 'broadcastTo',
]);

export interface FusedInstr {
  op: Op;
  ins: number[];
  attrs: Attrs<Op>;
  out: number;
}

const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN);

/** Expression for one instruction; a, b are operand expressions, p names the exponent constant. */
function expr(op: Op, a: string, b: string, p: string, pv: number): string {
  switch (op) {
    case 'add': return `${a} + ${b}`;
    case 'sub': return `${a} - ${b}`;
    case 'mul': return `${a} * ${b}`;
    case 'div': return `${a} / ${b}`;
    case 'neg': return `-${a}`;
    case 'pow':
      // Same specialisations as the pow kernel, so fused and unfused results are bit-identical.
      if (pv === 2) return `${a} * ${a}`;
      if (pv === 1) return a;
      if (pv === 0) return '1';
      if (pv === 3) return `${a} * ${a} * ${a}`;
      if (pv === -1) return `1 / ${a}`;
      if (pv === 0.5) return `Math.sqrt(${a})`;
      return `Math.pow(${a}, ${p})`;
    case 'exp': case 'log': case 'log1p': case 'sqrt': case 'tanh': case 'sin': case 'cos': case 'abs':
      return `Math.${op}(${a})`;
    case 'sigmoid': return `sig(${a})`;
    case 'softplus': return `sp(${a})`;
    case 'sign': return `sgn(${a})`;
    case 'broadcastTo': return a;
    default: throw new Error(`fuse: ${op} is not elementwise`);
  }
}

let codegenWorks: boolean | null = null;

/**
 * Build fn(externals, outputs) running `instrs` in one loop of length n.
 * `extIds[j]` is read as a scalar when `extScalar[j]`; `outIds[k]` is written to outputs[k].
 */
export function fuse(instrs: readonly FusedInstr[], extIds: readonly number[], extScalar: readonly boolean[], outIds: readonly number[]):
  ((ext: readonly Float64Array[], out: readonly Float64Array[]) => void) | null {
  if (codegenWorks === false) return null;
  const ext = new Map(extIds.map((id, j) => [id, j]));
  const consts: number[] = [];
  const ref = (id: number): string => {
    const j = ext.get(id);
    if (j === undefined) return `v${id}`;
    return extScalar[j] ? `s${j}` : `e${j}[i]`;
  };
  const pre: string[] = [];
  extIds.forEach((_, j) => {
    pre.push(`const e${j} = E[${j}];`);
    if (extScalar[j]) pre.push(`const s${j} = e${j}[0];`);
  });
  outIds.forEach((_, k) => pre.push(`const o${k} = O[${k}];`));
  const body: string[] = [];
  for (const ins of instrs) {
    const pv = ins.op === 'pow' ? (ins.attrs as Attrs<'pow'>).p : 0;
    const p = `c${consts.length}`;
    if (ins.op === 'pow') { pre.push(`const ${p} = C[${consts.length}];`); consts.push(pv); }
    const a = ref(ins.ins[0]);
    const b = ins.ins.length > 1 ? ref(ins.ins[1]) : '';
    body.push(`const v${ins.out} = ${expr(ins.op, a, b, p, pv)};`);
  }
  outIds.forEach((id, k) => body.push(`o${k}[i] = v${id};`));
  const src = `${pre.join('\n')}\nconst n = O[0].length;\nfor (let i = 0; i < n; i++) {\n${body.join('\n')}\n}`;
  try {
    const make = new Function('sig', 'sp', 'sgn', 'C', `return function fused(E, O) {\n${src}\n};`) as (...a: unknown[]) => (E: readonly Float64Array[], O: readonly Float64Array[]) => void;
    codegenWorks = true;
    return make(sigmoidScalar, softplusScalar, sign, consts);
  } catch {
    codegenWorks = false;
    return null;
  }
}
