/**
 * Tracer: run the body once on tensors while every kernel execution is recorded; values are
 * identified by their data buffer, and a buffer no kernel produced is a constant read live at replay.
 */
import type { Attrs, Op } from '../op.ts';
import { state, type Tracer } from '../state.ts';
import { Tensor } from '../tensor.ts';
import type { Instr, Tape } from './tape.ts';

class TapeTracer implements Tracer {
  readonly ids = new Map<Float64Array, number>();
  readonly consts = new Map<number, Float64Array>();
  readonly size: number[] = [];
  readonly instrs: Instr[] = [];

  input(t: Tensor): number {
    const id = this.size.length;
    this.size.push(t.size);
    this.ids.set(t.data, id);
    return id;
  }
  idOf(t: Tensor): number {
    let id = this.ids.get(t.data);
    if (id === undefined) {
      id = this.size.length;
      this.size.push(t.size);
      this.ids.set(t.data, id);
      this.consts.set(id, t.data);
    }
    return id;
  }
  record<P extends Op>(op: P, inputs: readonly Tensor[], attrs: Attrs<P>, out: Tensor): void {
    const ins = inputs.map((t) => this.idOf(t));
    const id = this.size.length;
    this.size.push(out.size);
    this.ids.set(out.data, id);
    this.instrs.push({ op, ins, attrs, inShapes: inputs.map((t) => t.shape), out: id, outShape: out.shape } as Instr);
  }
}

/** tape of body(xs) for vectors xs with the lengths of `args` (recorded with gradients on). */
export function trace(args: readonly Float64Array[], body: (xs: Tensor[]) => Tensor[]): Tape {
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
  const outIds = outs.map((t) => tracer.idOf(t));
  return { instrs: tracer.instrs, size: tracer.size, views: new Map(), inputIds, outIds, consts: tracer.consts };
}
