/**
 * The derivative table: for every primitive, its pullback (VJP) and its
 * pushforward (JVP). Both are written with differentiable tensor operations,
 * never raw arithmetic, so they are themselves recorded (createGraph) and
 * carry tangents — that is what makes derivatives of any order work.
 * The mapped type makes a missing primitive a compile error.
 */
import type { Attrs, Op } from './op.ts';
import { sameShape, type Shape } from './shape.ts';
import type { Tensor } from './tensor.ts';
import { zeros } from './tensor.ts';
import * as o from './ops.ts';
import { apply } from './apply.ts';
import { registerRules, type Rule } from './ruleRegistry.ts';

export type { Rule } from './ruleRegistry.ts';

/** Undo scalar broadcasting: a 0-d operand receives the sum of the cotangent. */
const unb = (g: Tensor, s: Shape): Tensor => (sameShape(g.shape, s) ? g : o.sumTo(g, s));
/** Broadcast a tangent of a 0-d operand up to the output shape. */
const fit = (t: Tensor, s: Shape): Tensor => (sameShape(t.shape, s) ? t : o.broadcastTo(t, s));
/** Sum of the non-null tangent terms, shaped like the output. */
function total(terms: (Tensor | null)[], y: Tensor): Tensor {
  let acc: Tensor | null = null;
  for (const t of terms) if (t !== null) acc = acc === null ? t : o.add(acc, t);
  return acc === null ? zeros(y.shape) : fit(acc, y.shape);
}
/** Unary rule from f′ expressed as a tensor: d f(x) = f′ · dx. */
function chain<P extends Op>(deriv: (x: Tensor, y: Tensor) => Tensor): Rule<P> {
  return {
    vjp: (g, [x], y) => [o.mul(g, deriv(x, y))],
    jvp: ([t], [x], y) => o.mul(t!, deriv(x, y)),
  };
}
/** p · xᵖ⁻¹, with p = 2 as 2x (one kernel instead of a pow and a scale). */
const powDeriv = (x: Tensor, p: number): Tensor => (p === 2 ? o.mul(x, 2) : o.mul(o.pow(x, p - 1), p));
/** ∂xᵖ/∂x = p·x^(p − |sign p|): p·x^(p−1), and exactly 0 where p = 0. */
const powTensorDx = (x: Tensor, p: Tensor): Tensor => o.mul(p, o.pow(x, o.sub(p, o.abs(o.sign(p)))));
/** ∂xᵖ/∂p = xᵖ·log(x + 1 − |sign x|): xᵖ log x, and 0 where x = 0 (for p ≥ 0). */
const powTensorDp = (x: Tensor, y: Tensor): Tensor => o.mul(y, o.log(o.add(x, o.sub(1, o.abs(o.sign(x))))));
const mm = (a: Tensor, b: Tensor, ta: boolean, tb: boolean): Tensor => apply('matmul', [a, b], { ta, tb });
/** A rule for an operation whose derivative is 0 everywhere (comparisons, indices). */
const constant = <P extends Op>(): Rule<P> => ({ vjp: (_g, x) => x.map(() => null), jvp: (_t, _x, y) => zeros(y.shape) });
/**
 * torch.maximum's gradient weight for the first operand: 1 where it wins, ½ at a tie, 0 where it loses
 * (and 1 when either is NaN, since NaN compares false): where(a = b, ½, 1 − [a ⋖ b]) with ⋖ = '<' for
 * maximum, '>' for minimum. The weights are constants (comparisons have derivative 0).
 */
