/**
 * objective(f, n): f traced once per method into a straight-line tape of
 * primitive kernels, then replayed on preallocated buffers. Because the
 * gradient and HVP passes are built from the same differentiable primitives,
 * tracing them yields plain programs too: no graph nodes, no allocation per call.
 */
import type { Attrs, Op } from './op';
import { kernels } from './kernels';
import { elementwiseOps, fuse } from './fuse';
import { type Shape } from './shape';
import { state, type Tracer } from './state';
import { Tensor } from './tensor';
import { type HvpMode, defaultHvpMode, hvp as hvpTransform, valueAndGrad as vgTransform } from './transforms';

/** Float64Array-level objective consumed by optimizers and interactive figures. */
export interface Objective {
  /** Number of parameters n; every x, v, out below has length n. */
  readonly n: number;
  /** f(x). */
  value(x: Float64Array): number;
  /** ∇f(x), written into `out` when given (no allocation), else a fresh array. */
  grad(x: Float64Array, out?: Float64Array): Float64Array;
  /** f(x), with ∇f(x) written into `gradOut`. */
  valueAndGrad(x: Float64Array, gradOut: Float64Array): number;
  /** ∇²f(x)·v without forming ∇²f, written into `out` when given, else a fresh array. */
  hvp(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
}

export interface ObjectiveOptions {
  /** HVP strategy traced into the tape (default: the library default, reverse-over-reverse). */
  hvpMode?: HvpMode;
  /** Fuse runs of elementwise kernels into generated loops (default true; falls back automatically without eval). */
  fuse?: boolean;
}

interface Instr {
  op: Op;
  ins: number[];
  attrs: Attrs<Op>;
  inShapes: Shape[];
  out: number;
  outShape: Shape;
}

/** Records every kernel execution; values are identified by their data buffer. */
class TapeTracer implements Tracer {
  readonly ids = new Map<Float64Array, number>();
  readonly consts = new Map<number, Float64Array>();
  readonly sizes: number[] = [];
  readonly instrs: Instr[] = [];

