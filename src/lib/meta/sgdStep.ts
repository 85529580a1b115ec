import type { Tensor } from '../autodiff/index.ts';
import { checkHyper, checkKeys } from './options.ts';
import { checkSameShape, type GradientTransformation, type Hyper, scalarHyper } from './transformation.ts';

export interface SgdStepOptions {
  /** Learning rate η ≥ 0: a number, or a one-element tensor to differentiate with respect to it. */
  lr: Hyper;
}

export interface SgdStepState {
  /** Shape of the parameters (gradients must match it). */
  readonly shape: readonly number[];
  /** Steps taken. */
  readonly count: number;
}

/**
 * u = −η g: plain gradient descent as a pure init/update pair (x ← x − η∇f(x) after `applyUpdates`).
 *
 * Differentiating through one step: ∂x₁/∂x₀ = I − η∇²f(x₀) and ∂x₁/∂η = −∇f(x₀).
 *
 * ```ts
 * const opt = sgdStep({ lr: 0.1 });
 * let x = tensor([1, 1]); let s = opt.init(x);
 * const [u, s1] = opt.update(grad(f)(x), s); x = applyUpdates(x, u);
 * ```
 */
export function sgdStep(options: SgdStepOptions): GradientTransformation<SgdStepState> {
  checkKeys('sgdStep', options, ['lr']);
  if (options.lr === undefined) throw new TypeError('sgdStep: lr is required');
  const lr = scalarHyper(checkHyper('sgdStep', 'lr', options.lr, { min: 0 }));
  return {
    init: (params) => ({ shape: params.shape, count: 0 }),
    update: (grads: Tensor, state) => {
      checkSameShape('sgdStep.update', 'grads', grads, state.shape);
      return [grads.mul(lr).neg(), { shape: state.shape, count: state.count + 1 }];
    },
  };
}