const winWeight = (a: Tensor, b: Tensor, loses: 'lt' | 'gt'): Tensor => o.where(o.eq(a, b), 0.5, o.sub(1, o.compare(a, b, loses)));
/** d max(a, b) = w_a da + w_b db (and likewise for min), w from winWeight. */
function extremum2<P extends 'maximum' | 'minimum'>(loses: 'lt' | 'gt'): Rule<P> {
  const wins = loses === 'lt' ? 'gt' : 'lt';
  return {
    vjp: (g, [a, b], _y, _a, n) => [
      n[0] ? unb(o.mul(g, winWeight(a, b, loses)), a.shape) : null,
      n[1] ? unb(o.mul(g, winWeight(a, b, wins)), b.shape) : null,
    ],
    jvp: ([ta, tb], [a, b], y) => total([ta && o.mul(ta, winWeight(a, b, loses)), tb && o.mul(tb, winWeight(a, b, wins))], y),
  };
}
/** [lo ≤ x ≤ hi] as 0/1 (absent bounds always hold; NaN x gives 0, as torch's clamp gradient). */
function inRange(x: Tensor, min: number | null, max: number | null): Tensor {
  const lo = min === null ? null : o.ge(x, min);
  const hi = max === null ? null : o.le(x, max);
  return lo === null ? hi! : hi === null ? lo : o.mul(lo, hi);
}
/** amax's tie weights: 1/k on each of the k entries equal to the extreme, 0 elsewhere (torch's even split). */
const tieWeights = (x: Tensor, y: Tensor): Tensor => {
  const mask = o.eq(x, y);
  return o.div(mask, o.sumTo(mask, y.shape));
};

