/**
 * Elementwise fusion for compiled tapes: a run of elementwise instructions of
 * the same length becomes one generated loop, so intermediates live in
 * registers instead of round-tripping through memory (the dominant cost at
 * n = 1e5). Falls back (returns null) where code generation is unavailable,
 * e.g. under a Content-Security-Policy without 'unsafe-eval'.
 */
import type { Attrs, Op } from './op';
import { isElementwise, elementwise, type Scalar, scalarOf } from './elementwise';

/** Primitives that act elementwise (broadcastTo only when it spreads a single value). */
export const elementwiseOps: ReadonlySet<Op> = new Set<Op>([
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'log', 'log1p', 'sqrt', 'tanh',
  'sigmoid', 'softplus', 'sin', 'cos', 'abs', 'sign', 'broadcastTo', 'powTensor', 'relu', 'identity',
]);

/**
 * Tape-only instructions: `accZero` clears an accumulator; `accAdd` (inputs:
 * the accumulator, a value t; attrs { off }) adds t into the accumulator
 * starting at element `off`. A tree of adds of pads becomes one accumulator.
 */
export type TapeOp = Op | 'accZero' | 'accAdd';

export interface FusedInstr {
  op: TapeOp;
  ins: number[];
  attrs: Attrs<Op>;
  out: number;
}

/**
 * Expression for one instruction: a call of its scalar function from the elementwise table (constant
 * `f`, the same function the eager kernel runs), or the operand itself for a broadcast single value.
 */
function expr(op: TapeOp, a: string, b: string, f: string): string {
  if (op === 'broadcastTo') return a;
  if (!isElementwise(op)) throw new Error(`fuse: ${op} is not elementwise`);
  return elementwise[op].arity === 1 ? `${f}(${a}, 0)` : `${f}(${a}, ${b})`;
}

let codegenWorks: boolean | null = null;
/** Numbers each generated loop: V8 caches identical sources, and loops sharing one would share their call feedback. */
let serial = 0;

/** Where a value read by a fused loop lives: buffer `buf` (an index into the externals), from element `off`. */
export interface ExtRef { buf: number; off: number; scalar: boolean }

/**
 * Build fn(externals, outputs) running `instrs` in one loop of length n.
 * `ext` maps each value the loop reads (not computed in it) to an external buffer and an offset,
 * so several views of one buffer (x[1:], x[:-1]) share one array; a scalar is read once before
 * the loop. `outIds[k]` is written to outputs[k].
 * A `sum` instruction is a reduction: it accumulates its operand over the loop
 * (in index order, like the sum kernel) and its one-element output is written
 * after the loop; nothing inside the loop may read it. An `accAdd` adds into
 * the external buffer of its accumulator, never read as a value.
 */
export function fuse(instrs: readonly FusedInstr[], ext: ReadonlyMap<number, ExtRef>, nBufs: number, outIds: readonly number[], n: number):
  ((ext: readonly Float64Array[], out: readonly Float64Array[]) => void) | null {
  if (codegenWorks === false) return null;
  const fns: Scalar[] = [];
  const pre: string[] = [];
  for (let j = 0; j < nBufs; j++) pre.push(`const e${j} = E[${j}];`);
  const loaded = new Set<string>();
  const body: string[] = [];
  const ref = (id: number): string => {
    const r = ext.get(id);
    if (r === undefined) return `v${id}`;
    const name = `${r.scalar ? 's' : 'x'}${r.buf}_${r.off}`;
    if (!loaded.has(name)) {
      // Each element is loaded once per iteration (stores into other buffers would force reloads).
      loaded.add(name);
      if (r.scalar) pre.push(`const ${name} = e${r.buf}[${r.off}];`);
      else body.push(`const ${name} = e${r.buf}[i + ${r.off}];`);
    }
    return name;
  };
  outIds.forEach((_, k) => pre.push(`const o${k} = O[${k}];`));
  const post: string[] = [];
  const reduced = new Set<number>();
  for (const ins of instrs) {
    if (ins.op === 'accAdd') {
      const off = (ins.attrs as unknown as { off: number }).off;
      const t = ref(ins.ins[1]);
      body.push(`e${ext.get(ins.ins[0])!.buf}[i + ${off}] += ${t};`);
      continue;
    }
    if (ins.op === 'sum') {
      pre.push(`let r${ins.out} = 0;`);
      body.push(`r${ins.out} += ${ref(ins.ins[0])};`);
      reduced.add(ins.out);
      continue;
    }
    let f = '';
    if (isElementwise(ins.op)) {
      const fn = scalarOf(ins.op, ins.attrs as never);
      let j = fns.indexOf(fn);
      if (j < 0) { j = fns.length; fns.push(fn); pre.push(`const f${j} = F[${j}];`); }
      f = `f${j}`;
    }
    const a = ref(ins.ins[0]);
    const b = ins.ins.length > 1 ? ref(ins.ins[1]) : '';
    body.push(`const v${ins.out} = ${expr(ins.op, a, b, f)};`);
  }
  outIds.forEach((id, k) => (reduced.has(id) ? post : body).push(reduced.has(id) ? `o${k}[0] = r${id};` : `o${k}[i] = v${id};`));
  const src = `${pre.join('\n')}\nfor (let i = 0; i < ${n}; i++) {\n${body.join('\n')}\n}\n${post.join('\n')}`;
  try {
    const make = new Function('F', `// fused loop ${serial++}\nreturn function fused(E, O) {\n${src}\n};`) as (F: readonly Scalar[]) => (E: readonly Float64Array[], O: readonly Float64Array[]) => void;
    codegenWorks = true;
    return make(fns);
  } catch {
    codegenWorks = false;
    return null;
  }
}
