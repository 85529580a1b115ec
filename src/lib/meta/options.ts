/**
 * The meta-learning functions' options, read with the library's one options module (autodiff/options.ts):
 * the same messages for an unknown key (naming the closest valid one) and for a number out of range as
 * every other function. Added here: options objects are required, and a hyperparameter may be a
 * one-element tensor (so it can be differentiated).
 */
import { Tensor } from '../autodiff/index.ts';
import { checkKeys as checkOptionKeys, checkNumber, describeRange, inRange, type NumberRange, showValue } from '../autodiff/options.ts';

export { checkBoolean, checkNumber } from '../autodiff/options.ts';

/** How a bad options object or hyperparameter is shown: a tensor by its shape, anything else as showValue does. */
function describe(v: unknown): string {
  return v instanceof Tensor ? `a tensor of shape [${v.shape.join(', ')}]` : showValue(v);
}

/**
 * Throws unless `options` is an object whose keys are all in `valid`:
 * `sgdStep: unknown option 'learningRate' — did you mean 'lr'? (valid options: lr)`.
 */
export function checkKeys(where: string, options: unknown, valid: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options) || options instanceof Tensor) {
    throw new TypeError(`${where}: options must be an object, got ${describe(options)}`);
  }
  checkOptionKeys(where, options, Object.fromEntries(valid.map((k) => [k, null])));
}

/** An integer ≥ `min` (iteration counts), else a RangeError naming the option. */
export function checkCount(where: string, name: string, v: unknown, min = 1): number {
  return checkNumber(where, name, v, { min, integer: true });
}

/**
 * A hyperparameter that may be a number or a one-element tensor: its current value must lie in `range`.
 * Returned unchanged (a tensor stays on the tape).
 */
export function checkHyper(where: string, name: string, v: unknown, range: NumberRange): number | Tensor {
  if (!(v instanceof Tensor)) return checkNumber(where, name, v, range);
  if (v.size !== 1) throw new RangeError(`${where}: ${name} must be a number or a one-element tensor, got ${describe(v)}`);
  if (!inRange(v.data[0], range)) throw new RangeError(`${where}: ${name} must be ${describeRange(range)}, got a tensor holding ${v.data[0]}`);
  return v;
}
