/**
 * torch.nn.functional's softmax family and cross-entropy, composed from logsumexp, gather and mean,
 * so they have derivatives of every order.
 */
import { readOptions } from './options.ts';
import { asTensor, exp, gather, indexValues, logsumexp, mean, neg, normAxes, relu, reshape, sigmoid, softplus, sub, sum, tanh } from './ops.ts';
import { showShape } from './shape.ts';
import { Tensor, type TensorLike } from './tensor.ts';

/** softmax(x)ᵢ = exp(xᵢ − logsumexp(x)) along `dim`. */
export function softmax(x: TensorLike, dim: number): Tensor {
  const t = asTensor(x);
  normAxes('softmax', dim, t.ndim);
  return exp(sub(t, logsumexp(t, dim, true)));
}

/** log softmax(x)ᵢ = xᵢ − logsumexp(x) along `dim` (stable for large |x|). */
export function logSoftmax(x: TensorLike, dim: number): Tensor {
  const t = asTensor(x);
  normAxes('logSoftmax', dim, t.ndim);
  return sub(t, logsumexp(t, dim, true));
}

export interface CrossEntropyOptions {
  /** 'mean' (default), 'sum' or 'none' (one loss per sample). */
  reduction?: 'mean' | 'sum' | 'none';
}

/**
 * F.cross_entropy with class indices: ℓₙ = −log softmax(inputₙ)[targetₙ] = logsumexp(inputₙ) − inputₙ[targetₙ],
 * for input [N, C] and target [N] (or input [C] and a 0-d target); reduced by `reduction`.
 */
export function crossEntropy(input: TensorLike, target: TensorLike, options: CrossEntropyOptions = {}): Tensor {
  const o = readOptions('crossEntropy', options, { reduction: null });
  const reduction = o.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') throw new RangeError(`crossEntropy: reduction must be 'mean', 'sum' or 'none', got ${String(reduction)}`);
  const x = asTensor(input);
  const y = asTensor(target);
  const batched = x.ndim === 2;
  if (!(batched && y.ndim === 1 && y.shape[0] === x.shape[0]) && !(x.ndim === 1 && y.ndim === 0)) {
    throw new Error(`crossEntropy: input ${showShape(x.shape)} and target ${showShape(y.shape)} do not match (need [N, C] with [N] class indices, or [C] with a 0-d index)`);
  }
  const x2 = batched ? x : reshape(x, [1, x.size]);
  const n = x2.shape[0];
  const { values } = indexValues('crossEntropy: target', y, x2.shape[1], 1);
  const logp = logSoftmax(x2, 1);
  const picked = reshape(gather(logp, 1, new Tensor(Float64Array.from(values), [n, 1])), batched ? [n] : []);
  const losses = neg(picked);
  return reduction === 'none' ? losses : reduction === 'sum' ? sum(losses) : mean(losses);
}

/** torch.nn.functional, as far as the library goes (`F.cross_entropy(x, y)` ports as `F.cross_entropy(x, y)`). */
export const F = {
  softmax, logSoftmax, log_softmax: logSoftmax, crossEntropy, cross_entropy: crossEntropy,
  relu, sigmoid, tanh, softplus,
};