  input(t: Tensor): number {
    const id = this.sizes.length;
    this.sizes.push(t.size);
    this.ids.set(t.data, id);
    return id;
  }
  idOf(t: Tensor): number {
    let id = this.ids.get(t.data);
    if (id === undefined) {
      // Not produced by a traced kernel: a constant (closure data, literals, seeds). Read live at replay.
      id = this.sizes.length;
      this.sizes.push(t.size);
      this.ids.set(t.data, id);
      this.consts.set(id, t.data);
    }
    return id;
  }
  record<P extends Op>(op: P, inputs: readonly Tensor[], attrs: Attrs<P>, out: Tensor): void {
    const ins = inputs.map((t) => this.idOf(t));
    const id = this.sizes.length;
    this.sizes.push(out.size);
    this.ids.set(out.data, id);
    this.instrs.push({ op, ins, attrs: attrs as Attrs<Op>, inShapes: inputs.map((t) => t.shape), out: id, outShape: out.shape });
  }
}

/** A compiled straight-line program: copy inputs in, run the steps, read outputs. */
class Program {
  constructor(readonly inputs: Float64Array[], readonly steps: (() => void)[], readonly outputs: Float64Array[]) {}
  run(args: readonly Float64Array[]): void {
    for (let i = 0; i < args.length; i++) this.inputs[i].set(args[i]);
    const st = this.steps;
    for (let i = 0; i < st.length; i++) st[i]();
  }
}

/**
 * Trace `body` on tensors over the given input buffers, then: forward reshape
 * (a copy) to its source, drop instructions that do not reach the outputs, and
 * assign buffers by liveness so temporaries are shared.
 */
function compileTrace(args: readonly Float64Array[], body: (xs: Tensor[]) => Tensor[], fusion: boolean): Program {
  const tracer = new TapeTracer();
  const xs = args.map((a) => new Tensor(Float64Array.from(a), [a.length]));
  const inputIds = xs.map((x) => tracer.input(x));
  const prev = { tracer: state.tracer, grad: state.gradEnabled };
  state.tracer = tracer;
  state.gradEnabled = true;
  let outs: Tensor[];
  try {
    outs = body(xs);
  } finally {
    state.tracer = prev.tracer;
    state.gradEnabled = prev.grad;
  }
  const outIds0 = outs.map((t) => tracer.idOf(t));
  // Views: reshape reinterprets the flat buffer and slice is a contiguous
  // sub-range, so neither needs a kernel; each view points into a base value.
  const view = new Map<number, { base: number; off: number }>();
  const baseOf = (id: number): { base: number; off: number } => view.get(id) ?? { base: id, off: 0 };
  const instrs: Instr[] = [];
  for (const ins of tracer.instrs) {
    if (ins.op === 'reshape' || ins.op === 'slice') {
      const b = baseOf(ins.ins[0]);
      const r = ins.inShapes[0].slice(1).reduce((a, c) => a * c, 1);
      const off = ins.op === 'slice' ? (ins.attrs as Attrs<'slice'>).start * r : 0;
      view.set(ins.out, { base: b.base, off: b.off + off });
    } else instrs.push(ins);
  }
  // Dead-code elimination from the outputs (liveness of a view is that of its base).
  const live = new Set<number>(outIds0.map((id) => baseOf(id).base));
  const kept: Instr[] = [];
  for (let k = instrs.length - 1; k >= 0; k--) {
    const ins = instrs[k];
    if (!live.has(ins.out)) continue;
    kept.push(ins);
    for (const i of ins.ins) live.add(baseOf(i).base);
  }
  kept.reverse();
  // A view covering its whole base (a reshape) is the base itself.
  for (const ins of kept) {
    ins.ins = ins.ins.map((i) => { const b = baseOf(i); return b.off === 0 && tracer.sizes[b.base] === tracer.sizes[i] ? b.base : i; });
  }
  // Liveness-based buffer assignment: a buffer returns to the pool after its last reader.
  const lastUse = new Map<number, number>();
  kept.forEach((ins, k) => { for (const i of ins.ins) lastUse.set(baseOf(i).base, k); });
  const pinned = new Set<number>([...outIds0.map((id) => baseOf(id).base), ...inputIds, ...tracer.consts.keys()]);
  const buf = new Map<number, Float64Array>();
  const inputBufs = inputIds.map((id, i) => { const b = new Float64Array(args[i].length); buf.set(id, b); return b; });
  for (const [id, data] of tracer.consts) buf.set(id, data);
  const bufOf = (id: number): Float64Array => {
    const { base, off } = baseOf(id);
    const b = buf.get(base)!;
    return off === 0 && b.length === tracer.sizes[id] ? b : b.subarray(off, off + tracer.sizes[id]);
  };
  const pool = new Map<number, Float64Array[]>();
  const take = (id: number): Float64Array => {
    const free = pool.get(tracer.sizes[id]);
    const b = free !== undefined && free.length > 0 ? free.pop()! : new Float64Array(tracer.sizes[id]);
    buf.set(id, b);
    return b;
  };
  /** Return buffers whose last reader is in [k0, k1] to the pool (after the step's outputs were taken). */
  const release = (ids: Iterable<number>, k0: number, k1: number): void => {
    for (const i of new Set(ids)) {
      const lu = lastUse.get(i);
      if (lu !== undefined && lu >= k0 && lu <= k1 && !pinned.has(i) && buf.has(i)) {
        const list = pool.get(tracer.sizes[i]) ?? [];
        list.push(buf.get(i)!);
        pool.set(tracer.sizes[i], list);
      }
    }
  };
  const isEw = (ins: Instr): boolean => elementwiseOps.has(ins.op) && (ins.op !== 'broadcastTo' || tracer.sizes[ins.ins[0]] === 1);
  const steps: (() => void)[] = [];
  for (let k = 0; k < kept.length; ) {
    // A run of elementwise instructions of one length is fused into a single loop.
    let e = k;
    if (fusion && isEw(kept[k])) {
      const inRun = new Set([kept[k].out]);
      while (e + 1 < kept.length && isEw(kept[e + 1]) && tracer.sizes[kept[e + 1].out] === tracer.sizes[kept[k].out] &&
        // A sub-range view of a value computed in this run would not exist in memory yet.
        !kept[e + 1].ins.some((i) => view.has(i) && inRun.has(baseOf(i).base))) {
        e++;
        inRun.add(kept[e].out);
      }
    }
    const run = kept.slice(k, e + 1);
    const fused = run.length > 1 ? fuseRun(run, k, e) : null;
    if (fused !== null) {
      steps.push(fused);
      k = e + 1;
      continue;
    }
    const ins = kept[k];
    const out = take(ins.out);
    const fn = kernels[ins.op].run as (x: readonly Float64Array[], s: readonly Shape[], a: never, out: Float64Array, os: Shape) => void;
    const inBufs = ins.ins.map(bufOf);
    const { inShapes, outShape } = ins;
    const attrs = ins.attrs as never;
    steps.push(() => fn(inBufs, inShapes, attrs, out, outShape));
    release(ins.ins.map((j) => baseOf(j).base), k, k);
    k++;
  }
  function fuseRun(run: Instr[], k0: number, k1: number): (() => void) | null {
    const produced = new Set(run.map((i) => i.out));
    const extIds = [...new Set(run.flatMap((i) => i.ins).filter((i) => !produced.has(i)))];
    const n = tracer.sizes[run[0].out];
    const extScalar = extIds.map((i) => tracer.sizes[i] === 1 && n !== 1);
    const outs = run.map((i) => i.out).filter((id) => pinned.has(id) || (lastUse.get(id) ?? -1) > k1);
    const fn = fuse(run, extIds, extScalar, outs);
    if (fn === null) return null;
    const extBufs = extIds.map(bufOf);
    const outBufs = outs.map(take);
    release(extIds.map((j) => baseOf(j).base), k0, k1);
    return () => fn(extBufs, outBufs);
  }
  const outIds = outIds0;
  const outputs = outIds.map(bufOf);
  return new Program(inputBufs, steps, outputs);
}

function checkLen(name: string, a: Float64Array, n: number): void {
  if (!(a instanceof Float64Array)) throw new Error(`objective.${name}: expected a Float64Array`);
  if (a.length !== n) throw new Error(`objective.${name}: expected length ${n}, got ${a.length}`);
}

/**
 * Compile f: ℝⁿ → ℝ (x ↦ 0-d tensor) into {value, grad, valueAndGrad, hvp} on
 * Float64Array. f must be straight-line in the values of x (see docs/autodiff.md).
 */
export function objective(f: (x: Tensor) => Tensor, n: number, options: ObjectiveOptions = {}): Objective {
  if (!Number.isInteger(n) || n < 1) throw new Error(`objective: n must be a positive integer, got ${n}`);
  const mode = options.hvpMode ?? defaultHvpMode;
  const fusion = options.fuse ?? true;
  const scalar = (y: Tensor): Tensor => {
    if (!(y instanceof Tensor) || y.size !== 1) throw new Error('objective: f must return a scalar (one-element) tensor');
    return y;
  };
  let valueProg: Program | null = null;
  let gradProg: Program | null = null;
  let hvpProg: Program | null = null;
  const vg = vgTransform(f);
  return {
    n,
    value(x) {
      checkLen('value', x, n);
      valueProg ??= compileTrace([x], ([t]) => [scalar(f(t))], fusion);
      valueProg.run([x]);
      return valueProg.outputs[0][0];
    },
    grad(x, out) {
      checkLen('grad', x, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; }, fusion);
      gradProg.run([x]);
      const res = out ?? new Float64Array(n);
      res.set(gradProg.outputs[1]);
      return res;
    },
    valueAndGrad(x, gradOut) {
      checkLen('valueAndGrad', x, n);
      checkLen('valueAndGrad', gradOut, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; }, fusion);
      gradProg.run([x]);
      gradOut.set(gradProg.outputs[1]);
      return gradProg.outputs[0][0];
    },
    hvp(x, v, out) {
      checkLen('hvp', x, n);
      checkLen('hvp', v, n);
      hvpProg ??= compileTrace([x, v], ([t, u]) => [hvpTransform((z) => scalar(f(z)), t, u, { mode })], fusion);
      hvpProg.run([x, v]);
      const res = out ?? new Float64Array(n);
      res.set(hvpProg.outputs[0]);
      return res;
    },
  };
}
