/**
 * Forward-mode entry and exit: attach a tagged tangent to a tensor, and read
 * the primal or tangent for one tag back out of a result.
 */
import { dual } from './apply.ts';
import { state } from './state.ts';
import { Tensor, zeros } from './tensor.ts';
import { showShape, sameShape } from './shape.ts';

/**
 * x + ε·t with a fresh ε (tag): returns the dual tensor. If x requires grad the
 * dual stays connected to x in the reverse graph (identity edge), so reverse
 * mode can differentiate through a forward-mode computation.
 */
export function makeDual(x: Tensor, t: Tensor, tag: number): Tensor {
  if (!sameShape(x.shape, t.shape)) throw new Error(`jvp: shapes ${showShape(x.shape)} and ${showShape(t.shape)} do not match (primal and tangent)`);
  const d = dual(x, t, tag);
  if (state.gradEnabled && x.requiresGrad) {
    d.requiresGrad = true;
    d.gradFn = { op: 'identity', inputs: [x], attrs: { copy: false }, out: d, freed: false };
  }
  return d;
}

/** The value of y with perturbation `tag` removed. */
export function primalAt(y: Tensor, tag: number): Tensor {
  return y.tag === tag && y.tangent !== null ? y.primal! : y;
}

/** The coefficient of perturbation `tag` in y (zeros if y does not depend on it). */
export function tangentAt(y: Tensor, tag: number): Tensor {
  if (y.tag === tag && y.tangent !== null) return y.tangent;
  if (y.tag > tag && y.tangent !== null) throw new Error('jvp: a perturbation escaped its scope (a dual tensor leaked out of an inner jvp)');
  return zeros(y.shape);
}
