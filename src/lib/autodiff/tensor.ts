/**
 * Tensor: a float64 array (row-major Float64Array) with a shape, plus the
 * bookkeeping for reverse mode (requiresGrad, gradFn, grad) and forward mode
 * (a tangent tagged with a perturbation level).
 *
 * This module is the bottom of the autodiff graph: it imports no operation. The operation methods
 * (`x.add(y)`, `x.backward()`, …) are installed on the prototype by tensorMethods.ts, which the
 * package index loads first, so that `ops` can build tensors without importing back.
 */
import { noteHolder } from './eagerArena.ts';
import type { Attrs, Op } from './op.ts';
import { type Shape, sizeOf, showShape } from './shape.ts';
import { checkBoolean, readOptions, type TorchSpellings } from './options.ts';
import { isReleased, releasedError } from './released.ts';

/** A recorded application of a primitive: the edge list of the reverse graph. */
export interface GradNode {
  readonly op: Op;
  inputs: readonly Tensor[];
  readonly attrs: Attrs<Op>;
  out: Tensor | null;
  /** Set once a backward pass without retainGraph has released this node. */
  freed: boolean;
}

/** Nested number arrays: number, number[], number[][], ... */
export type NestedArray = number | readonly NestedArray[];
/** Anything that operations accept where a tensor is expected. */
export type TensorLike = Tensor | NestedArray | Float64Array;

export interface TensorOptionsCamel {
  requiresGrad?: boolean;
  /** Shape for flat Float64Array / number[] data (defaults to [length]). */
  shape?: readonly number[];
}
/** tensor()'s options: camelCase, or PyTorch's `requires_grad`. */
export type TensorOptions = TensorOptionsCamel & TorchSpellings<TensorOptionsCamel, { requiresGrad: 'requires_grad' }>;

export class Tensor {
  /**
   * The values, row-major. The elements are mutable in place (optimizers update parameters through
   * them, and compiled objectives read closure tensors' elements live); the array itself cannot be
   * replaced, since views, detached copies and compiled tapes hold on to it. (The one exception: a tensor
   * made on the eager arena inside a transform's call gets an empty array when the call ends: eagerArena.ts.)
   */
  readonly data: Float64Array;
  readonly shape: readonly number[];
  /** Record operations on this tensor so gradients can flow to it. */
  requiresGrad = false;
  /** Accumulated gradient (leaves only), filled by backward(). */
  grad: Tensor | null = null;
  /** The node that produced this tensor; null for leaves. */
  gradFn: GradNode | null = null;
  /** Forward mode: perturbation tag of `tangent` (0 = none). */
  tag = 0;
  /** Forward mode: the same value without this tag's perturbation. */
  primal: Tensor | null = null;
  /** Forward mode: the directional derivative carried with tag `tag`. */
  tangent: Tensor | null = null;

  constructor(data: Float64Array, shape: Shape) {
    for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new Error(`Tensor: invalid shape ${showShape(shape)} for ${data.length} elements (dimensions must be non-negative integers)`);
    if (data.length !== sizeOf(shape)) {
      throw isReleased(data, shape) ? releasedError('Tensor', shape) : new Error(`Tensor: data length ${data.length} does not match shape ${showShape(shape)}`);
    }
    this.data = data;
    noteHolder(this);
    // A frozen shape cannot change under us: share it (views, detached copies and kernel results do).
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
  }

  get size(): number { return this.data.length; }
  get ndim(): number { return this.shape.length; }
  get isLeaf(): boolean { return this.gradFn === null; }

