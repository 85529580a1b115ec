/**
 * objective(f, n): f traced once per method into a straight-line tape of
 * primitive kernels, then replayed on preallocated buffers. Because the
 * gradient and HVP passes are built from the same differentiable primitives,
 * tracing them yields plain programs too: no graph nodes, no allocation per call.
 */
import type { Attrs, Op } from './op';
import { kernels } from './kernels';
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
  /** HVP strategy traced into the tape (default: the library default, forward-over-reverse). */
  hvpMode?: HvpMode;
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

interface Step {
  run: (x: readonly Float64Array[], s: readonly Shape[], a: never, out: Float64Array, os: Shape) => void;
  ins: Float64Array[];
  inShapes: Shape[];
  attrs: never;
  out: Float64Array;
  outShape: Shape;
}

/** A compiled straight-line program: copy inputs in, run the steps, read outputs. */
class Program {
  constructor(readonly inputs: Float64Array[], readonly steps: Step[], readonly outputs: Float64Array[]) {}
  run(args: readonly Float64Array[]): void {
    for (let i = 0; i < args.length; i++) this.inputs[i].set(args[i]);
    const st = this.steps;
    for (let i = 0; i < st.length; i++) {
      const s = st[i];
      s.run(s.ins, s.inShapes, s.attrs, s.out, s.outShape);
    }
  }
}

/**
 * Trace `body` on tensors over the given input buffers, then: forward reshape
 * (a copy) to its source, drop instructions that do not reach the outputs, and
 * assign buffers by liveness so temporaries are shared.
 */
function compileTrace(args: readonly Float64Array[], body: (xs: Tensor[]) => Tensor[]): Program {
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
  const steps: Step[] = kept.map((ins, k) => {
    const size = tracer.sizes[ins.out];
    const free = pool.get(size);
    const out = free !== undefined && free.length > 0 ? free.pop()! : new Float64Array(size);
    buf.set(ins.out, out);
    const step: Step = {
      run: kernels[ins.op].run as Step['run'],
      ins: ins.ins.map(bufOf),
      inShapes: ins.inShapes,
      attrs: ins.attrs as never,
      out,
      outShape: ins.outShape,
    };
    for (const i of new Set(ins.ins.map((j) => baseOf(j).base))) {
      if (lastUse.get(i) === k && !pinned.has(i)) {
        const list = pool.get(tracer.sizes[i]) ?? [];
        list.push(buf.get(i)!);
        pool.set(tracer.sizes[i], list);
      }
    }
    return step;
  });
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
      valueProg ??= compileTrace([x], ([t]) => [scalar(f(t))]);
      valueProg.run([x]);
      return valueProg.outputs[0][0];
    },
    grad(x, out) {
      checkLen('grad', x, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; });
      gradProg.run([x]);
      const res = out ?? new Float64Array(n);
      res.set(gradProg.outputs[1]);
      return res;
    },
    valueAndGrad(x, gradOut) {
      checkLen('valueAndGrad', x, n);
      checkLen('valueAndGrad', gradOut, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; });
      gradProg.run([x]);
      gradOut.set(gradProg.outputs[1]);
      return gradProg.outputs[0][0];
    },
    hvp(x, v, out) {
      checkLen('hvp', x, n);
      checkLen('hvp', v, n);
      hvpProg ??= compileTrace([x, v], ([t, u]) => [hvpTransform((z) => scalar(f(z)), t, u, { mode })]);
      hvpProg.run([x, v]);
      const res = out ?? new Float64Array(n);
      res.set(hvpProg.outputs[0]);
      return res;
    },
  };
}
