/**
 * objective(f, n): f traced once per method into a straight-line tape of
 * primitive kernels, then replayed on preallocated buffers. Because the
 * gradient and HVP passes are built from the same differentiable primitives,
 * tracing them yields plain programs too: no graph nodes, no allocation per call.
 */
import type { Attrs, Op } from './op';
import { kernels, matvecPair } from './kernels';
import { type ExtRef, elementwiseOps, fuse, type TapeOp } from './fuse';
import { type Shape } from './shape';
import { state, type Tracer } from './state';
import { Tensor, type TensorLike } from './tensor';
import { asTensor } from './ops';
import { showShape } from './shape';
import type { CompiledObjective } from './objectiveType';
import { checkBoolean, checkChoice, readOptions } from './options';
import { type Fn, type HvpMode, defaultHvpMode, hvp as hvpTransform, valueAndGrad as vgTransform } from './transforms';

export type { Objective, CompiledObjective } from './objectiveType';

export interface ObjectiveOptions {
  /** HVP strategy traced into the tape (default: the library default, reverse-over-reverse). */
  hvpMode?: HvpMode;
  /** Fuse runs of elementwise kernels into generated loops (default true; falls back automatically without eval). */
  fuse?: boolean;
}

interface Instr {
  op: TapeOp;
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
    this.instrs.push({ op: op as TapeOp, ins, attrs: attrs as Attrs<Op>, inShapes: inputs.map((t) => t.shape), out: id, outShape: out.shape });
  }
}

/** A compiled straight-line program: copy inputs in, run the steps, read outputs. */
export class Program {
  /** Which buffer the redirectable outputs currently point at (internal or a caller's array). */
  private readonly current: (Float64Array | null)[];
  /**
   * `slots[k]` lists every place (array, index) the steps read or write output k's buffer, or is
   * null when output k cannot be redirected (a constant, an input, or reached through sub-ranges).
   */
  constructor(readonly inputs: Float64Array[], readonly steps: (() => void)[], readonly outputs: Float64Array[], readonly labels: string[],
    private readonly slots: ([Float64Array[], number][] | null)[]) {
    this.current = outputs.map((o, k) => (slots[k] === null ? null : o));
  }
  run(args: readonly Float64Array[]): void {
    for (let i = 0; i < args.length; i++) this.inputs[i].set(args[i]);
    const st = this.steps;
    for (let i = 0; i < st.length; i++) st[i]();
  }
  /**
   * Run with output k written straight into `target` when possible (no copy), else copied
   * there afterwards. `target` must have output k's length.
   */
  runInto(args: readonly Float64Array[], k: number, target: Float64Array): void {
    const slots = this.slots[k];
    if (slots === null) {
      this.run(args);
      target.set(this.outputs[k]);
      return;
    }
    if (this.current[k] !== target) {
      for (const [arr, i] of slots) arr[i] = target;
      this.current[k] = target;
    }
    this.run(args);
  }
  /** Run with every output in its internal buffer (`outputs`). */
  runInternal(args: readonly Float64Array[]): void {
    for (let k = 0; k < this.slots.length; k++) {
      const slots = this.slots[k];
      if (slots !== null && this.current[k] !== this.outputs[k]) {
        for (const [arr, i] of slots) arr[i] = this.outputs[k];
        this.current[k] = this.outputs[k];
      }
    }
    this.run(args);
  }
}

/** Most instructions fused into one generated loop. */
const maxRun = 160;

const binaryOps: ReadonlySet<TapeOp> = new Set<TapeOp>(['add', 'sub', 'mul', 'div', 'powTensor']);

