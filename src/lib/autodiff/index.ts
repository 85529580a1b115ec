/**
 * Autodiff: float64 tensors, reverse mode of any order, forward mode, HVPs
 * without forming the Hessian, and compiled Float64Array objectives.
 * See docs/autodiff.md.
 */
// First: installs Tensor's methods (x.add(y), x.backward()) on the class.
import './tensorMethods';
export { Tensor, tensor, zeros, ones, full } from './tensor';
export type { TensorLike, NestedArray, TensorOptions, GradNode } from './tensor';
export {
  asTensor, add, sub, mul, div, neg, pow, square, exp, log, log1p, sqrt, tanh, sigmoid, softplus,
  sin, cos, abs, sign, relu, sum, mean, sumTo, broadcastTo, reshape, dot, matmul, mm, mv,
  transpose, slice, pad, concat, at,
  compare, eq, ne, gt, ge, lt, le, where, maximum, minimum, clamp, amax, amin, argmax, argmin, max, min,
  logsumexp, gather, equal, allclose, indexSelect, indexSelect as index_select, cat, stack, variance, variance as var, std,
} from './ops';
export type { ValuesIndices, VarOptions, AllcloseOptions } from './ops';
export { softmax, logSoftmax, logSoftmax as log_softmax, crossEntropy, crossEntropy as cross_entropy, F } from './nn';
export type { CrossEntropyOptions } from './nn';
import { grad as autogradGrad, backward } from './autograd';
import { functional } from './functional';
export { autogradGrad, backward, functional };
/** The namespace mirroring torch.autograd: grad, backward and functional (hvp, vhp, jvp, vjp, jacobian, hessian). */
export const autograd = { grad: autogradGrad, backward, functional };
export type { GradOptions, BackwardOptions } from './autograd';
export type { FunctionalOptions } from './functional';
export { readOptions, MAX_BUDGET } from './options';
export type { TorchSpellings } from './options';
export { grad, valueAndGrad, vjp, jvp, hvp, hessian, defaultHvpMode } from './transforms';
export type { Fn, HvpMode } from './transforms';
export { jacfwd, jacrev, linearize } from './jacobians';
export { objective } from './objective';
export type { ObjectiveOptions } from './objective';
export type { Objective, CompiledObjective } from './objectiveType';
export { noGrad } from './state';
export { formatTensor } from './format';
export type { Op } from './op';
export { rules } from './rules';
export type { Rule } from './rules';
