/**
 * Autodiff: float64 tensors, reverse mode of any order, forward mode, HVPs
 * without forming the Hessian, and compiled Float64Array objectives.
 * See docs/autodiff.md.
 */
// First: installs Tensor's methods (x.add(y), x.backward()) on the class.
import './tensorMethods.ts';
export { Tensor, tensor, zeros, ones, full } from './tensor.ts';
export type { TensorLike, NestedArray, TensorOptions, GradNode } from './tensor.ts';
export {
  asTensor, add, sub, mul, div, neg, pow, square, exp, log, log1p, sqrt, tanh, sigmoid, softplus,
  sin, cos, abs, sign, relu, sum, mean, sumTo, broadcastTo, reshape, dot, matmul, mm, mv,
  transpose, slice, pad, concat, at,
  compare, eq, ne, gt, ge, lt, le, where, maximum, minimum, clamp, amax, amin, argmax, argmin, max, min,
  logsumexp, gather, equal, allclose, indexSelect, indexSelect as index_select, cat, stack, variance, variance as var, std,
} from './ops.ts';
export type { ValuesIndices, VarOptions, AllcloseOptions } from './ops.ts';
export { softmax, logSoftmax, logSoftmax as log_softmax, crossEntropy, crossEntropy as cross_entropy, F } from './nn.ts';
export type { CrossEntropyOptions } from './nn.ts';
import { grad as autogradGrad, backward } from './autograd.ts';
import { functional } from './functional.ts';
export { autogradGrad, backward, functional };
/** The namespace mirroring torch.autograd: grad, backward and functional (hvp, vhp, jvp, vjp, jacobian, hessian). */
export const autograd = { grad: autogradGrad, backward, functional };
export type { GradOptions, BackwardOptions } from './autograd.ts';
export type { FunctionalOptions } from './functional.ts';
export { readOptions, MAX_BUDGET } from './options.ts';
export type { TorchSpellings } from './options.ts';
export { grad, valueAndGrad, vjp, jvp, hvp, hessian, defaultHvpMode } from './transforms.ts';
export type { Fn, HvpMode } from './transforms.ts';
export { jacfwd, jacrev, linearize } from './jacobians.ts';
export { objective } from './objective.ts';
export type { ObjectiveOptions } from './objective.ts';
export type { Objective, CompiledObjective } from './objectiveType.ts';
export { noGrad } from './state.ts';
export { formatTensor } from './format.ts';
export type { Op } from './op.ts';
export { rules } from './rules.ts';
export type { Rule } from './rules.ts';