/**
 * Trace `body` on tensors over the given input buffers, then compile the tape:
 *  1. reshape and slice become views into their source (no kernel);
 *  2. a broadcast of a single value feeding add/sub/mul/div is read as a scalar instead of materialised;
 *  3. instructions that do not reach the outputs are dropped;
 *  4. a tree of adds with pads among its leaves (slice adjoints summed) becomes one zeroed
 *     accumulator plus "add into [off, off + len)" steps;
 *  5. the tape is reordered (topologically) so that elementwise instructions of one length,
 *     sums of them and accumulations form long runs: e.g. a gradient's backward chain joins
 *     the forward loop;
 *  6. each run is fused into one generated loop (sums become accumulators); a remaining pad
 *     whose operand is computed on the tape gets that operand written straight into its interior;
 *  7. buffers are assigned by liveness, so temporaries share memory; an output whose buffer is
 *     only referenced whole can be redirected into a caller's array (Program.runInto).
 * Exported for tests and benchmarks; not part of the public API.
 */
export function compileTrace(args: readonly Float64Array[], body: (xs: Tensor[]) => Tensor[], fusion: boolean): Program {
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
  const size = tracer.sizes;
  // 1. Views: reshape reinterprets the flat buffer and slice is a contiguous sub-range.
  const view = new Map<number, { base: number; off: number }>();
  const root = (id: number): { base: number; off: number } => {
    let off = 0;
    for (let v = view.get(id); v !== undefined; v = view.get(id)) { off += v.off; id = v.base; }
    return { base: id, off };
  };
  let instrs: Instr[] = [];
  for (const ins of tracer.instrs) {
    if (ins.op === 'reshape' || ins.op === 'slice' || (ins.op === 'identity' && !(ins.attrs as Attrs<'identity'>).copy)) {
      const r = ins.inShapes[0].slice(1).reduce((a, c) => a * c, 1);
      view.set(ins.out, { base: ins.ins[0], off: ins.op === 'slice' ? (ins.attrs as Attrs<'slice'>).start * r : 0 });
    } else instrs.push(ins);
  }
  // A view covering its whole base (a reshape) is the base itself.
  const canon = (i: number): number => { const b = root(i); return b.off === 0 && size[b.base] === size[i] ? b.base : i; };
  for (const ins of instrs) ins.ins = ins.ins.map(canon);
  // 2. Scalar broadcasts read as scalars by binary elementwise kernels (both fused and unfused accept that).
  const scalarOf = new Map<number, number>();
  for (const ins of instrs) {
    if (ins.op === 'broadcastTo' && size[ins.ins[0]] === 1) scalarOf.set(ins.out, ins.ins[0]);
    else if (binaryOps.has(ins.op)) {
      for (let j = 0; j < 2; j++) {
        const s = scalarOf.get(ins.ins[j]);
        if (s !== undefined && size[ins.ins[1 - j]] === size[ins.out]) ins.ins = j === 0 ? [s, ins.ins[1]] : [ins.ins[0], s];
      }
    }
  }
  // 3. Dead-code elimination from the outputs (liveness of a view is that of its base).
  const live = new Set<number>(outIds.map((id) => root(id).base));
  const kept: Instr[] = [];
  for (let k = instrs.length - 1; k >= 0; k--) {
    const ins = instrs[k];
    if (!live.has(ins.out)) continue;
    kept.push(ins);
    for (const i of ins.ins) live.add(root(i).base);
  }
  kept.reverse();
  // 4. Accumulators: a tree of adds (each inner add used once) with pads among its leaves becomes
  // accZero + one accAdd per leaf, each adding into the right sub-range: no padded copies, no
  // add passes, and an accAdd can join the loop that computes its operand.
  {
    const uses = new Map<number, number>();
    const use = (i: number): void => { const b = root(i).base; uses.set(b, (uses.get(b) ?? 0) + 1); };
    for (const ins of kept) ins.ins.forEach(use);
    outIds.forEach(use);
    const byOut = new Map<number, Instr>();
    for (const ins of kept) byOut.set(ins.out, ins);
    const isTreeAdd = (ins: Instr | undefined): ins is Instr =>
      ins !== undefined && ins.op === 'add' && ins.ins.every((i) => size[i] === size[ins.out]);
    const absorbed = new Set<Instr>();
    const replace = new Map<Instr, Instr[]>();
    const zeros: Instr[] = [];
    for (let k = kept.length - 1; k >= 0; k--) {
      const r = kept[k];
      if (absorbed.has(r) || !isTreeAdd(r)) continue;
      const inner: Instr[] = [];
      const leaves: number[] = [];
      const walk = (i: number): void => {
        const p = byOut.get(i);
        if (p !== r && isTreeAdd(p) && uses.get(i) === 1) { inner.push(p); p.ins.forEach(walk); } else leaves.push(i);
      };
      r.ins.forEach(walk);
      const pads = leaves.map((i) => { const p = byOut.get(i); return p !== undefined && p.op === 'pad' && uses.get(i) === 1 ? p : null; });
      if (pads.every((p) => p === null)) continue;
      const nAcc = size[r.out];
      const newId = (): number => { size.push(nAcc); return size.length - 1; };
      const a0 = newId();
      const shape = r.outShape;
      zeros.push({ op: 'accZero', ins: [], attrs: {} as Attrs<Op>, inShapes: [], out: a0, outShape: shape });
      const seq: Instr[] = [];
      let acc = a0;
      leaves.forEach((leaf, j) => {
        const p = pads[j];
        const t = p === null ? leaf : p.ins[0];
        const off = p === null ? 0 : (p.attrs as Attrs<'pad'>).before * p.inShapes[0].slice(1).reduce((x, c) => x * c, 1);
        const out = j === leaves.length - 1 ? r.out : newId();
        if (out !== a0) view.set(out, { base: a0, off: 0 });
        seq.push({ op: 'accAdd', ins: [acc, t], attrs: { off } as unknown as Attrs<Op>, inShapes: [shape, p === null ? shape : p.inShapes[0]], out, outShape: shape });
        acc = out;
        if (p !== null) absorbed.add(p);
      });
      for (const a of inner) absorbed.add(a);
      replace.set(r, seq);
    }
    if (zeros.length > 0) {
      const next: Instr[] = [...zeros];
      for (const ins of kept) if (!absorbed.has(ins)) next.push(...(replace.get(ins) ?? [ins]));
      kept.length = 0;
      kept.push(...next);
    }
  }
  instrs = [];
  // 5. Scheduling: list scheduling in tape order, preferring to extend the current elementwise run.
  // Elementwise in a flat loop: every operand has the output's length or is a single value.
  const isEw = (ins: Instr): boolean => elementwiseOps.has(ins.op as Op) && (ins.op !== 'broadcastTo' || size[ins.ins[0]] === 1) &&
    ins.ins.every((i) => size[i] === size[ins.out] || size[i] === 1);
  /** Loop length of a fusable instruction, or -1. */
  const loopLen = (ins: Instr): number => (isEw(ins) ? size[ins.out] : ins.op === 'sum' ? size[ins.ins[0]] : ins.op === 'accAdd' ? size[ins.ins[1]] : -1);
  /** Values complete only after their loop: sums and accumulations. */
  const isRed = (ins: Instr): boolean => ins.op === 'sum' || ins.op === 'accAdd';
  /**
   * Values of a run being built: `vals` (elementwise results), `red` (sums and accumulations, complete
   * only after the loop) and `redBases` (the buffers those live in: an accumulation's result is a
   * view of its zeroed accumulator, so a slice of the accumulator has another id but the same base).
   */
  interface RunSets { vals: Set<number>; red: Set<number>; redBases: Set<number> }
  const newRun = (): RunSets => ({ vals: new Set(), red: new Set(), redBases: new Set() });
  const addToRun = (s: RunSets, ins: Instr): void => {
    if (isRed(ins)) { s.red.add(ins.out); s.redBases.add(root(ins.out).base); } else s.vals.add(ins.out);
  };
  /** Can `ins` join a run of length len that produced the values in `s`? */
  const canJoin = (ins: Instr, len: number, s: RunSets): boolean => {
    if (len < 0 || loopLen(ins) !== len) return false;
    // Bounded loop bodies: V8 stops optimising very large functions.
    if (s.vals.size + s.red.size >= maxRun) return false;
    for (let j = ins.op === 'accAdd' ? 1 : 0; j < ins.ins.length; j++) {
      const i = ins.ins[j];
      const b = root(i).base;
      // A sum or an accumulator (read whole or through any view of it) is complete only after the loop.
      if (s.red.has(i) || s.red.has(b) || s.redBases.has(b)) return false;
      if (b !== i && s.vals.has(b)) return false; // a sub-range of a value of this loop is not in memory yet
    }
    return true;
  };
  const producer = new Map<number, number>();
  kept.forEach((ins, k) => producer.set(ins.out, k));
  const users: number[][] = kept.map(() => []);
  const pending = kept.map((ins, k) => {
    const deps = new Set<number>();
    for (let i of ins.ins) {
      // The producer of an operand, or of the value it is a view of.
      for (;;) {
        const p = producer.get(i);
        if (p !== undefined) { deps.add(p); break; }
        const v = view.get(i);
        if (v === undefined) break;
        i = v.base;
      }
    }
    for (const p of deps) users[p].push(k);
    return deps.size;
  });
  const ready: number[] = [];
  const insertReady = (k: number): void => {
    let lo = 0, hi = ready.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (ready[mid] < k) lo = mid + 1; else hi = mid; }
    ready.splice(lo, 0, k);
  };
  pending.forEach((c, k) => { if (c === 0) ready.push(k); });
  const sched: Instr[] = [];
  let len = -1;
  let cur = newRun();
  while (ready.length > 0) {
    let pick = -1;
    if (fusion && len >= 0) pick = ready.findIndex((k) => canJoin(kept[k], len, cur));
    if (pick < 0) {
      // Start a new run; first run whatever cannot be fused, so more of the next run is ready.
      pick = Math.max(0, ready.findIndex((k) => loopLen(kept[k]) < 0));
      cur = newRun();
      len = fusion ? loopLen(kept[ready[0]]) : -1;
    }
    const k = ready.splice(pick, 1)[0];
    const ins = kept[k];
    addToRun(cur, ins);
    sched.push(ins);
    for (const u of users[k]) if (--pending[u] === 0) insertReady(u);
  }
  // 5a. Pairs of vector-matrix products with the same matrix, one of them transposed (x·A and
  // g·Aᵀ, as in the gradient of xᵀAx), run together in one pass over the matrix. The later one
  // moves up next to the earlier one when its vector operand is already computed there.
  const pairOf = new Map<Instr, Instr>();
  {
    const prodOf = new Map<number, Instr>();
    for (const ins of sched) prodOf.set(ins.out, ins);
    const isVecMat = (ins: Instr): boolean => ins.op === 'matmul' && !(ins.attrs as Attrs<'matmul'>).ta && ins.inShapes[0][0] === 1;
    const tbOf = (ins: Instr): boolean => (ins.attrs as Attrs<'matmul'>).tb;
    const paired = new Set<Instr>();
    for (let k = 0; k < sched.length; k++) {
      const m1 = sched[k];
      if (!isVecMat(m1) || paired.has(m1)) continue;
      /** The instruction computing `id` (or what it is a view of); undefined for inputs and constants. */
      const prodInstr = (id: number): Instr | undefined => {
        for (;;) {
          const p = prodOf.get(id);
          if (p !== undefined) return p;
          const v = view.get(id);
          if (v === undefined) return undefined;
          id = v.base;
        }
      };
      for (let j = k + 1; j < sched.length; j++) {
        const m2 = sched[j];
        if (!isVecMat(m2) || paired.has(m2) || m2.ins[1] !== m1.ins[1] || tbOf(m2) === tbOf(m1)) continue;
        // What m2 needs from between the two (moved up with it), none of which may need m1.
        const between = new Set(sched.slice(k + 1, j));
        const need = new Set<Instr>();
        const stack = [...m2.ins];
        while (stack.length > 0) {
          const p = prodInstr(stack.pop()!);
          if (p === undefined || !between.has(p) || need.has(p)) continue;
          need.add(p);
          stack.push(...p.ins);
        }
        const afterM1 = new Set<number>([m1.out]);
        let ok = true;
        for (let q = k + 1; q < j && ok; q++) {
          const ins = sched[q];
          if (ins.ins.some((i) => { for (let id: number | undefined = i; id !== undefined; id = view.get(id)?.base) if (afterM1.has(id)) return true; return false; })) {
            afterM1.add(ins.out);
            if (need.has(ins)) ok = false;
          }
        }
        if (!ok) break;
        const moved = sched.slice(k + 1, j).filter((ins) => need.has(ins));
        const rest = sched.slice(k + 1, j).filter((ins) => !need.has(ins));
        sched.splice(k, j - k + 1, ...moved, m1, m2, ...rest);
        k += moved.length;
        pairOf.set(m1, m2);
        paired.add(m1).add(m2);
        break;
      }
    }
  }
  // 6a. Pads write their operand's interior: the operand becomes a view into the pad's output.
  const bordersOnly = new Set<Instr>();
  for (const ins of sched) {
    const t = ins.ins[0];
    if (ins.op === 'pad' && producer.has(t) && !view.has(t)) {
      const r = ins.inShapes[0].slice(1).reduce((a, c) => a * c, 1);
      view.set(t, { base: ins.out, off: (ins.attrs as Attrs<'pad'>).before * r });
      bordersOnly.add(ins);
    }
  }
  // 7. Liveness: last reader of every value and of every base it is a view of.
  const lastUse = new Map<number, number>();
  sched.forEach((ins, k) => {
    for (let id of ins.ins) {
      for (;;) {
        lastUse.set(id, k);
        const v = view.get(id);
        if (v === undefined) break;
        id = v.base;
      }
    }
  });
  const pinned = new Set<number>([...outIds.map((id) => root(id).base), ...inputIds, ...tracer.consts.keys()]);
  /** Every output and every value an output is a view of. */
  const outChain = new Set<number>();
  for (let id of outIds) for (;;) { outChain.add(id); const v = view.get(id); if (v === undefined) break; id = v.base; }
  const buf = new Map<number, Float64Array>();
  const inputBufs = inputIds.map((id, i) => { const b = new Float64Array(args[i].length); buf.set(id, b); return b; });
  for (const [id, data] of tracer.consts) buf.set(id, data);
  const pool = new Map<number, Float64Array[]>();
  const bufOf = (id: number): Float64Array => {
    const { base, off } = root(id);
    let b = buf.get(base);
    if (b === undefined) {
      // First write to this base (possibly through a view): take a free buffer of its size.
      const free = pool.get(size[base]);
      b = free !== undefined && free.length > 0 ? free.pop()! : new Float64Array(size[base]);
      buf.set(base, b);
    }
    return off === 0 && b.length === size[id] ? b : b.subarray(off, off + size[id]);
  };
  /** Return buffers whose last reader is in [k0, k1] to the pool (after the step's outputs were taken). */
  const release = (ids: Iterable<number>, k0: number, k1: number): void => {
    for (const i of new Set([...ids].map((j) => root(j).base))) {
      const lu = lastUse.get(i);
      if (lu !== undefined && lu >= k0 && lu <= k1 && !pinned.has(i) && buf.has(i)) {
        const list = pool.get(size[i]) ?? [];
        list.push(buf.get(i)!);
        pool.set(size[i], list);
      }
    }
  };
  const steps: (() => void)[] = [];
  const labels: string[] = [];
  /** Every buffer array a step reads at run time (patched to redirect outputs). */
  const captured: Float64Array[][] = [];
  for (let k = 0; k < sched.length;) {
    // 6. A run of fusable instructions of one loop length becomes a single generated loop.
    let e = k;
    const n = fusion ? loopLen(sched[k]) : -1;
    if (n >= 0) {
      const run = newRun();
      addToRun(run, sched[k]);
      while (e + 1 < sched.length && canJoin(sched[e + 1], n, run)) {
        e++;
        addToRun(run, sched[e]);
      }
    }
    if (e > k) {
      const fused = fuseRun(sched.slice(k, e + 1), k, e, n);
      if (fused !== null) {
        steps.push(fused);
        k = e + 1;
        continue;
      }
      e = k;
    }
    const ins = sched[k];
    const partner = pairOf.get(ins);
    if (partner !== undefined) {
      // [vector of the tb = false product, its output, vector of the tb = true one, its output, matrix]
      const [ax, ay] = (ins.attrs as Attrs<'matmul'>).tb ? [partner, ins] : [ins, partner];
      const [r, c] = ins.inShapes[1];
      const bufs = [bufOf(ax.ins[0]), bufOf(ax.out), bufOf(ay.ins[0]), bufOf(ay.out), bufOf(ins.ins[1])];
      captured.push(bufs);
      labels.push('matmul pair');
      steps.push(() => matvecPair(bufs[4], r, c, bufs[0], bufs[1], bufs[2], bufs[3]));
      release([...ins.ins, ...partner.ins], k, k + 1);
      k += 2;
      continue;
    }
    const inBufs = ins.ins.map(bufOf);
    const io = [bufOf(ins.out)];
    captured.push(inBufs, io);
    labels.push(ins.op);
    if (ins.op === 'accZero') {
      steps.push(() => io[0].fill(0));
    } else if (ins.op === 'accAdd') {
      inBufs[0] = bufOf(root(ins.ins[0]).base);
      const off = (ins.attrs as unknown as { off: number }).off;
      steps.push(() => { const acc = inBufs[0], t = inBufs[1]; for (let i = 0; i < t.length; i++) acc[off + i] += t[i]; });
    } else if (bordersOnly.has(ins)) {
      const before = view.get(ins.ins[0])!.off;
      const end = before + size[ins.ins[0]];
      steps.push(() => { io[0].fill(0, 0, before); io[0].fill(0, end); });
    } else {
      const fn = kernels[ins.op].run as (x: readonly Float64Array[], s: readonly Shape[], a: never, out: Float64Array, os: Shape) => void;
      const { inShapes, outShape } = ins;
      const attrs = ins.attrs as never;
      steps.push(() => fn(inBufs, inShapes, attrs, io[0], outShape));
    }
    release(ins.ins, k, k);
    k++;
  }
  function fuseRun(run: Instr[], k0: number, k1: number, n: number): (() => void) | null {
    // An accumulation reads and writes its accumulator's whole buffer (by offset), never a register.
    const fin = run.map((i) => (i.op === 'accAdd' ? { ...i, ins: [root(i.ins[0]).base, i.ins[1]] } : i));
    const produced = new Set(fin.filter((i) => i.op !== 'accAdd').map((i) => i.out));
    const extIds = [...new Set(fin.flatMap((i) => i.ins).filter((i) => !produced.has(i)))];
    const accs = new Set(fin.filter((f) => f.op === 'accAdd').map((f) => f.ins[0]));
    // Views are read through their base buffer at an offset, so x[1:] and x[:-1] share one array.
    const bases: number[] = [];
    const ext = new Map<number, ExtRef>();
    for (const id of extIds) {
      const { base, off } = root(id);
      let j = bases.indexOf(base);
      if (j < 0) { j = bases.length; bases.push(base); }
      ext.set(id, { buf: j, off, scalar: size[id] === 1 && n !== 1 && !accs.has(id) });
    }
    const stored = run.filter((i) => i.op !== 'accAdd').map((i) => i.out).filter((id) => outChain.has(id) || (lastUse.get(id) ?? -1) > k1);
    const fn = fuse(fin, ext, bases.length, stored, n);
    if (fn === null) return null;
    const extBufs = bases.map(bufOf);
    const outBufs = stored.map(bufOf);
    captured.push(extBufs, outBufs);
    release(extIds, k0, k1);
    labels.push(`fused[${n}](${run.map((i) => i.op).join(' ')})`);
    return () => fn(extBufs, outBufs);
  }
  // Outputs that can be written straight into a caller's array: produced on the tape, and every
  // reference to their buffer is the whole buffer (a sub-range view would have to be re-made).
  const outputs = outIds.map(bufOf);
  const slots = outIds.map((id, k) => {
    const b = outputs[k];
    if (!producer.has(root(id).base) || root(id).off !== 0 || b.length !== size[root(id).base]) return null;
    if (outputs.some((o, j) => j !== k && o.buffer === b.buffer)) return null;
    const found: [Float64Array[], number][] = [];
    for (const arr of captured) {
      for (let i = 0; i < arr.length; i++) {
        if (arr[i] === b) found.push([arr, i]);
        else if (arr[i].buffer === b.buffer) return null;
      }
    }
    return found;
  });
  return new Program(inputBufs, steps, outputs, labels, slots);
}

