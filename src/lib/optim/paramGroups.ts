import { readOptions, showValue, type OptionNames } from '../autodiff/options.ts';

/**
 * What the torch-shaped optimizers need from a parameter: the autodiff Tensor satisfies it
 * (`data` is updated in place, like torch's `.data`; `grad` is filled by `backward()`).
 */
export interface ParamLike {
  data: Float64Array;
  grad: { data: Float64Array } | null;
}

/** A parameter group as given to a constructor: `{ params: [w], lr: 0.1 }` (options in either spelling). */
export type ParamGroupSpec<O> = { params: Iterable<ParamLike> | ParamLike } & O;

/**
 * A parameter group as the optimizer holds it (`opt.paramGroups[i]`): its parameters and its options,
 * camelCase. PyTorch's spellings (`group.weight_decay`) read and write the same values. Options may be
 * changed between steps (a learning-rate schedule); they are validated again at every step.
 */
export type ParamGroup<O> = { params: ParamLike[] } & O;

function isParam(p: unknown): p is ParamLike {
  return typeof p === 'object' && p !== null && (p as ParamLike).data instanceof Float64Array;
}

function paramList(who: string, where: string, ps: unknown): ParamLike[] {
  const list = isParam(ps) ? [ps] : ps !== null && typeof ps === 'object' && Symbol.iterator in ps ? Array.from(ps as Iterable<unknown>) : null;
  if (list === null) throw new TypeError(`${who}: ${where} params must be a tensor or a list of tensors, got ${showValue(ps)}`);
  list.forEach((p, j) => {
    if (!isParam(p)) throw new TypeError(`${who}: ${where}parameter ${j} needs a Float64Array .data (a tensor), got ${showValue(p)}`);
  });
  return list as ParamLike[];
}

/** Give `group` PyTorch-spelled accessors (`weight_decay`) for its camelCase options (not enumerable). */
function addTorchSpellings(group: Record<string, unknown>, names: OptionNames): void {
  for (const [camel, torch] of Object.entries(names)) {
    if (torch === null || torch === camel) continue;
    Object.defineProperty(group, torch, { get: () => group[camel], set: (v: unknown) => (group[camel] = v), enumerable: false, configurable: true });
  }
}

/**
 * Turn a constructor's `params` (a list of tensors, or a list of `{ params, ...options }` groups) into
 * parameter groups, each with the defaults filled in from `defaults` (camelCase, already read).
 * Errors as PyTorch's: an empty list, a parameter in two groups; and unknown group options.
 */
export function makeParamGroups<O extends object>(who: string, params: unknown, defaults: Record<string, unknown>, names: OptionNames): ParamGroup<O>[] {
  if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) throw new TypeError(`${who}: params argument given to the optimizer should be an iterable of tensors or dicts, but got ${showValue(params)}`);
  const items = Array.from(params as Iterable<unknown>);
  if (items.length === 0) throw new RangeError(`${who}: optimizer got an empty parameter list`);
  const grouped = items.every((it) => typeof it === 'object' && it !== null && 'params' in it && !isParam(it));
  const specs = grouped ? items : [{ params: items }];
  const seen = new Set<ParamLike>();
  return specs.map((spec, i) => {
    const where = grouped ? `parameter group ${i}: ` : '';
    const { params: ps, ...opts } = readOptions(`${who}: parameter group ${i}`, spec, { ...names, params: null });
    const list = paramList(who, where, ps);
    for (const p of list) {
      if (seen.has(p)) throw new RangeError(`${who}: some parameters appear in more than one parameter group`);
      seen.add(p);
    }
    const group = { ...defaults, ...opts, params: list } as Record<string, unknown>;
    addTorchSpellings(group, names);
    return group as ParamGroup<O>;
  });
}

/** A group's options without its params (camelCase), for resolving and for state_dict(). */
export function groupOptions(group: object): Record<string, unknown> {
  const { params: _p, ...rest } = group as Record<string, unknown>;
  return rest;
}

/** Check a loaded state dict's groups against the optimizer's, with PyTorch's messages. */
export function checkLoadedGroups(who: string, mine: readonly { params: readonly unknown[] }[], loaded: unknown): { params: number[] }[] {
  if (!Array.isArray(loaded)) throw new TypeError(`${who}: load_state_dict needs the object state_dict() returned (paramGroups is missing)`);
  if (loaded.length !== mine.length) throw new RangeError(`${who}: loaded state dict has a different number of parameter groups`);
  loaded.forEach((g, i) => {
    if (!g || !Array.isArray(g.params) || g.params.length !== mine[i].params.length) throw new RangeError(`${who}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group`);
  });
  return loaded as { params: number[] }[];
}
