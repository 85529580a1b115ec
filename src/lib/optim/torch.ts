import { readOptions } from '../autodiff/options.ts';
import { Evaluator } from './evaluator.ts';
import { LBFGS_OPTION_NAMES, lbfgsInit, lbfgsStep, resolveLbfgsOptions, type LbfgsOptions, type LbfgsOptionsCamel, type LbfgsState } from './lbfgs.ts';
import type { Objective, StopReason } from './objective.ts';
import { checkLoadedGroups, groupOptions, makeParamGroups, type ParamGroup, type ParamGroupSpec, type ParamLike } from './paramGroups.ts';
import { resolveSgdOptions, SGD_OPTION_NAMES, sgdInit, sgdUpdate, type SgdOptions, type SgdOptionsCamel, type SgdState } from './sgd.ts';

export type { ParamLike, ParamGroup, ParamGroupSpec } from './paramGroups.ts';

/** A closure's return value: a 0-d tensor (anything with item()) or a number. */
export type LossLike = number | { item(): number };

function lossValue(l: LossLike): number {
  if (typeof l === 'number') return l;
  if (l && typeof l.item === 'function') return l.item();
  throw new TypeError('closure must return the loss (a number or a one-element tensor)');
}

/** What state_dict() returns: per-parameter state by index, and each group's options with its parameters' indices. */
export interface StateDict<S, O> {
  state: Record<number, S>;
  paramGroups: (O & { params: number[] })[];
}

abstract class TorchOptimizer<O extends object> {
  /** The parameter groups (PyTorch's `param_groups`), options camelCase; changes apply at the next step. */
  readonly paramGroups: ParamGroup<O>[];
  constructor(readonly who: string, params: unknown, defaults: Record<string, unknown>, private readonly names: Readonly<Record<string, string | null>>) {
    this.paramGroups = makeParamGroups<O>(who, params, defaults, names);
  }

  /** PyTorch's spelling of `paramGroups`. */
  get param_groups(): ParamGroup<O>[] {
    return this.paramGroups;
  }

  /** Every parameter, in group order (the indices state_dict() uses). */
  get params(): readonly ParamLike[] {
    return this.paramGroups.flatMap((g) => g.params);
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

  /** PyTorch's spelling of `zeroGrad`. */
  zero_grad(set_to_none = false): void {
    this.zeroGrad(set_to_none);
  }

  /** PyTorch's spelling of `stateDict`. */
  state_dict(): ReturnType<this['stateDict']> {
    return this.stateDict() as ReturnType<this['stateDict']>;
  }

  /** PyTorch's spelling of `loadStateDict`. */
  load_state_dict(sd: Parameters<this['loadStateDict']>[0]): void {
    this.loadStateDict(sd);
  }

  /** Each group's options with its parameters' indices in `params` (for stateDict). */
  protected groupsForDict(): (O & { params: number[] })[] {
    let k = 0;
    return this.paramGroups.map((g) => ({ ...(groupOptions(g) as O), params: g.params.map(() => k++) }));
  }

  /** Copy the options of loaded groups into ours (validated at the next step). */
  protected loadGroups(loaded: unknown): void {
    const groups = checkLoadedGroups(this.who, this.paramGroups, loaded);
    groups.forEach((g, i) => {
      const opts = readOptions(`${this.who}: load_state_dict parameter group ${i}`, groupOptions(g as unknown as Record<string, unknown>), this.names);
      Object.assign(this.paramGroups[i], opts);
    });
  }

  abstract stateDict(): StateDict<unknown, O>;
  abstract loadStateDict(sd: StateDict<unknown, O>): void;
}

/** SGD's per-parameter state in a state dict. */
export interface SgdParamState {
  momentumBuffer: number[] | null;
  step: number;
}

/**
 * torch.optim.SGD over autodiff tensors, with parameter groups:
 * `const opt = new SGD([x], { lr: 0.1 }); opt.zeroGrad(); f(x).backward(); opt.step();` or
 * `new SGD([{ params: [w], lr: 0.1 }, { params: [b] }], { lr: 0.01, momentum: 0.9 })`.
 * The update is `sgdUpdate` (see sgd.ts), applied to each parameter with a gradient using its group's
 * options; parameters whose `grad` is null are skipped and keep their momentum buffer, as in PyTorch.
 */
export class SGD extends TorchOptimizer<SgdOptionsCamel> {
  /** Per-parameter state (momentum buffers), keyed by parameter as PyTorch's `state`. */
  readonly state = new Map<ParamLike, SgdState>();