  /** The value of a one-element tensor as a number. */
  item(): number {
    if (isReleased(this.data, this.shape)) throw releasedError('item', this.shape);
    if (this.data.length !== 1) throw new Error(`item: only one-element tensors can be converted to a number, got shape ${showShape(this.shape)}`);
    return this.data[0];
  }
  /** Same values, cut from both graphs (no gradFn, no tangent), sharing `data`. */
  detach(): Tensor { return new Tensor(this.data, this.shape); }
  /** Sets requiresGrad in place and returns this (torch's requires_grad_). */
  requiresGrad_(on = true): this {
    if (!on && this.gradFn) throw new Error('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    this.requiresGrad = on;
    return this;
  }
  /** Nested plain arrays of the values. */
  tolist(): NestedArray {
    if (isReleased(this.data, this.shape)) throw releasedError('tolist', this.shape);
    const rec = (d: number, off: number): NestedArray => {
      if (d === this.shape.length) return this.data[off];
      const stride = sizeOf(this.shape.slice(d + 1));
      return Array.from({ length: this.shape[d] }, (_, i) => rec(d + 1, off + i * stride));
    };
    return rec(0, 0);
  }

}

const scalarShape: readonly number[] = Object.freeze([]);

/** A 0-d constant holding v: how operations take a number literal (x.mul(100)) without tensor()'s parsing. */
export function scalarTensor(v: number): Tensor {
  return new Tensor(Float64Array.of(v), scalarShape);
}

/** Build a tensor from nested arrays, a number or a Float64Array (copied). */
export function tensor(data: TensorLike, tensorOptions: TensorOptions = {}): Tensor {
  const options = readOptions('tensor', tensorOptions, { requiresGrad: 'requires_grad', shape: null }) as TensorOptionsCamel;
  let values: Float64Array;
  let shape: readonly number[];
  if (data instanceof Tensor) {
    if (isReleased(data.data, data.shape)) throw releasedError('tensor', data.shape);
    values = Float64Array.from(data.data);
    shape = data.shape;
  }
  else if (data instanceof Float64Array) { values = Float64Array.from(data); shape = [data.length]; }
  else {
    shape = inferShape(data);
    const out = new Float64Array(sizeOf(shape));
    let k = 0;
    const fill = (v: NestedArray): void => {
      if (typeof v === 'number') out[k++] = v;
      else for (const e of v) fill(e);
    };
    fill(data);
    values = out;
  }
  if (options.shape !== undefined) {
    const s = options.shape;
    for (const d of s) if (!Number.isInteger(d) || d < 0) throw new Error(`tensor: invalid shape ${showShape(s)} for data of shape ${showShape(shape)} (dimensions must be non-negative integers)`);
    if (sizeOf(s) !== values.length) throw new Error(`tensor: shape ${showShape(s)} (${sizeOf(s)} elements) does not match data of shape ${showShape(shape)} (${values.length} elements)`);
    shape = s;
  }
  const t = new Tensor(values, shape);
  if (checkBoolean('tensor', 'requiresGrad', options.requiresGrad ?? false)) t.requiresGrad = true;
  return t;
}

function inferShape(data: unknown): number[] {
  const shape: number[] = [];
  let probe = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const check = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        const got = Array.isArray(v) ? 'an array (ragged nesting)' : v === null ? 'null' : typeof v;
        throw new Error(`tensor: element at [${path.join(', ')}] must be a number, got ${got}`);
      }
      return;
    }
    if (!Array.isArray(v)) throw new Error(`tensor: ragged array: element at [${path.join(', ')}] should be an array of length ${shape[depth]}, got ${typeof v}`);
    if (v.length !== shape[depth]) throw new Error(`tensor: ragged array: element at [${path.join(', ')}] has length ${v.length}, expected ${shape[depth]}`);
    for (let i = 0; i < v.length; i++) check(v[i], depth + 1, [...path, i]);
  };
  check(data, 0, []);
  return shape;
}

/** The shape as a fresh array, or an error naming the function and the bad shape. */
function checkShape(who: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new Error(`${who}: shape must be an array of dimensions, got ${typeof shape}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) throw new Error(`${who}: invalid shape ${showShape(shape)} (dimensions must be non-negative integers)`);
  }
  if (sizeOf(shape) > 2 ** 31 - 1) throw new Error(`${who}: shape ${showShape(shape)} has ${sizeOf(shape)} elements, more than a Float64Array can hold`);
  return [...shape];
}

/** Tensor of zeros with the given shape. */
export function zeros(shape: readonly number[]): Tensor {
  const s = checkShape('zeros', shape);
  return new Tensor(new Float64Array(sizeOf(s)), s);
}
/** Tensor of ones with the given shape. */
export function ones(shape: readonly number[]): Tensor {
  const s = checkShape('ones', shape);
  return new Tensor(new Float64Array(sizeOf(s)).fill(1), s);
}
/** Tensor filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  const s = checkShape('full', shape);
  if (typeof value !== 'number') throw new Error(`full: value must be a number, got ${typeof value}`);
  return new Tensor(new Float64Array(sizeOf(s)).fill(value), s);
}
