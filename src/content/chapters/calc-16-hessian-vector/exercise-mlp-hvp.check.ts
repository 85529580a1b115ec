// Checks for exercise 6: hvpExact() against double backward, hvpCentral(r) against the central difference.
import { autograd, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { defineChecks, type CheckContext } from '../../../lib/live/exercise/checks.ts';
import { call, cosine, exportedFunction, fail, num, pass, ratio, relativeError, vector, type Verdict } from '../../../lib/live/exercise/kit.ts';

const n = 13;
/** Steps at which hvpCentral is compared with the reference difference quotients. */
const steps = [1e-2, 1e-3] as const;

/** The exercise's network and data, as the starter defines them. */
function model() {
  const X = tensor([[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8], [0.2, 0.1]]);
  const y = tensor([1.0, -0.5, 0.3, 0.8]);
  const loss = (theta: Tensor) => {
    const W1 = theta.slice(0, 6).reshape([3, 2]);
    const b1 = theta.slice(6, 9);
    const w2 = theta.slice(9, 12);
    const b2 = theta.at(12);
    return X.matmul(W1.T).add(b1).tanh().matmul(w2).add(b2).sub(y).pow(2).mean();
  };
  const theta = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const v = Array.from({ length: n }, (_, i) => Math.cos(2 * i));
  const gradient = (at: number[]) => {
    const t = tensor(at, { requiresGrad: true });
    return Float64Array.from(autograd.grad(loss(t), t)[0].data);
  };
  return { loss, theta, v, gradient };
}

interface Data {
  exact: Float64Array;
  gradient: Float64Array;
  /** Per step: the central and the forward difference quotient of the gradient along v. */
  central: Float64Array[];
  forward: Float64Array[];
}

function prepare(): Data {
  const { loss, theta, v, gradient } = model();
  const t = tensor(theta, { requiresGrad: true });
  const [g] = autograd.grad(loss(t), t, { createGraph: true });
  const exact = Float64Array.from(autograd.grad(g.dot(tensor(v)), t)[0].data);
  const at = (r: number) => gradient(theta.map((ti, i) => ti + r * v[i]));
  const g0 = gradient(theta);
  return {
    exact,
    gradient: g0,
    central: steps.map((r) => {
      const minus = gradient(theta.map((ti, i) => ti - r * v[i]));
      return at(r).map((gp, i) => (gp - minus[i]) / (2 * r));
    }),
    forward: steps.map((r) => at(r).map((gp, i) => (gp - g0[i]) / r)),
  };
}

/** What hvpExact() returned, judged against H(θ)v. */
function judgeExact({ exports, data }: CheckContext<Data>): Verdict {
  const hv = vector(call(exportedFunction(exports, 'hvpExact'), [], 'hvpExact()'), n, 'hvpExact()');
  const err = relativeError(hv, data.exact);
  if (err <= 1e-10) return pass(`Matches double backward to a relative error of ${num(err, 1)}.`);
  if (relativeError(hv, data.gradient) <= 1e-8)
    return fail(`That is ∇f(θ), the gradient itself: differentiate gradient(theta, true)[1].dot(v) with respect to θ once more.`);
  const c = cosine(hv, data.exact);
  const k = ratio(hv, data.exact);
  if (c > 1 - 1e-9) return fail(`Hv has the right direction but is off by a factor of ${num(k)}: did you rescale the loss or v (the mean over four points already has its 1/4)?`);
  if (c < -1 + 1e-9) return fail('Hv points the opposite way (a factor of −1): check the sign of what you differentiate.');
  return fail(`hvpExact() differs from H(θ)v by a relative error of ${num(err, 2)}: build the gradient with createGraph, dot it with v, and differentiate that with respect to the same θ.`);
}

/** What hvpCentral(r) returned at each step, judged against the difference quotients. */
function judgeCentral({ exports, data }: CheckContext<Data>): Verdict {
  const fn = exportedFunction(exports, 'hvpCentral');
  for (let s = 0; s < steps.length; s++) {
    const r = steps[s];
    const what = `hvpCentral(${num(r, 1)})`;
    const q = vector(call(fn, [r], what), n, what);
    if (relativeError(q, data.central[s]) <= 1e-8) continue;
    if (relativeError(q, data.exact) <= 1e-10) return fail(`${what} returns the exact product: it should difference the gradients at θ + rv and θ − rv instead.`);
    if (relativeError(q, data.forward[s]) <= 1e-8) return fail(`${what} is the forward difference (∇f(θ + rv) − ∇f(θ)) / r, whose error shrinks like r: use ∇f(θ − rv) and divide by 2r.`);
    const k = ratio(q, data.central[s]);
    if (cosine(q, data.central[s]) > 1 - 1e-9) return fail(`${what} has the right direction but is off by a factor of ${num(k)}: divide the difference by 2r.`);
    return fail(`${what} differs from (∇f(θ + rv) − ∇f(θ − rv)) / 2r by a relative error of ${num(relativeError(q, data.central[s]), 2)}.`);
  }
  return pass('Matches the central difference at two step sizes.');
}

export default defineChecks<Data>({
  title: 'The HVP of a tiny MLP',
  prepare,
  checks: [
    { label: 'hvpExact() returns H(θ)v', run: judgeExact },
    { label: 'hvpCentral(r) is the central difference of the gradient', run: judgeCentral },
  ],
});