function checkLen(name: string, a: Float64Array, n: number): void {
  if (!(a instanceof Float64Array)) throw new Error(`objective.${name}: expected a Float64Array`);
  if (a.length !== n) throw new Error(`objective.${name}: expected length ${n}, got ${a.length}`);
}

/**
 * Compile f: ℝⁿ → ℝ (x ↦ 0-d tensor) into {value, grad, valueAndGrad, hvp} on
 * Float64Array. f must be straight-line in the values of x (see docs/autodiff.md).
 */
export function objective(f: (x: Tensor) => Tensor, n: number, options: ObjectiveOptions = {}): CompiledObjective {
  if (!Number.isInteger(n) || n < 1) throw new Error(`objective: n must be a positive integer, got ${n}`);
  const o = readOptions('objective', options, { hvpMode: null, fuse: null });
  const mode = checkChoice('objective', 'hvpMode', o.hvpMode ?? defaultHvpMode, ['forward-over-reverse', 'reverse-over-reverse'] as const);
  const fusion = checkBoolean('objective', 'fuse', o.fuse ?? true);
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
      if (out !== undefined) {
        checkLen('grad', out, n);
        gradProg.runInto([x], 1, out);
        return out;
      }
      gradProg.runInternal([x]);
      return Float64Array.from(gradProg.outputs[1]);
    },
    valueAndGrad(x, gradOut) {
      checkLen('valueAndGrad', x, n);
      checkLen('valueAndGrad', gradOut, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; }, fusion);
      gradProg.runInto([x], 1, gradOut);
      return gradProg.outputs[0][0];
    },
    hvp(x, v, out) {
      checkLen('hvp', x, n);
      checkLen('hvp', v, n);
      hvpProg ??= compileTrace([x, v], ([t, u]) => [hvpTransform((z) => scalar(f(z)), t, u, { mode })], fusion);
      if (out !== undefined) {
        checkLen('hvp', out, n);
        hvpProg.runInto([x, v], 0, out);
        return out;
      }
      hvpProg.runInternal([x, v]);
      return Float64Array.from(hvpProg.outputs[0]);
    },
  };
}

