/**
 * One-pass pullbacks (fusedPullbacks.ts) give the bits of the rule table's kernel-by-kernel composition,
 * at every input the special cases care about (signed zeros, ±∞, NaN, large and tiny values), and only
 * run in a pass that records nothing: with createGraph, a tape being traced, or forward-mode tangents the
 * composition is recorded as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autograd, hvp, jvp, grad, type Tensor, tensor } from '../../../src/lib/autodiff';
import { BufferPool } from '../../../src/lib/autodiff/bufferPool';
import { fusedPullback, loopOf } from '../../../src/lib/autodiff/fusedPullbacks';
import { PULLBACK_EXPRS, type PullbackName } from '../../../src/lib/autodiff/pullbackTable';
import { rules } from '../../../src/lib/autodiff/rules';
import { state, withGradMode } from '../../../src/lib/autodiff/state';

beforeAll(() => { BufferPool.poison = true; });
afterAll(() => { BufferPool.poison = false; });

const bits = (t: Tensor): string[] => Array.from(t.data, (v) => (Object.is(v, -0) ? '-0' : String(v)));
const special = [0, -0, 1, -1, 0.5, -0.5, 1e-300, -1e-300, 1e300, -1e300, Infinity, -Infinity, NaN, 3.7, -2.2, 20, -20, 710, -745];
const xs = Float64Array.from({ length: 200 }, (_, i) => (i < special.length ? special[i] : Math.sin(1.7 * i) * 10 ** ((i % 9) - 4)));
const gs = Float64Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? -0 : i % 11 === 0 ? 0 : Math.cos(0.3 * i) * 10 ** ((i % 5) - 2)));

const unary: [string, (x: Tensor) => Tensor][] = [
  ['tanh', (x) => x.tanh()], ['sigmoid', (x) => x.sigmoid()], ['pow 2', (x) => x.pow(2)], ['sin', (x) => x.sin()],
  ['cos', (x) => x.cos()], ['sqrt', (x) => x.abs().sqrt()], ['relu', (x) => x.relu()], ['abs', (x) => x.abs()],
];

describe('one-pass pullbacks', () => {
  it.each(Object.keys(PULLBACK_EXPRS) as PullbackName[])('%s: the generated loop and the interpreting one (no code generation) give the same bits', (name) => {
    const ys = xs.map((v) => Math.tanh(v) + v);
    const run = (generate: boolean): string[] => {
      const o = new Float64Array(xs.length);
      loopOf(name, generate)(gs, xs, ys, o);
      return Array.from(o, (v) => (Object.is(v, -0) ? '-0' : String(v)));
    };
    const generated = run(true);
    expect(generated).toEqual(run(false));
    expect(generated.some((v) => v !== 'NaN' && v !== '0')).toBe(true);
  });
  it.each(unary)('%s: the pooled gradient (one pass) equals the recorded composition bit for bit', (_name, f) => {
    const x = tensor(xs, { requiresGrad: true });
    const g = tensor(gs);
    const [pooled] = autograd.grad(f(x), x, { gradOutputs: g });
    const [recorded] = autograd.grad(f(x), x, { gradOutputs: g, createGraph: true });
    expect(bits(pooled)).toEqual(bits(recorded));
  });
  it.each(unary)('%s: the node has a one-pass pullback in a pooled pass, equal to its rule', (_name, f) => {
    const x = tensor(xs, { requiresGrad: true });
    const y = f(x);
    const node = y.gradFn!;
    const g = tensor(gs);
    const rule = rules[node.op] as (typeof rules)['tanh'];
    const want = withGradMode(false, () => rule.vjp(g, node.inputs, y, node.attrs as never, [true])[0]!);
    const pool = new BufferPool();
    state.pool = pool;
    try {
      expect(withGradMode(true, () => fusedPullback(node, g, [true]))).toBeNull();
      const got = withGradMode(false, () => fusedPullback(node, g, [true]));
      expect(got).not.toBeNull();
      expect(bits(got![0]!)).toEqual(bits(want));
      expect(pool.owns(got![0]!.data)).toBe(true);
      expect(withGradMode(false, () => fusedPullback(node, g, [false]))).toEqual([null]);
    } finally {
      state.pool = null;
    }
    expect(withGradMode(false, () => fusedPullback(node, g, [true]))).toBeNull();
  });
  it('no one-pass form for other nodes (pow 3, exp, a binary mul): the rule runs', () => {
    const x = tensor(xs, { requiresGrad: true });
    state.pool = new BufferPool();
    try {
      for (const y of [x.pow(3), x.exp(), x.mul(x)]) expect(withGradMode(false, () => fusedPullback(y.gradFn!, tensor(gs), [true, true]))).toBeNull();
    } finally {
      state.pool = null;
    }
  });
  it('HVPs both ways (through tangents, through a recorded first pass) still agree with the recorded rules', () => {
    const f = (x: Tensor): Tensor => x.tanh().mul(x.sin()).add(x.pow(2).sigmoid()).add(x.cos().abs().sqrt()).relu().sum();
    const x = tensor(Float64Array.from({ length: 50 }, (_, i) => Math.sin(i)));
    const v = tensor(Float64Array.from({ length: 50 }, (_, i) => Math.cos(i)));
    const [, jg] = jvp(grad(f), x, v);
    expect(bits(hvp(f, x, v, { mode: 'forward-over-reverse' }))).toEqual(bits(jg));
    const rr = hvp(f, x, v);
    const xr = tensor(x.data, { requiresGrad: true });
    const [g1] = autograd.grad(f(xr), xr, { createGraph: true });
    const [want] = autograd.grad(g1, xr, { gradOutputs: v, createGraph: true });
    expect(bits(rr)).toEqual(bits(want));
  });
});