  constructor(params: Iterable<ParamLike> | Iterable<ParamGroupSpec<Partial<SgdOptions>>>, options?: Partial<SgdOptions>) {
    const defaults = readOptions('SGD', options, SGD_OPTION_NAMES);
    super('SGD', params, defaults, SGD_OPTION_NAMES);
    this.paramGroups.forEach((g) => this.resolved(g));
  }

  private resolved(g: ParamGroup<SgdOptionsCamel>) {
    if (g.lr === undefined) throw new TypeError("SGD: parameter group didn't specify a value of required optimization parameter lr");
    return resolveSgdOptions(groupOptions(g) as unknown as SgdOptions, 'SGD');
  }

  /** Optionally re-evaluate through `closure` first; returns the closure's loss (or undefined). */
  step<L extends LossLike>(closure?: () => L): L | undefined {
    const loss = closure ? closure() : undefined;
    for (const g of this.paramGroups) {
      const o = this.resolved(g);
      for (const p of g.params) {
        if (!p.grad) continue;
        let st = this.state.get(p);
        if (!st) this.state.set(p, (st = sgdInit()));
        sgdUpdate(st, p.data, p.grad.data, o);
      }
    }
    return loss;
  }

  /** A copy of the state (momentum buffers as plain arrays) and of every group's options. */
  stateDict(): StateDict<SgdParamState, SgdOptionsCamel> {
    const state: Record<number, SgdParamState> = {};
    this.params.forEach((p, i) => {
      const st = this.state.get(p);
      if (st) state[i] = { momentumBuffer: st.momentumBuffer ? Array.from(st.momentumBuffer) : null, step: st.step };
    });
    return { state, paramGroups: this.groupsForDict() };
  }

  /** Restore what stateDict() returned (from this optimizer or one over parameters of the same sizes). */
  loadStateDict(sd: StateDict<SgdParamState, SgdOptionsCamel>): void {
    this.loadGroups(sd?.paramGroups);
    const params = this.params;
    this.state.clear();
    for (const [k, s] of Object.entries(sd.state ?? {})) {
      const p = params[Number(k)];
      if (!p || (s.momentumBuffer !== null && s.momentumBuffer.length !== p.data.length)) throw new RangeError(`SGD: load_state_dict: state ${k} does not fit parameter ${k}`);
      this.state.set(p, { momentumBuffer: s.momentumBuffer === null ? null : Float64Array.from(s.momentumBuffer), step: s.step });
    }
    this.paramGroups.forEach((g) => this.resolved(g));
  }
}

/** L-BFGS's state in a state dict (PyTorch's `d`, `t`, `old_dirs`, `old_stps`, `ro`, `H_diag`, …, camelCase). */
export interface LbfgsParamState {
  d: number[];
  t: number;
  /** y vectors, oldest first (PyTorch's old_dirs). */
  oldDirs: number[][];
  /** s vectors, oldest first (PyTorch's old_stps). */
  oldStps: number[][];
  ro: number[];
  hDiag: number;
  prevFlatGrad: number[];
  prevLoss: number;
  nIter: number;
  funcEvals: number;
}


/**
 * torch.optim.LBFGS (PyTorch 1.13) over autodiff tensors:
 * `new LBFGS([y], { lr: 1, max_iter: 40, history_size: 10, line_search_fn: 'strong_wolfe' })`, then
 * `opt.step(closure)` where the closure zeroes gradients, computes the loss, calls backward() and
 * returns the loss. The algorithm is `lbfgsStep` (lbfgs.ts), the same state machine minimize()
 * uses; this class only flattens the parameters and turns the closure into an Objective.
 * One parameter group, as PyTorch enforces (with PyTorch's error for more).
 */
export class LBFGS extends TorchOptimizer<LbfgsOptionsCamel> {
  /** L-BFGS state carried across step() calls (history, d, t, counters). */
  state: LbfgsState;
  /** Why the latest step() call returned. */
  lastReason: StopReason | null = null;
  private readonly x: Float64Array;
  private readonly offsets: number[];