/**
 * Dense ∇²f(x) as an [n, n] tensor (n = x.size): f is traced once at x into an HVP tape, which is
 * replayed with the unit vectors e₁ … eₙ (n HVPs on one compiled tape, no graph per column).
 * Tracing at the very point evaluated means data-dependent branches in f are fine here. The
 * result is a constant tensor (not differentiable further).
 */
export function hessian(f: Fn): (x: TensorLike) => Tensor {
  return (x) => {
    const t = asTensor(x);
    const n = t.size;
    const shape = t.shape;
    const x0 = Float64Array.from(t.data);
    const e = new Float64Array(n);
    const fs = (z: Tensor): Tensor => {
      const y = f(z);
      if (!(y instanceof Tensor)) throw new Error('hessian: f must return a Tensor');
      if (y.size !== 1) throw new Error(`hessian: f must return a scalar (one-element) tensor, got shape ${showShape(y.shape)}`);
      return y;
    };
    const prog = compileTrace([x0, e], ([xt, vt]) => [hvpTransform(fs, xt.reshape(shape), vt.reshape(shape)).reshape([n])], true);
    const H = new Float64Array(n * n);
    prog.inputs[0].set(x0);
    const v = prog.inputs[1];
    v.fill(0);
    for (let i = 0; i < n; i++) {
      if (i > 0) v[i - 1] = 0;
      v[i] = 1;
      prog.runInternal([]);
      H.set(prog.outputs[0], i * n);
    }
    return new Tensor(H, [...shape, ...shape]);
  };
}
