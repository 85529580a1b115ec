/**
 * JAX-shaped function transforms built on the tape (reverse) and on tagged
 * duals (forward). Each transform gives its input a fresh identity so a
 * closure variable that happens to be the same tensor is not differentiated
 * by mistake (no perturbation confusion).
 */
import { apply } from './apply.ts';
import { gradOf as tapeGrad } from './autograd.ts';
import { makeDual, primalAt, tangentAt } from './dual.ts';
import * as ops from './ops.ts';
import { sameShape, showShape } from './shape.ts';
import { newTag, state } from './state.ts';
import { Tensor, type TensorLike, zeros } from './tensor.ts';
import { readOptions } from './options.ts';
import { recycle, type Scratch, trimPool } from './bufferPool.ts';
import { compileTrace } from './compile/compileTrace.ts';
import { collecting, endScratch, finishScratch, keepScratch } from './transformScratch.ts';
import { storageKey } from './eagerArena.ts';

export type Fn = (x: Tensor) => Tensor;
export type HvpMode = 'forward-over-reverse' | 'reverse-over-reverse';
export interface HvpOptions {
  /** How Hv is computed (default `defaultHvpMode`). */
  mode?: HvpMode;
}
/** Default HVP strategy: reverse-over-reverse, faster on generic tensors and tied on compiled tapes (docs/autodiff.md). */
export const defaultHvpMode: HvpMode = 'reverse-over-reverse';

/** A fresh tensor equal to x that requires grad and stays connected to x (identity edge). */
function freshInput(x: TensorLike): Tensor {
  const t = ops.asTensor(x);
  const xi = apply('identity', [t], { copy: false });
  xi.requiresGrad = true;
  return xi;
}

/**
 * Whether a backward pass must be recorded: yes if some other tensor in play
 * requires grad (an enclosing reverse-mode computation), so the result stays differentiable.
 */
function outerReverse(y: Tensor, xi: Tensor): boolean {
  if (!state.gradEnabled) return false;
  const stack = [y];
  const seen = new Set<Tensor>();
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (t === xi) { if (xi.gradFn !== null) return true; continue; }
    if (t.gradFn === null) { if (t.requiresGrad) return true; continue; }
    for (const x of t.gradFn.inputs) if (x.requiresGrad) stack.push(x);
  }
  return false;
}

function scalarOut(name: string, y: Tensor): void {
  if (!(y instanceof Tensor)) throw new Error(`${name}: f must return a Tensor`);
  if (y.size !== 1) throw new Error(`${name}: f must return a scalar (one-element) tensor, got shape ${showShape(y.shape)}`);
}

/**
 * f(x) and ∇f(x) for scalar-valued f. What f computes and does not return is released when the call ends
 * (transformScratch.ts), unless an enclosing reverse pass can still read it.
 */
export function valueAndGrad(f: Fn): (x: TensorLike) => [Tensor, Tensor] {
  return (x) => valueAndGradAt(f, x, true);
}

/** ∇f: x ↦ ∂f/∂x for scalar-valued f (differentiable again: grad(grad(f)) works for f: ℝ → ℝ). */
export function grad(f: Fn): (x: TensorLike) => Tensor {
  return (x) => valueAndGradAt(f, x, false)[1];
}

/** [f(x), ∇f(x)]; f(x) is released with f's other intermediates unless `keepValue`. */
function valueAndGradAt(f: Fn, x: TensorLike, keepValue: boolean): [Tensor, Tensor] {
  const xi = freshInput(x);
  const { value: y, scratch } = collecting(() => f(xi), xi.tangent === null);
  try {
    scalarOut('grad', y);
    if (!y.requiresGrad) {
      const [value = y] = finishScratch(scratch, keepValue ? [y] : []);
      return [value, zeros(xi.shape)];
    }
    const outer = outerReverse(y, xi);
    const [g] = tapeGrad(y, xi, { createGraph: outer, allowUnused: true });
    if (outer) {
      keepScratch(scratch);
      return [y, g];
    }
    const [gradient, value = y] = finishScratch(scratch, keepValue ? [g, y] : [g]);
    return [value, gradient];
  } finally {
    endScratch(scratch);
  }
}

/** (f(x), c ↦ Jᵀc): the value and its pullback (may be called many times). */
export function vjp(f: Fn, x: TensorLike): [Tensor, (cotangent: TensorLike) => Tensor] {
  const xi = freshInput(x);
  const y = f(xi);
  const create = outerReverse(y, xi);
  const pullback = (c: TensorLike): Tensor => {
    if (!y.requiresGrad) return zeros(xi.shape);
    return tapeGrad(y, xi, { gradOutputs: [ops.asTensor(c)], retainGraph: true, createGraph: create, allowUnused: true })[0];
  };
  return [y, pullback];
}

