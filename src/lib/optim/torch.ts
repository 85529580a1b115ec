import { Evaluator } from './evaluator.ts';
import { lbfgsInit, lbfgsStep, type LbfgsOptions, type LbfgsState } from './lbfgs.ts';
import type { Objective, StopReason } from './objective.ts';
import { resolveSgdOptions, sgdInit, sgdUpdate, type ResolvedSgdOptions, type SgdOptions, type SgdState } from './sgd.ts';

/**
 * What the torch-shaped optimizers need from a parameter: the autodiff Tensor satisfies it
 * (`data` is updated in place, like torch's `.data`; `grad` is filled by `backward()`).
 */
export interface ParamLike {
  data: Float64Array;
  grad: { data: Float64Array } | null;
}

/** A closure's return value: a 0-d tensor (anything with item()) or a number. */
export type LossLike = number | { item(): number };

function lossValue(l: LossLike): number {
  if (typeof l === 'number') return l;
  if (l && typeof l.item === 'function') return l.item();
  throw new TypeError('closure must return the loss (a number or a one-element tensor)');
}

function checkParams(params: Iterable<ParamLike>, who: string): ParamLike[] {
  const list = Array.from(params ?? []);
  if (list.length === 0) throw new RangeError(`${who}: optimizer got an empty parameter list`);
  for (const p of list) if (!p || !(p.data instanceof Float64Array)) throw new TypeError(`${who}: every parameter needs a Float64Array .data`);
  return list;
}

abstract class TorchOptimizer {
  readonly params: readonly ParamLike[];
  constructor(params: Iterable<ParamLike>, who: string) {
    this.params = checkParams(params, who);
  }

  /**
   * Zero every parameter's gradient in place (PyTorch 1.13's default), or drop it with
   * `setToNone` (PyTorch 2's default).
   */
  zeroGrad(setToNone = false): void {
    for (const p of this.params) {
      if (!p.grad) continue;
      if (setToNone) p.grad = null;
      else p.grad.data.fill(0);
    }
  }
}

/**
 * torch.optim.SGD over autodiff tensors:
 * `const opt = new SGD([x], { lr: 0.1 }); opt.zeroGrad(); f(x).backward(); opt.step();`
 * The update is `sgdUpdate` (see sgd.ts), applied to each parameter with a gradient; parameters
 * whose `grad` is null are skipped and keep their momentum buffer untouched, as in PyTorch.
 */
export class SGD extends TorchOptimizer {
  readonly options: ResolvedSgdOptions;
  /** Per-parameter state (momentum buffers), index-aligned with `params`. */
  readonly state: SgdState[];

  constructor(params: Iterable<ParamLike>, options: SgdOptions) {
    super(params, 'SGD');
    this.options = resolveSgdOptions(options);
    this.state = this.params.map(() => sgdInit());
  }

  /** Optionally re-evaluate through `closure` first; returns the closure's loss (or undefined). */
  step<L extends LossLike>(closure?: () => L): L | undefined {
    const loss = closure ? closure() : undefined;
    this.params.forEach((p, i) => {
      if (p.grad) sgdUpdate(this.state[i], p.data, p.grad.data, this.options);
    });
    return loss;
  }
}

/**
 * torch.optim.LBFGS (PyTorch 1.13) over autodiff tensors:
 * `new LBFGS([y], { lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' })`, then
 * `opt.step(closure)` where the closure zeroes gradients, computes the loss, calls backward() and
 * returns the loss. The algorithm is `lbfgsStep` (lbfgs.ts), the same state machine minimize()
 * uses; this class only flattens the parameters and turns the closure into an Objective.
 * All parameters form one group (PyTorch's LBFGS allows only one).
 */
export class LBFGS extends TorchOptimizer {
  /** L-BFGS state carried across step() calls (history, d, t, counters). */
  readonly state: LbfgsState;
  /** Why the latest step() call returned. */
  lastReason: StopReason | null = null;
  private readonly x: Float64Array;
  private readonly offsets: number[];

  constructor(params: Iterable<ParamLike>, options: LbfgsOptions = {}) {
    super(params, 'LBFGS');
    this.offsets = [];
    let n = 0;
    for (const p of this.params) {
      this.offsets.push(n);
      n += p.data.length;
    }
    this.state = lbfgsInit(n, options);
    this.x = new Float64Array(n);
  }

  private gather(): void {
    this.params.forEach((p, i) => this.x.set(p.data, this.offsets[i]));
  }

  private scatter(x: Float64Array): void {
    this.params.forEach((p, i) => p.data.set(x.subarray(this.offsets[i], this.offsets[i] + p.data.length)));
  }

  /**
   * Run up to maxIter L-BFGS iterations, calling `closure` at every point PyTorch would, and
   * return the loss of the first call (PyTorch's `orig_loss`). If f or a gradient turns
   * non-finite, the parameters keep their last finite accepted values and `lastReason` is
   * 'non-finite' (PyTorch would continue with NaN).
   */
  step<L extends LossLike>(closure: () => L): L {
    if (typeof closure !== 'function') throw new TypeError('LBFGS.step requires a closure that reevaluates the model and returns the loss');
    let first: L | undefined;
    const valueAndGrad = (x: Float64Array, gOut: Float64Array): number => {
      this.scatter(x);
      const loss = closure();
      if (first === undefined) first = loss;
      this.params.forEach((p, i) => {
        const off = this.offsets[i];
        if (p.grad) gOut.set(p.grad.data, off);
        else gOut.fill(0, off, off + p.data.length);
      });
      return lossValue(loss);
    };
    // lbfgsStep only calls valueAndGrad (PyTorch always needs both); value/grad delegate to it.
    const objective: Objective = {
      n: this.x.length,
      valueAndGrad,
      value: (x) => valueAndGrad(x, new Float64Array(this.x.length)),
      grad: (x, out = new Float64Array(this.x.length)) => (valueAndGrad(x, out), out),
    };
    this.gather();
    const ev = new Evaluator(objective, this.x.length, null);
    const r = lbfgsStep(this.state, ev, this.x);
    this.scatter(this.x);
    this.lastReason = r.reason;
    return first as L;
  }
}
