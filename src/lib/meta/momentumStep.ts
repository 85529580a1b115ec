import type { Tensor } from '../autodiff/index.ts';
import { checkBoolean, checkHyper, checkKeys } from './options.ts';
import { checkSameShape, type GradientTransformation, type Hyper, oneMinus, scalarHyper } from './transformation.ts';

export interface MomentumStepOptions {
  /** Learning rate η ≥ 0 (number or one-element tensor). */
  lr: Hyper;
  /** Momentum μ in [0, 1) (number or one-element tensor). */
  momentum: Hyper;
  /** Dampening τ in [0, 1] (default 0). */
  dampening?: Hyper;
  /** Nesterov momentum (default false; needs μ > 0 and τ = 0, as in torch.optim.SGD). */
  nesterov?: boolean;
}

export interface MomentumStepState {
  readonly shape: readonly number[];
  readonly count: number;
  /** The velocity b; null before the first step (PyTorch starts it at the first gradient). */
  readonly buffer: Tensor | null;
}

const keys = ['lr', 'momentum', 'dampening', 'nesterov'];

/**
 * b₁ = g₁, bₜ = μ bₜ₋₁ + (1 − τ) gₜ;  u = −η (g + μ b) with Nesterov, else u = −η b —
 * torch.optim.SGD's momentum, as a pure init/update pair whose state stays on the tape.
 */
export function momentumStep(options: MomentumStepOptions): GradientTransformation<MomentumStepState> {
  checkKeys('momentumStep', options, keys);
  for (const k of ['lr', 'momentum'] as const) if (options[k] === undefined) throw new TypeError(`momentumStep: ${k} is required`);
  const lr = scalarHyper(checkHyper('momentumStep', 'lr', options.lr, { min: 0 }));
  const mu = scalarHyper(checkHyper('momentumStep', 'momentum', options.momentum, { min: 0, max: 1, maxOpen: true }));
  const tau = scalarHyper(checkHyper('momentumStep', 'dampening', options.dampening ?? 0, { min: 0, max: 1 }));
  const nesterov = checkBoolean('momentumStep', 'nesterov', options.nesterov ?? false);
  const value = (h: Hyper): number => (typeof h === 'number' ? h : h.item());
  if (nesterov && (value(mu) <= 0 || value(tau) !== 0)) {
    throw new RangeError(`momentumStep: nesterov needs momentum > 0 and dampening = 0, got momentum ${value(mu)} and dampening ${value(tau)}`);
  }
  return {
    init: (params) => ({ shape: params.shape, count: 0, buffer: null }),
    update: (grads, state) => {
      checkSameShape('momentumStep.update', 'grads', grads, state.shape);
      const b = state.buffer === null ? grads : state.buffer.mul(mu).add(grads.mul(oneMinus(tau)));
      const direction = nesterov ? grads.add(b.mul(mu)) : b;
      return [direction.mul(lr).neg(), { shape: state.shape, count: state.count + 1, buffer: b }];
    },
  };
}