/** (f(x), J·t): the value and the directional derivative, by one forward pass with tagged tangents. */
export function jvp(f: Fn, x: TensorLike, t: TensorLike): [Tensor, Tensor] {
  const tag = newTag();
  const xd = makeDual(ops.asTensor(x), ops.asTensor(t), tag);
  const y = f(xd);
  return [primalAt(y, tag), tangentAt(y, tag)];
}

/**
 * ∇²f(x)·v without forming ∇²f.
 * 'forward-over-reverse': J(∇f)(x)·v, a tangent pushed through the gradient computation (Pearlmutter's R-op).
 * 'reverse-over-reverse': ∇ₓ⟨∇f(x), v⟩ by double backward.
 */
export function hvp(f: Fn, x: TensorLike, v: TensorLike, options: HvpOptions = {}): Tensor {
  const o = readOptions('hvp', options, { mode: null });
  const mode = o.mode ?? defaultHvpMode;
  if (mode !== 'forward-over-reverse' && mode !== 'reverse-over-reverse') throw new Error(`hvp: unknown mode '${String(mode)}' (mode must be 'forward-over-reverse' or 'reverse-over-reverse')`);
  const xt = ops.asTensor(x);
  const vt = ops.asTensor(v);
  if (!sameShape(vt.shape, xt.shape)) throw new Error(`hvp: v has shape ${showShape(vt.shape)} but x has shape ${showShape(xt.shape)} (they must match)`);
  const fs: Fn = (z) => { const y = f(z); scalarOut('hvp', y); return y; };
  if (mode === 'forward-over-reverse') return jvp(grad(fs), xt, vt)[1];
  const xi = freshInput(xt);
  const { value: y, scratch: forward } = collecting(() => fs(xi), xi.tangent === null);
  try {
    if (!y.requiresGrad) {
      finishScratch(forward, []);
      return zeros(xi.shape);
    }
    const outer = outerReverse(y, xi);
    const hv = secondBackward(y, xi, vt, outer);
    // f's forward buffers: read by both backward passes, released once the second has run.
    if (outer) {
      keepScratch(forward);
      return hv;
    }
    return finishScratch(forward, [hv])[0];
  } finally {
    endScratch(forward);
  }
}

/** ∇ₓ⟨∇f(x), v⟩: the recorded first backward from y, then the second with cotangent v. */
function secondBackward(y: Tensor, xi: Tensor, vt: Tensor, outer: boolean): Tensor {
  // The recorded first backward's buffers are read only by the second backward: recycled as it passes their last
  // readers, unless something outside can still reach them (an enclosing reverse pass, a tape being traced, tangents).
  const outerScratch = state.scratch;
  const scratch: Scratch | null = outer || state.tracer !== null || outerScratch !== null ? null : { buffers: new Map(), dual: false };
  let g: Tensor;
  if (scratch !== null) state.scratch = scratch;
  try {
    [g] = tapeGrad(y, xi, { createGraph: true, allowUnused: true });
  } finally {
    state.scratch = outerScratch;
  }
  const mine = scratch !== null && !scratch.dual ? scratch.buffers : null;
  const hv = g.requiresGrad ? tapeGrad(g, xi, { gradOutputs: [vt], createGraph: outer, allowUnused: true }, mine)[0] : zeros(xi.shape);
  if (mine !== null) {
    const keep = storageKey(hv.data);
    for (const [key, b] of mine) if (key !== keep) recycle(b);
    trimPool();
  }
  return hv;
}

/**
 * Dense ∇²f(x) as an [n, n] tensor (n = x.size): f is traced once at x into an HVP tape, which is
 * replayed with the unit vectors e₁ … eₙ (n HVPs on one compiled tape, no graph per column; compile/).
 * Tracing at the very point evaluated means data-dependent branches in f are fine here. The
 * result is a constant tensor (not differentiable further).
 */
export function hessian(f: Fn): (x: TensorLike) => Tensor {
  return (x) => {
    const t = ops.asTensor(x);
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
    const prog = compileTrace([x0, e], ([xt, vt]) => [ops.reshape(hvp(fs, ops.reshape(xt, shape), ops.reshape(vt, shape)), [n])], true);
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
