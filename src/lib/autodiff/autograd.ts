/**
 * Reverse mode: walk the recorded graph from the outputs back to the inputs,
 * applying each node's pullback from the rule table. With createGraph the
 * pullbacks are themselves recorded, so the gradients can be differentiated again.
 */
import * as ops from './ops.ts';
import type { Attrs } from './op.ts';
import { rules } from './rules.ts';
import { showShape, sameShape, sizeOf } from './shape.ts';
import { BufferPool, trimPool } from './bufferPool.ts';
import { outsideArena, simdBinary, storageKey } from './eagerArena.ts';
import { fusedPullback } from './fusedPullbacks.ts';
import { LastReaders } from './lastReaders.ts';
import { state, withGradMode } from './state.ts';
import { type GradNode, Tensor, ones, zeros } from './tensor.ts';
import { readOptions, type TorchSpellings } from './options.ts';

/** autograd.grad's options and their PyTorch spellings. */
export const GRAD_OPTION_NAMES = { createGraph: 'create_graph', retainGraph: 'retain_graph', allowUnused: 'allow_unused', gradOutputs: 'grad_outputs' } as const;
/** backward()'s options and their PyTorch spellings. */
export const BACKWARD_OPTION_NAMES = { retainGraph: 'retain_graph', createGraph: 'create_graph' } as const;

/** backward()'s options: camelCase or PyTorch's spelling. */
export type BackwardOptions = { retainGraph?: boolean; createGraph?: boolean } & TorchSpellings<{ retainGraph?: boolean; createGraph?: boolean }, typeof BACKWARD_OPTION_NAMES>;

export type GradOptions = GradOptionsCamel & TorchSpellings<GradOptionsCamel, typeof GRAD_OPTION_NAMES>;

export interface GradOptionsCamel {
  /** Record the backward pass so the result can be differentiated again (default false). */
  createGraph?: boolean;
  /** Keep the graph for another backward pass (default: createGraph). */
  retainGraph?: boolean;
  /** Inputs the outputs do not depend on get zeros instead of an error (default false). */
  allowUnused?: boolean;
  /** Cotangents ("vector" in the VJP) for the outputs; required for non-scalar outputs. */
  gradOutputs?: Tensor | readonly (Tensor | null | undefined)[];
}

const list = <T>(x: T | readonly T[]): T[] => (Array.isArray(x) ? [...(x as readonly T[])] : [x as T]);

/** Seeds: given cotangents, or 1 for one-element outputs. */
function seeds(outputs: readonly Tensor[], given: readonly (Tensor | null | undefined)[] | undefined): Tensor[] {
  return outputs.map((y, i) => {
    if (!(y instanceof Tensor)) throw new Error(`grad: element ${i} of outputs is not a Tensor`);
    if (!y.requiresGrad) throw new Error(`grad: element ${i} of outputs does not require grad and has no gradFn (nothing to differentiate; did the inputs have requiresGrad: true?)`);
    const g = given?.[i];
    if (g) {
      if (!sameShape(g.shape, y.shape)) throw new Error(`grad: gradOutputs[${i}] has shape ${showShape(g.shape)} but output ${i} has shape ${showShape(y.shape)}`);
      return g;
    }
    if (y.size !== 1) throw new Error(`grad: can only be implicitly created for scalar outputs; output ${i} has shape ${showShape(y.shape)}, pass gradOutputs`);
    return ones(y.shape);
  });
}

