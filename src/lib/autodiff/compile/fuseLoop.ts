/**
 * Elementwise fusion for compiled tapes: a run of elementwise instructions of
 * the same length becomes one generated loop, so intermediates live in
 * registers instead of round-tripping through memory (the dominant cost at
 * n = 1e5). The compiler fuses only where `canGenerateCode()` (not under a
 * Content-Security-Policy without 'unsafe-eval'); elsewhere the tape runs the eager kernels.
 */
import { elementwise, isElementwise, type Scalar, scalarOf } from '../elementwise.ts';
import type { TaggedInstr, TapeOp } from './tape.ts';

/** Primitives a loop can fuse (broadcastTo only when it spreads a single value: see runs.ts). */
const fusable: ReadonlySet<TapeOp> = new Set<TapeOp>([
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'exp', 'log', 'log1p', 'sqrt', 'tanh',
  'sigmoid', 'softplus', 'sin', 'cos', 'abs', 'sign', 'broadcastTo', 'powTensor', 'relu', 'identity',
]);

/** Can a fused loop compute `op` (elementwise, or a broadcast of one value)? */
export const isFusable = (op: TapeOp): boolean => fusable.has(op);

/** An instruction as a fused loop sees it: op, attributes, operand and output ids. */
export type FusedInstr = TaggedInstr<unknown>;

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

/** Does `new Function` work here (no Content-Security-Policy forbidding eval)? Probed once. */
export function canGenerateCode(): boolean {
  if (codegenWorks === null) {
    try {
      codegenWorks = new Function('return 1')() === 1;
    } catch {
      codegenWorks = false;
    }
  }
  return codegenWorks;
}
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
  (ext: readonly Float64Array[], out: readonly Float64Array[]) => void {
  if (!canGenerateCode()) throw new Error('fuse: code generation is unavailable here (check canGenerateCode() first)');
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
      const off = ins.attrs.off;
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
  const make = new Function('F', `// fused loop ${serial++}\nreturn function fused(E, O) {\n${src}\n};`) as (F: readonly Scalar[]) => (E: readonly Float64Array[], O: readonly Float64Array[]) => void;
  return make(fns);
}
