import { fma } from '../linalg/fma.ts';
import { checkBoolean, readOptions, showValue, type TorchSpellings } from '../autodiff/options.ts';

/** SGD's options, camelCase (the documented form). */
export interface SgdOptionsCamel {
  /** Learning rate γ (required, ≥ 0). */
  lr: number;
  /** Momentum μ (default 0). */
  momentum?: number;
  /** Dampening τ (default 0). */
  dampening?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs μ > 0 and τ = 0). */
  nesterov?: boolean;
  /** Ascend instead of descend (default false). */
  maximize?: boolean;
}

/** Every SGD option and its PyTorch spelling (same name where PyTorch's is already one word). */
export const SGD_OPTION_NAMES = { lr: null, momentum: null, dampening: null, weightDecay: 'weight_decay', nesterov: null, maximize: null } as const;

/** SGD's options: camelCase, or PyTorch's spelling (`weight_decay`); not both for one option. */
export type SgdOptions = SgdOptionsCamel & TorchSpellings<SgdOptionsCamel, { weightDecay: 'weight_decay' }>;

export type ResolvedSgdOptions = Required<SgdOptionsCamel>;

/**
 * Validate as torch.optim.SGD.__init__ does, with the same messages (plus the valid range); also
 * rejects NaN/∞, unknown options and non-boolean flags.
 */
export function resolveSgdOptions(options: SgdOptions, who = 'SGD'): ResolvedSgdOptions {
  const o = readOptions(who, options, SGD_OPTION_NAMES);
  if (o.lr === undefined) throw new TypeError('required parameter not specified: lr');
  const lr = o.lr as number;
  const momentum = (o.momentum ?? 0) as number;
  const dampening = (o.dampening ?? 0) as number;
  const weightDecay = (o.weightDecay ?? 0) as number;
  const nesterov = checkBoolean(who, 'nesterov', o.nesterov ?? false);
  const maximize = checkBoolean(who, 'maximize', o.maximize ?? false);
  const bad = (v: unknown): boolean => typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v);
  if (bad(lr)) throw new RangeError(`Invalid learning rate: ${showValue(lr)} (lr must be a finite number ≥ 0)`);
  if (bad(momentum)) throw new RangeError(`Invalid momentum value: ${showValue(momentum)} (momentum must be a finite number ≥ 0)`);
  if (bad(weightDecay)) throw new RangeError(`Invalid weight_decay value: ${showValue(weightDecay)} (weightDecay must be a finite number ≥ 0)`);
  if (typeof dampening !== 'number' || !Number.isFinite(dampening)) throw new RangeError(`Invalid dampening value: ${showValue(dampening)} (dampening must be a finite number)`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  return { lr, momentum, dampening, weightDecay, nesterov, maximize };
}

/** Per-parameter SGD state: the momentum buffer b (null until the first step, as in PyTorch). */
export interface SgdState {
  momentumBuffer: Float64Array | null;
  step: number;
}

export function sgdInit(): SgdState {
  return { momentumBuffer: null, step: 0 };
}

/**
 * One torch.optim.SGD update of θ in place, in PyTorch's order:
 *
 *   g ← −g if maximize;  g ← g + λθ;  b ← g (first step) or μb + (1 − τ)g;
 *   g ← g + μb (Nesterov) or b;  θ ← θ − γg.
 *
 * (PyTorch negates for `maximize` first, although the 1.13 docs' pseudo-code applies it last; with
 * weight decay the two differ, and this follows the code.) Allocates only the momentum buffer, once.
 */
export function sgdUpdate(state: SgdState, theta: Float64Array, grad: Float64Array, o: ResolvedSgdOptions): void {
  const n = theta.length;
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = o;
  let buf = state.momentumBuffer;
  const first = buf === null;
  if (momentum !== 0 && buf === null) buf = state.momentumBuffer = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Each `u + a·v` is PyTorch's `u.add(v, alpha=a)`, a fused multiply-add on CPU.
    let dp = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) dp = fma(theta[i], weightDecay, dp);
    if (momentum !== 0 && buf !== null) {
      let b: number;
      if (first) b = dp;
      else b = fma(dp, 1 - dampening, buf[i] * momentum);
      buf[i] = b;
      dp = nesterov ? fma(b, momentum, dp) : b;
    }
    theta[i] = fma(dp, -lr, theta[i]);
  }
  state.step++;
}