/** Tensors reachable from `outputs` through requiresGrad edges, inputs before users. */
function topo(outputs: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative post-order DFS: deep chains (long loops in user code) must not overflow the stack.
  const stack: [Tensor, number][] = [];
  for (const y of outputs) {
    if (seen.has(y)) continue;
    seen.add(y);
    stack.push([y, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const node = top[0].gradFn;
      if (node !== null && node.freed) {
        throw new Error(`grad: trying to backward through the graph a second time (its saved tensors were freed after the first backward, op '${node.op}'); pass retainGraph: true to the first call`);
      }
      const ins = node === null ? [] : node.inputs;
      if (top[1] < ins.length) {
        const x = ins[top[1]++];
        if (x.requiresGrad && !seen.has(x)) {
          seen.add(x);
          stack.push([x, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
  }
  return order;
}

/**
 * The arena of one backward pass without createGraph: the pool, and how many gradient-map entries
 * refer to each pooled buffer (through any view of it).
 */
class Arena {
  readonly pool = new BufferPool();
  private readonly refs = new Map<object, number>();
  private dropped: Float64Array[] = [];

  /** A map entry now holds g. */
  hold(g: Tensor): void {
    const key = storageKey(g.data);
    this.refs.set(key, (this.refs.get(key) ?? 0) + 1);
  }
  /**
   * Whether g's buffer belongs to this pass and no other map entry refers to it: then g, a map entry
   * being accumulated, may be added to in place (nothing else reads it).
   */
  exclusive(g: Tensor): boolean {
    return g.tangent === null && this.refs.get(storageKey(g.data)) === 1 && this.pool.owns(g.data);
  }
  /** A map entry no longer holds g. */
  drop(g: Tensor): void {
    const key = storageKey(g.data);
    const n = (this.refs.get(key) ?? 1) - 1;
    this.refs.set(key, n);
    if (n === 0) this.dropped.push(g.data);
  }
  /**
   * After one node's pullback: recycle its temporaries and the cotangents dropped from the map that
   * no entry refers to any more. With forward-mode tangents in play (a dual links to other buffers)
   * the node's buffers are pinned instead.
   */
  settle(dual: boolean): void {
    const fresh = this.pool.step();
    if (dual) for (const b of fresh) this.pool.pin(b);
    for (const b of fresh) if ((this.refs.get(storageKey(b)) ?? 0) === 0) this.pool.give(b);
    for (const b of this.dropped) if ((this.refs.get(storageKey(b)) ?? 0) === 0) this.pool.give(b);
    this.dropped = [];
  }
}

/** s[i] = s[i] + g[i]: the add kernel's arithmetic, written into s (a cotangent nothing else reads). */
function addInPlace(s: Float64Array, g: Float64Array): void {
  if (simdBinary('add', s, g, s)) return;
  for (let i = 0; i < s.length; i++) s[i] = s[i] + g[i];
}
/**
 * s + pad(g) written into s, for g the cotangent of the slice s[at : at + g.length]: s[at + j] = s[at + j] + g[j]
 * and s[i] = s[i] + 0 elsewhere (the add of pad's zeros, which turns −0 into +0), bit for bit what the slice's
 * pullback (pad) followed by the accumulation computes, without the padded array.
 */
function addSliceInPlace(s: Float64Array, g: Float64Array, at: number): void {
  const mid = s.subarray(at, at + g.length);
  if (!simdBinary('add', mid, g, mid)) for (let j = 0; j < g.length; j++) mid[j] = mid[j] + g[j];
  addZero(s.subarray(0, at));
  addZero(s.subarray(at + g.length));
}
const ZERO = Float64Array.of(0);
/** s[i] = s[i] + 0 (−0 becomes +0, as adding pad's zeros does). */
function addZero(s: Float64Array): void {
  if (s.length === 0 || simdBinary('add', s, ZERO, s)) return;
  for (let i = 0; i < s.length; i++) s[i] = s[i] + 0;
}

/**
 * Core pass: cotangents for every tensor on a path to `targets` (all leaves when null).
 * Returns the map tensor ↦ accumulated cotangent. `recyclable`: buffers only this pass's nodes read
 * (recycled as it passes their last reader; needs a pooled pass that frees its graph).
 */
function run(outputs: readonly Tensor[], cot: readonly Tensor[], targets: Set<Tensor> | null, createGraph: boolean, retainGraph: boolean, recyclable: Map<object, Float64Array> | null = null): Map<Tensor, Tensor> {
  const order = topo(outputs);
  const needed = new Set<Tensor>();
  for (const t of order) {
    let need = targets === null ? t.gradFn === null : targets.has(t);
    if (!need && t.gradFn !== null) for (const x of t.gradFn.inputs) if (needed.has(x)) { need = true; break; }
    if (need) needed.add(t);
  }
  const grads = new Map<Tensor, Tensor>();
  // Buffers are recycled only when nothing recorded can refer to them: no createGraph, no tape tracing.
  const arena = createGraph || state.tracer !== null ? null : new Arena();
  const readers = arena !== null && !retainGraph && recyclable !== null ? new LastReaders(order, recyclable) : null;
  const acc = (t: Tensor, g: Tensor): void => {
    const prev = grads.get(t);
    if (prev !== undefined && arena !== null && g.tangent === null && sameShape(prev.shape, g.shape) && arena.exclusive(prev)) {
      addInPlace(prev.data, g.data);
      return;
    }
    const sum = prev === undefined ? g : ops.add(prev, g);
    grads.set(t, sum);
    arena?.hold(sum);
    if (prev !== undefined) arena?.drop(prev);
  };
  /**
   * A slice's pullback added straight into its input's cotangent when that one is this pass's alone (no padded
   * array); false when it must run as the rule (the first cotangent of the input, a shared one, tangents).
   */
  const accSlice = (node: GradNode, g: Tensor): boolean => {
    const prev = grads.get(node.inputs[0]!);
    if (prev === undefined || arena === null || g.tangent !== null || !arena.exclusive(prev)) return false;
    const { start } = node.attrs as Attrs<'slice'>;
    addSliceInPlace(prev.data, g.data, start * sizeOf(prev.shape.slice(1)));
    return true;
  };
  /** Push t's cotangent g through its node to the node's inputs. */
  const pull = (t: Tensor, node: GradNode, g: Tensor): void => {
    const need = node.inputs.map((x) => x.requiresGrad && needed.has(x));
    let dual = g.tangent !== null;
    if (!(node.op === 'slice' && need[0] && accSlice(node, g))) {
      const rule = rules[node.op] as (typeof rules)['add'];
      const gin = fusedPullback(node, g, need) ?? rule.vjp(g, node.inputs, node.out!, node.attrs as never, need);
      for (let i = 0; i < gin.length; i++) {
        const gi = gin[i];
        if (gi !== null && need[i]) acc(node.inputs[i], gi);
      }
      dual ||= gin.some((x) => x !== null && x.tangent !== null);
    }
    // Intermediate cotangents are no longer needed once pushed to the inputs.
    if (targets === null || !targets.has(t)) { grads.delete(t); arena?.drop(g); }
    arena?.settle(dual);
  };
  outputs.forEach((y, i) => acc(y, cot[i]));
  const nodes: GradNode[] = [];
  const outerPool = state.pool;
  state.pool = arena === null ? null : arena.pool;
  try {
    withGradMode(createGraph, () => {
      for (let k = order.length - 1; k >= 0; k--) {
        const t = order[k];
        const node = t.gradFn;
        if (node === null) continue;
        nodes.push(node);
        const g = grads.get(t);
        if (g !== undefined && needed.has(t)) pull(t, node, g);
        readers?.visited(t);
      }
    });
  } finally {
    state.pool = outerPool;
    if (arena !== null) trimPool();
  }
  if (!retainGraph) for (const n of nodes) { n.freed = true; n.inputs = []; n.out = null; }
  return grads;
}

/**
 * ∂(Σᵢ ⟨gradOutputsᵢ, outputsᵢ⟩)/∂inputs, like torch.autograd.grad. Returns one
 * tensor per input (zeros for unused inputs when allowUnused, otherwise an error).
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], gradOptions: GradOptions = {}): Tensor[] {
  return gradOf(outputs, inputs, readOptions('grad', gradOptions, GRAD_OPTION_NAMES) as GradOptionsCamel);
}

/** grad with its options already read (camelCase): the transforms' entry, without re-checking option names per call. */
export function gradOf(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptionsCamel, recyclable: Map<object, Float64Array> | null = null): Tensor[] {
  const ys = list(outputs);
  const xs = list(inputs);
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new Error(`grad: element ${i} of inputs is not a Tensor`);
    if (!x.requiresGrad) throw new Error(`grad: element ${i} of inputs does not require grad (create it with { requiresGrad: true })`);
  });
  const given = options.gradOutputs === undefined ? undefined : list(options.gradOutputs);
  const cot = seeds(ys, given);
  const createGraph = options.createGraph ?? false;
  const grads = run(ys, cot, new Set(xs), createGraph, options.retainGraph ?? createGraph, recyclable);
  return xs.map((x, i) => {
    const g = grads.get(x);
    if (g !== undefined) return g;
    if (options.allowUnused) return zeros(x.shape);
    throw new Error(`grad: element ${i} of inputs was not used to compute the outputs; pass allowUnused: true to get zeros`);
  });
}

/** Accumulate ∂(⟨gradient, y⟩)/∂leaf into leaf.grad for every leaf (torch's backward). */
export function backward(y: Tensor, gradient?: Tensor, backwardOptions: BackwardOptions = {}): void {
  const options = readOptions('backward', backwardOptions, BACKWARD_OPTION_NAMES) as { retainGraph?: boolean; createGraph?: boolean };
  const cot = seeds([y], [gradient]);
  const createGraph = options.createGraph ?? false;
  const grads = run([y], cot, null, createGraph, options.retainGraph ?? createGraph);
  for (const [t, g] of grads) {
    if (t.gradFn !== null || !t.requiresGrad) continue;
    // .grad always owns its storage (like torch): the cotangent reaching a leaf may be the caller's
    // `gradient`, a leaf's own data, or shared with another leaf (d(a + b)), and zeroGrad() or an
    // in-place edit of one .grad must touch nothing else. With createGraph the copy is recorded
    // (a copying identity), so .grad stays differentiable.
    // Inside a transform's call, .grad is made outside its arena: it outlives the call (eagerArena.ts).
    const prev = t.grad;
    t.grad = outsideArena(() => {
      if (prev === null) return createGraph ? ops.identity(g) : new Tensor(Float64Array.from(g.data), g.shape);
      return createGraph ? ops.add(prev, g) : ops.add(prev.detach(), g.detach()).detach();
    });
    // A backward inside a transform's f: the leaf's .grad outlives the call, so the transform must not release it.
    state.scratch?.buffers.delete(storageKey(t.grad.data));
  }
}

/** Namespace mirroring torch.autograd. */
export const autograd = { grad, backward };
