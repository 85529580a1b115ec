/**
 * torch.autograd.functional, for one tensor input: the same names, argument order and result shapes
 * as PyTorch's, built on the JAX-shaped transforms (transforms.ts) and the compiled dense Hessian.
 */
import * as ops from './ops.ts';
import { checkBoolean, readOptions, type TorchSpellings } from './options.ts';
import { showShape } from './shape.ts';
import { Tensor, type TensorLike } from './tensor.ts';
import { hessian as denseHessian, hvp as hvpTransform, jvp as jvpTransform, vjp as vjpTransform, type Fn } from './transforms.ts';

/** torch.autograd.functional's options (results are differentiable again whenever their inputs require grad). */
export interface FunctionalOptionsCamel {
  /** Accepted for porting; results already stay differentiable when the inputs require grad. */
  createGraph?: boolean;
  /** PyTorch's `strict` (error when the output does not depend on the input); only false is supported. */
  strict?: boolean;
}
export type FunctionalOptions = FunctionalOptionsCamel & TorchSpellings<FunctionalOptionsCamel, { createGraph: 'create_graph' }>;

function readFunctional(who: string, options: FunctionalOptions | undefined): void {
  const o = readOptions(who, options, { createGraph: 'create_graph', strict: null });
  checkBoolean(who, 'createGraph', o.createGraph ?? false);
  if (checkBoolean(who, 'strict', o.strict ?? false)) throw new RangeError(`${who}: strict: true is not supported (outputs that do not depend on the input give zeros)`);
}

function oneInput(who: string, x: unknown): Tensor {
  if (Array.isArray(x) && x.length > 0 && x.every((e) => e instanceof Tensor)) {
    throw new TypeError(`${who}: several input tensors are not supported; concatenate them into one (cat) and slice inside func`);
  }
  return ops.asTensor(x as TensorLike);
}

/** (f(x), J·v): torch.autograd.functional.jvp. */
export function jvp(func: Fn, inputs: TensorLike, v: TensorLike, options?: FunctionalOptions): [Tensor, Tensor] {
  readFunctional('jvp', options);
  return jvpTransform(func, oneInput('jvp', inputs), v);
}

/** (f(x), vᵀJ): torch.autograd.functional.vjp (v may be omitted for a one-element output). */
export function vjp(func: Fn, inputs: TensorLike, v?: TensorLike, options?: FunctionalOptions): [Tensor, Tensor] {
  readFunctional('vjp', options);
  const [y, pullback] = vjpTransform(func, oneInput('vjp', inputs));
  if (v === undefined && y.size !== 1) throw new Error(`vjp: v is required for an output of shape ${showShape(y.shape)}`);
  return [y.detach(), pullback(v ?? ops.reshape(1, y.shape))];
}

/** (f(x), ∇²f(x)·v) for scalar f: torch.autograd.functional.hvp. */
export function hvp(func: Fn, inputs: TensorLike, v: TensorLike, options?: FunctionalOptions): [Tensor, Tensor] {
  readFunctional('hvp', options);
  const x = oneInput('hvp', inputs);
  return [func(x.detach()).detach(), hvpTransform(func, x, v)];
}

/** (f(x), vᵀ∇²f(x)) for scalar f: torch.autograd.functional.vhp (equal to hvp: ∇²f is symmetric). */
export function vhp(func: Fn, inputs: TensorLike, v: TensorLike, options?: FunctionalOptions): [Tensor, Tensor] {
  readFunctional('vhp', options);
  const x = oneInput('vhp', inputs);
  return [func(x.detach()).detach(), hvpTransform(func, x, v)];
}

/** ∂f/∂x with shape f(x).shape + x.shape: torch.autograd.functional.jacobian (one VJP per output entry). */
export function jacobian(func: Fn, inputs: TensorLike, options?: FunctionalOptions): Tensor {
  readFunctional('jacobian', options);
  const x = oneInput('jacobian', inputs);
  const [y, pullback] = vjpTransform(func, x);
  const J = new Float64Array(y.size * x.size);
  const e = new Float64Array(y.size);
  for (let i = 0; i < y.size; i++) {
    e.fill(0);
    e[i] = 1;
    J.set(pullback(new Tensor(Float64Array.from(e), y.shape)).data, i * x.size);
  }
  return new Tensor(J, [...y.shape, ...x.shape]);
}

/** ∇²f(x) with shape x.shape + x.shape for scalar f: torch.autograd.functional.hessian. */
export function hessian(func: Fn, inputs: TensorLike, options?: FunctionalOptions): Tensor {
  readFunctional('hessian', options);
  return denseHessian(func)(oneInput('hessian', inputs));
}

/** The namespace, as `torch.autograd.functional`. */
export const functional = { jvp, vjp, hvp, vhp, jacobian, hessian };
