/**
 * Autodiff: float64 tensors, reverse mode of any order, forward mode, HVPs
 * without forming the Hessian, and compiled Float64Array objectives.
 * See docs/autodiff.md.
 */
export { Tensor, tensor, zeros, ones, full } from './tensor';
export type { TensorLike, NestedArray, TensorOptions, GradNode } from './tensor';
export {
  asTensor, add, sub, mul, div, neg, pow, square, exp, log, log1p, sqrt, tanh, sigmoid, softplus,
  sin, cos, abs, sign, relu, sum, mean, sumTo, broadcastTo, reshape, dot, matmul, mm, mv,
  transpose, slice, pad, concat, at,
} from './ops';
import { grad as autogradGrad, backward } from './autograd';
import { functional } from './functional';
export { autogradGrad, backward, functional };
/** The namespace mirroring torch.autograd: grad, backward and functional (hvp, vhp, jvp, vjp, jacobian, hessian). */
export const autograd = { grad: autogradGrad, backward, functional };
export type { GradOptions, BackwardOptions } from './autograd';
export type { FunctionalOptions } from './functional';
export { readOptions, MAX_BUDGET } from './options';
export type { TorchSpellings } from './options';
export { grad, valueAndGrad, vjp, jvp, hvp, defaultHvpMode } from './transforms';
export type { Fn, HvpMode } from './transforms';
export { jacfwd, jacrev, linearize } from './jacobians';
export { objective, hessian } from './objective';
export type { Objective, ObjectiveOptions } from './objective';
export { noGrad } from './state';
export { formatTensor } from './format';
export type { Op } from './op';
export { rules } from './rules';
export type { Rule } from './rules';
