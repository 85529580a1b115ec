/**
 * The optax shape of an optimizer: a pair of pure functions over tensors. `init` builds the state,
 * `update` maps a gradient and the state to an update and the next state; nothing is mutated, so
 * every parameter, state and hyperparameter stays on the autodiff tape and a loop of steps can be
 * differentiated with respect to any of them.
 */
import { Tensor, tensor } from '../autodiff/index.ts';

export interface GradientTransformation<S> {
  /** The state before the first step, for parameters shaped like `params`. */
  init(params: Tensor): S;
  /** [u, s′]: the update u (apply it with x ← x + u, `applyUpdates`) and the next state. */
  update(grads: Tensor, state: S): [Tensor, S];
}

/** x + u: the parameters after an update (optax's apply_updates). */
export function applyUpdates(params: Tensor, updates: Tensor): Tensor {
  checkSameShape('applyUpdates', 'updates', updates, params.shape);
  return params.add(updates);
}

const show = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** Throws unless `t` is a tensor of shape `shape`, naming the function and the argument. */
export function checkSameShape(where: string, name: string, t: unknown, shape: readonly number[]): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${where}: ${name} has shape ${show(t.shape)} but the parameters have shape ${show(shape)}`);
  }
}

/** A number, or a one-element tensor viewed as 0-d so it broadcasts without changing shapes. */
export type Hyper = number | Tensor;
export function scalarHyper(h: Hyper): Hyper {
  return typeof h === 'number' ? h : h.reshape([]);
}
/** 1 − h, on the tape when h is a tensor. */
export function oneMinus(h: Hyper): Hyper {
  return typeof h === 'number' ? 1 - h : h.neg().add(1);
}
/** hᵗ for an integer t ≥ 1, on the tape when h is a tensor. */
export function powHyper(h: Hyper, t: number): Hyper {
  return typeof h === 'number' ? h ** t : h.pow(t);
}
/** a / b, on the tape when either is a tensor. */
export function divHyper(a: Hyper, b: Hyper): Hyper {
  if (typeof a === 'number' && typeof b === 'number') return a / b;
  return (typeof a === 'number' ? tensor(a) : a).div(b);
}