  constructor(params: Iterable<ParamLike> | Iterable<ParamGroupSpec<LbfgsOptions>>, options: LbfgsOptions = {}) {
    super('LBFGS', params, readOptions('LBFGS', options, LBFGS_OPTION_NAMES), LBFGS_OPTION_NAMES);
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    this.offsets = [];
    let n = 0;
    for (const p of this.params) {
      this.offsets.push(n);
      n += p.data.length;
    }
    this.state = lbfgsInit(n, groupOptions(this.paramGroups[0]) as LbfgsOptions);
    this.x = new Float64Array(n);
  }

  private gather(): void {
    this.params.forEach((p, i) => this.x.set(p.data, this.offsets[i]));
  }

  private scatter(x: Float64Array): void {
    this.params.forEach((p, i) => p.data.set(x.subarray(this.offsets[i], this.offsets[i] + p.data.length)));
  }

  /** The group's current options, validated; the history buffers are sized once, so historySize is fixed. */
  private refreshOptions(): void {
    const o = resolveLbfgsOptions(groupOptions(this.paramGroups[0]) as LbfgsOptions);
    if (o.historySize !== this.state.opts.historySize) throw new RangeError(`LBFGS: historySize cannot change after construction (${this.state.opts.historySize} → ${o.historySize})`);
    (this.state as { opts: typeof o }).opts = o;
  }

  /**
   * Run up to maxIter L-BFGS iterations, calling `closure` at every point PyTorch would, and
   * return the loss of the first call (PyTorch's `orig_loss`). If f or a gradient turns
   * non-finite, the parameters keep their last finite accepted values and `lastReason` is
   * 'non-finite' (PyTorch would continue with NaN).
   */
  step<L extends LossLike>(closure: () => L): L {
    if (typeof closure !== 'function') throw new TypeError('LBFGS.step requires a closure that reevaluates the model and returns the loss');
    this.refreshOptions();
    const n = this.x.length;
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
      n,
      valueAndGrad,
      value: (x) => valueAndGrad(x, new Float64Array(n)),
      grad: (x, out = new Float64Array(n)) => (valueAndGrad(x, out), out),
    };
    this.gather();
    const r = lbfgsStep(this.state, new Evaluator(objective, n, null), this.x);
    this.scatter(this.x);
    this.lastReason = r.reason;
    return first as L;
  }

  /** A copy of the L-BFGS state (history oldest first, as plain arrays) and of the group's options. */
  stateDict(): StateDict<LbfgsParamState, LbfgsOptionsCamel> {
    const st = this.state;
    const { n } = st;
    const m = st.opts.historySize;
    const rows = (B: Float64Array): number[][] => Array.from({ length: st.len }, (_, j) => Array.from(B.subarray(((st.head + j) % m) * n, ((st.head + j) % m) * n + n)));
    const state: LbfgsParamState = {
      d: Array.from(st.d), t: st.t, oldDirs: rows(st.Y), oldStps: rows(st.S),
      ro: Array.from({ length: st.len }, (_, j) => st.rho[(st.head + j) % m]),
      hDiag: st.hDiag, prevFlatGrad: Array.from(st.prevGrad), prevLoss: st.prevLoss, nIter: st.nIter, funcEvals: st.funcEvals,
    };
    return { state: st.nIter + st.funcEvals > 0 ? { 0: state } : {}, paramGroups: this.groupsForDict() };
  }

  /** Restore what stateDict() returned (over parameters of the same total size). */
  loadStateDict(sd: StateDict<LbfgsParamState, LbfgsOptionsCamel>): void {
    this.loadGroups(sd?.paramGroups);
    const st = lbfgsInit(this.x.length, groupOptions(this.paramGroups[0]) as LbfgsOptions);
    const s = sd.state?.[0];
    if (s) {
      const n = st.n;
      const bad = s.d.length !== n || s.prevFlatGrad.length !== n || s.oldDirs.length !== s.oldStps.length || s.oldDirs.length > st.opts.historySize || s.oldDirs.some((r) => r.length !== n);
      if (bad) throw new RangeError("LBFGS: load_state_dict: the saved state does not fit this optimizer's parameters or historySize");
      st.d.set(s.d);
      st.t = s.t;
      s.oldDirs.forEach((r, j) => { st.Y.set(r, j * n); st.S.set(s.oldStps[j], j * n); st.rho[j] = s.ro[j]; });
      st.len = s.oldDirs.length;
      st.head = 0;
      st.hDiag = s.hDiag;
      st.prevGrad.set(s.prevFlatGrad);
      st.prevLoss = s.prevLoss;
      st.nIter = s.nIter;
      st.funcEvals = s.funcEvals;
    }
    this.state = st;
  }
}
