import { type Tensor, zeros } from '../autodiff/index.ts';
import { checkHyper, checkKeys } from './options.ts';
import { checkSameShape, divHyper, type GradientTransformation, type Hyper, oneMinus, powHyper, scalarHyper } from './transformation.ts';

export interface AdamStepOptions {
  /** Learning rate η ≥ 0 (number or one-element tensor). */
  lr: Hyper;
  /** β₁ in [0, 1), decay of the first moment (default 0.9). */
  beta1?: Hyper;
  /** β₂ in [0, 1), decay of the second moment (default 0.999). */
  beta2?: Hyper;
  /** ε > 0 added to the denominator (default 1e-8). */
  eps?: Hyper;
}

export interface AdamStepState {
  readonly shape: readonly number[];
  readonly count: number;
  /** First moment m (zeros before the first step). */
  readonly mu: Tensor;
  /** Second moment v (zeros before the first step). */
  readonly nu: Tensor;
}

const keys = ['lr', 'beta1', 'beta2', 'eps'];

/**
 * mₜ = β₁mₜ₋₁ + (1 − β₁)g, vₜ = β₂vₜ₋₁ + (1 − β₂)g², u = −η/(1 − β₁ᵗ) · mₜ / (√vₜ / √(1 − β₂ᵗ) + ε) —
 * torch.optim.Adam (Kingma & Ba 2015) in PyTorch's order of operations, as a pure init/update pair.
 *
 * Differentiating through it is fine where g ≠ 0; at a gradient component that is exactly 0 the
 * derivative of √v is infinite and the hypergradient is NaN (torch behaves the same way).
 */
export function adamStep(options: AdamStepOptions): GradientTransformation<AdamStepState> {
  checkKeys('adamStep', options, keys);
  if (options.lr === undefined) throw new TypeError('adamStep: lr is required');
  const lr = scalarHyper(checkHyper('adamStep', 'lr', options.lr, { min: 0 }));
  const b1 = scalarHyper(checkHyper('adamStep', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true }));
  const b2 = scalarHyper(checkHyper('adamStep', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true }));
  const eps = scalarHyper(checkHyper('adamStep', 'eps', options.eps ?? 1e-8, { min: 0, minOpen: true }));
  return {
    init: (params) => ({ shape: params.shape, count: 0, mu: zeros(params.shape), nu: zeros(params.shape) }),
    update: (grads, state) => {
      checkSameShape('adamStep.update', 'grads', grads, state.shape);
      const t = state.count + 1;
      const mu = state.mu.mul(b1).add(grads.mul(oneMinus(b1)));
      const nu = state.nu.mul(b2).add(grads.mul(grads).mul(oneMinus(b2)));
      const bc1 = oneMinus(powHyper(b1, t));
      const bc2 = oneMinus(powHyper(b2, t));
      const sqrtBc2 = typeof bc2 === 'number' ? Math.sqrt(bc2) : bc2.sqrt();
      const stepSize = divHyper(lr, bc1);
      const denom = nu.sqrt().div(sqrtBc2).add(eps);
      return [mu.div(denom).mul(stepSize).neg(), { shape: state.shape, count: t, mu, nu }];
    },
  };
}