export const rules: { [P in Op]: Rule<P> } = {
  // d(a + b) = da + db
  add: {
    vjp: (g, [a, b], _y, _a, n) => [n[0] ? unb(g, a.shape) : null, n[1] ? unb(g, b.shape) : null],
    jvp: ([ta, tb], _x, y) => total([ta, tb], y),
  },
  // d(a − b) = da − db
  sub: {
    vjp: (g, [a, b], _y, _a, n) => [n[0] ? unb(g, a.shape) : null, n[1] ? unb(o.neg(g), b.shape) : null],
    jvp: ([ta, tb], _x, y) => total([ta, tb === null ? null : o.neg(tb)], y),
  },
  // d(a · b) = da · b + a · db
  mul: {
    vjp: (g, [a, b], _y, _a, n) => [n[0] ? unb(o.mul(g, b), a.shape) : null, n[1] ? unb(o.mul(g, a), b.shape) : null],
    jvp: ([ta, tb], [a, b], y) => total([ta && o.mul(ta, b), tb && o.mul(a, tb)], y),
  },
  // d(a / b) = da / b − (a/b) · db / b
  div: {
    vjp: (g, [a, b], y, _a, n) => {
      const gb = o.div(g, b);
      return [n[0] ? unb(gb, a.shape) : null, n[1] ? unb(o.neg(o.mul(gb, y)), b.shape) : null];
    },
    jvp: ([ta, tb], [, b], y) => {
      const num = ta === null ? o.neg(o.mul(y, tb!)) : tb === null ? ta : o.sub(ta, o.mul(y, tb));
      return fit(o.div(num, b), y.shape);
    },
  },
  // d(−x) = −dx
  neg: { vjp: (g) => [o.neg(g)], jvp: ([t]) => o.neg(t!) },
  // d xᵖ = p · xᵖ⁻¹ dx (p constant; p = 0 gives 0 rather than 0 · x⁻¹ = NaN at x = 0)
  pow: {
    vjp: (g, [x], _y, { p }) => [p === 0 ? zeros(x.shape) : p === 1 ? g : o.mul(g, powDeriv(x, p))],
    jvp: ([t], [x], _y, { p }) => (p === 0 ? zeros(x.shape) : p === 1 ? t! : o.mul(t!, powDeriv(x, p))),
  },
  // d xᵖ = p·x^(p−1) dx + xᵖ·log x dp, with torch's conventions: the x-term is 0 where p = 0 (the
  // exponent p − |sign p| is 0 there, so x⁰ = 1 never meets 0·∞), the p-term is 0 where x = 0 and
  // p ≥ 0 (log is taken of x + 1 − |sign x|, i.e. of 1 at x = 0); negative x gives NaN in the p-term.
  powTensor: {
    vjp: (g, [x, p], y, _a, n) => [
      n[0] ? unb(o.mul(g, powTensorDx(x, p)), x.shape) : null,
      n[1] ? unb(o.mul(g, powTensorDp(x, y)), p.shape) : null,
    ],
    jvp: ([tx, tp], [x, p], y) => total([tx && o.mul(tx, powTensorDx(x, p)), tp && o.mul(tp, powTensorDp(x, y))], y),
  },
  // d relu(x) = step(x) dx with step = sign(relu(x)) ∈ {0, 1}: 0 at x = 0, like torch
  relu: chain((_x, y) => o.sign(y)),
  // d eˣ = eˣ dx
  exp: chain((_x, y) => y),
  // d log x = dx / x
  log: { vjp: (g, [x]) => [o.div(g, x)], jvp: ([t], [x]) => o.div(t!, x) },
  // d log(1 + x) = dx / (1 + x)
  log1p: { vjp: (g, [x]) => [o.div(g, o.add(x, 1))], jvp: ([t], [x]) => o.div(t!, o.add(x, 1)) },
  // d √x = dx / (2√x)
  sqrt: { vjp: (g, _x, y) => [o.div(g, o.mul(y, 2))], jvp: ([t], _x, y) => o.div(t!, o.mul(y, 2)) },
  // d tanh x = (1 − tanh² x) dx
  tanh: chain((_x, y) => o.sub(1, o.pow(y, 2))),
  // d σ(x) = σ(x)(1 − σ(x)) dx
  sigmoid: chain((_x, y) => o.mul(y, o.sub(1, y))),
  // d softplus(x) = σ(x) dx
  softplus: chain((x) => o.sigmoid(x)),
  // d sin x = cos x dx
  sin: chain((x) => o.cos(x)),
  // d cos x = −sin x dx
  cos: chain((x) => o.neg(o.sin(x))),
  // d |x| = sign(x) dx
  abs: chain((x) => o.sign(x)),
  // d sign x = 0 (almost everywhere)
  sign: { vjp: (_g, [x]) => [zeros(x.shape)], jvp: (_t, [x]) => zeros(x.shape) },
  // d x = dx (whether y copies x or aliases it)
  identity: { vjp: (g) => [g], jvp: ([t]) => t! },
  // d Σx = Σ dx
  sum: { vjp: (g, [x]) => [o.broadcastTo(g, x.shape)], jvp: ([t]) => o.sum(t!) },
  // d sumTo(x) = sumTo(dx); its adjoint is broadcasting
  sumTo: { vjp: (g, [x]) => [o.broadcastTo(g, x.shape)], jvp: ([t], _x, _y, { shape }) => o.sumTo(t!, shape) },
  // d broadcast(x) = broadcast(dx); its adjoint is summing the repeats
  broadcastTo: { vjp: (g, [x]) => [o.sumTo(g, x.shape)], jvp: ([t], _x, _y, { shape }) => o.broadcastTo(t!, shape) },
  // d reshape(x) = reshape(dx)
  reshape: { vjp: (g, [x]) => [o.reshape(g, x.shape)], jvp: ([t], _x, _y, { shape }) => o.reshape(t!, shape) },
  // d(op(A)·op(B)) = op(dA)·op(B) + op(A)·op(dB); cotangents: Ā = G·op(B)ᵀ, B̄ = op(A)ᵀ·G (transposed back)
  matmul: {
    vjp: (g, [a, b], _y, { ta, tb }, n) => [
      n[0] ? (ta ? mm(b, g, tb, true) : mm(g, b, false, !tb)) : null,
      n[1] ? (tb ? mm(g, a, true, ta) : mm(a, g, !ta, false)) : null,
    ],
    jvp: ([da, db], [a, b], y, { ta, tb }) => total([da && mm(da, b, ta, tb), db && mm(a, db, ta, tb)], y),
  },
  // d Xᵀ = (dX)ᵀ
  transpose: { vjp: (g) => [o.transpose(g)], jvp: ([t]) => o.transpose(t!) },
  // d x[s:e] = dx[s:e]; adjoint: zero-pad back to the full length
  slice: {
    vjp: (g, [x], _y, { start, end }) => [o.pad(g, start, x.shape[0] - end)],
    jvp: ([t], _x, _y, a) => apply('slice', [t!], a),
  },
  // d pad(x) = pad(dx); adjoint: slice the middle
  pad: {
    vjp: (g, [x], _y, { before }) => [apply('slice', [g], { start: before, end: before + x.shape[0] })],
    jvp: ([t], _x, _y, a) => apply('pad', [t!], a),
  },
  // d concat(x₁, …) = concat(dx₁, …); adjoint: slice each block back out
  concat: {
    vjp: (g, xs, _y, _a, n) => {
      let off = 0;
      return xs.map((x, i) => {
        const s = off;
        off += x.shape[0];
        return n[i] ? apply('slice', [g], { start: s, end: off }) : null;
      });
    },
    jvp: (ts, xs) => apply('concat', ts.map((t, i) => t ?? zeros(xs[i].shape)), {}),
  },
  // d[a ⋈ b] = 0
  compare: constant<'compare'>(),
  // d where(c, a, b) = where(c, da, db); c is a condition, not differentiated
  where: {
    vjp: (g, [c, a, b], _y, _a, n) => [null, n[1] ? unb(o.where(c, g, 0), a.shape) : null, n[2] ? unb(o.where(c, 0, g), b.shape) : null],
    jvp: ([, ta, tb], [c, a, b], y) => (ta === null && tb === null ? zeros(y.shape) : fit(o.where(c, ta ?? zeros(a.shape), tb ?? zeros(b.shape)), y.shape)),
  },
  // d max(a, b) = [a > b] da + [a < b] db, ½(da + db) at a tie (torch.maximum)
  maximum: extremum2<'maximum'>('lt'),
  // d min(a, b) = [a < b] da + [a > b] db, ½(da + db) at a tie (torch.minimum)
  minimum: extremum2<'minimum'>('gt'),
  // d clamp(x, lo, hi) = [lo ≤ x ≤ hi] dx (1 at the bounds, as torch)
  clamp: {
    vjp: (g, [x], _y, { min, max }) => [o.mul(g, inRange(x, min, max))],
    jvp: ([t], [x], _y, { min, max }) => o.mul(t!, inRange(x, min, max)),
  },
  // d amax(x) = Σ_{i: xᵢ = max} dxᵢ / k over the k tied maxima (torch's amax/amin and full max/min)
  amax: {
    vjp: (g, [x], y) => [o.mul(g, tieWeights(x, y))],
    jvp: ([t], [x], y) => o.sumTo(o.mul(t!, tieWeights(x, y)), y.shape),
  },
  // d argmax(x) = 0
  argmax: constant<'argmax'>(),
  // d logsumexp(x) = Σ softmax(x)ᵢ dxᵢ, softmax(x) = exp(x − logsumexp(x))
  logsumexp: {
    vjp: (g, [x], y) => [o.mul(g, o.exp(o.sub(x, y)))],
    jvp: ([t], [x], y) => o.sumTo(o.mul(t!, o.exp(o.sub(x, y))), y.shape),
  },
  // d gather(x) = gather(dx); adjoint: scatter-add the cotangent back to the gathered positions
  gather: {
    vjp: (g, [x], _y, a) => [apply('scatterAdd', [g], { ...a, shape: x.shape })],
    jvp: ([t], _x, _y, a) => apply('gather', [t!], a),
  },
  // d scatterAdd(s) = scatterAdd(ds); adjoint: gather
  scatterAdd: {
    vjp: (g, _x, _y, { axis, index, indexShape }) => [apply('gather', [g], { axis, index, indexShape })],
    jvp: ([t], _x, _y, a) => apply('scatterAdd', [t!], a),
  },
};

registerRules(rules);
