/**
 * JAX check_grads style, property-based over random shapes and values:
 * order 1: JVP vs central differences, and VJP by the adjoint identity
 * ⟨t, Jᵀc⟩ = ⟨Jt, c⟩; order 2: the same checks applied to the derivative
 * maps x ↦ Jᵀc (reverse) and x ↦ Jt (forward), covering all four nestings.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as ad from '../../../src/lib/autodiff';
import { type Tensor, jvp, tensor, vjp } from '../../../src/lib/autodiff';
import { close } from './models';

type Shape = number[];
/** Value domains: where each op is smooth and well conditioned. */
type Domain = 'any' | 'pos' | 'nonzero' | 'gtm1';
interface Spec {
  name: string;
  /** Alternative shape lists (one shape per argument). */
  shapes: Shape[][];
  domains?: Domain[];
  f: (...xs: Tensor[]) => Tensor;
  /** Skip FD order 2 (ops whose second derivative is a delta / zero everywhere we sample). */
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const size = (s: Shape): number => s.reduce((a, b) => a * b, 1);
function sample(r: () => number, s: Shape, d: Domain = 'any'): Tensor {
  const data = Float64Array.from({ length: size(s) }, () => {
    const u = r();
    if (d === 'pos') return 0.5 + 2 * u;
    if (d === 'gtm1') return -0.5 + 2.5 * u;
    if (d === 'nonzero') return (r() < 0.5 ? -1 : 1) * (0.3 + 1.5 * u);
    return 4 * u - 2;
  });
  return tensor(data, { shape: s });
}
const inner = (a: Tensor, b: Tensor): number => { let s = 0; for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i]; return s; };
const shift = (x: Tensor, t: Tensor, e: number): Tensor => tensor(Float64Array.from(x.data, (v, i) => v + e * t.data[i]), { shape: [...x.shape] });

/** Order-1 checks of g at x. `fdTol` bounds the central-difference error. */
function check1(g: (x: Tensor) => Tensor, x: Tensor, r: () => number, fdTol: number, domain: Domain): void {
  const t = sample(r, [...x.shape]);
  const eps = 1e-5 * (domain === 'any' ? 1 : 0.2);
  const [y, jt] = jvp(g, x, t);
  const fd = Float64Array.from(g(shift(x, t, eps)).data, (v, i) => (v - g(shift(x, t, -eps)).data[i]) / (2 * eps));
  close(jt.data, fd, fdTol, fdTol);
  const c = sample(r, [...y.shape]);
  const [y2, pullback] = vjp(g, x);
  close(y2.data, y.data, 1e-14, 1e-14);
  const ct = pullback(c);
  const lhs = inner(t, ct);
  const rhs = inner(jt, c);
  close([lhs], [rhs], 1e-10, 1e-10 * (1 + Math.abs(rhs)));
}

/**
 * Orders 1 and 2 on the spec with all arguments packed into one flat vector
 * (unpacked with slice + reshape), so order 2 also covers the cross terms.
 */
function checkSpec(spec: Spec, seed: number, alt: number): void {
  const r = rng(seed);
  const shapes = spec.shapes[alt % spec.shapes.length];
  const doms = spec.domains ?? shapes.map(() => 'any' as Domain);
  const xs = shapes.map((s, i) => sample(r, s, doms[i]));
  const offs: number[] = [];
  let n = 0;
  for (const x of xs) { offs.push(n); n += x.size; }
  const packed = tensor(Float64Array.from(xs.flatMap((x) => Array.from(x.data))));
  const g = (p: Tensor): Tensor => spec.f(...xs.map((x, i) => p.slice(offs[i], offs[i] + x.size).reshape([...x.shape])));
  const dom: Domain = doms.some((d) => d !== 'any') ? 'pos' : 'any';
  check1(g, packed, r, 1e-6, dom);
  // Order 2: the reverse derivative map and the forward derivative map, checked the same way.
  const c = sample(r, [...g(packed).shape]);
  const t = sample(r, [n]);
  check1((z) => vjp(g, z)[1](c), packed, r, 1e-5, dom);
  check1((z) => jvp(g, z, t)[1], packed, r, 1e-5, dom);
}

const S: Shape = [];
const V: Shape = [3];
const M: Shape = [2, 3];
const elementwise = [[S], [V], [M]];
const unary = (name: string, f: (x: Tensor) => Tensor, domain: Domain = 'any'): Spec => ({ name, shapes: elementwise, domains: [domain], f });

const specs: Spec[] = [
  { name: 'add', shapes: [[V, V], [M, M], [V, S], [S, M], [M, V], [S, S]], f: ad.add },
  { name: 'sub', shapes: [[V, V], [M, M], [V, S], [S, M], [M, V]], f: ad.sub },
  { name: 'mul', shapes: [[V, V], [M, M], [V, S], [S, M], [M, V]], f: ad.mul },
  { name: 'div', shapes: [[V, V], [M, M], [V, S], [S, M]], domains: ['any', 'nonzero'], f: ad.div },
  unary('neg', ad.neg),
  unary('pow 2', (x) => x.pow(2)),
  unary('pow 3', (x) => x.pow(3)),
  unary('pow 0', (x) => x.pow(0)),
  unary('pow -1', (x) => x.pow(-1), 'nonzero'),
  unary('pow 0.5', (x) => x.pow(0.5), 'pos'),
  unary('pow 2.5', (x) => x.pow(2.5), 'pos'),
  { name: 'pow tensor exponent', shapes: [[V, V], [S, S], [M, S], [S, V]], domains: ['pos', 'any'], f: (x, p) => ad.pow(x, p) },
  unary('pow constant tensor exponent, negative bases', (x) => x.pow(tensor(3)).add(x.pow(tensor([2])))),
  unary('exp', ad.exp),
  unary('log', ad.log, 'pos'),
  unary('log1p', ad.log1p, 'gtm1'),
  unary('sqrt', ad.sqrt, 'pos'),
  unary('tanh', ad.tanh),
  unary('sigmoid', ad.sigmoid),
  unary('softplus', ad.softplus),
  unary('sin', ad.sin),
  unary('cos', ad.cos),
  unary('abs', ad.abs, 'nonzero'),
  unary('sign (zero derivative)', (x) => ad.sign(x).mul(x), 'nonzero'),
  unary('relu', ad.relu, 'nonzero'),
  unary('square', ad.square),
  unary('sum', (x) => ad.sum(x)),
  unary('mean', (x) => ad.mean(x)),
  { name: 'sum axis', shapes: [[M]], f: (x) => ad.sum(x, 0).mul(ad.sum(x, 1).sum()) },
  { name: 'mean axis', shapes: [[M]], f: (x) => ad.mean(x, 1) },
  { name: 'negative axes', shapes: [[M], [[2, 2, 3]]], f: (x) => ad.mean(x, -1).mul(ad.sum(x, -2).sum()) },
  {
    name: 'two-sided broadcasting',
    shapes: [[[3, 1], [1, 3]], [[2, 1, 3], [4, 1]], [[4, 1], [2, 1, 3]]],
    f: (a, b) => a.mul(b).add(a.sub(b)).div(b.mul(b).add(1)),
  },
  { name: 'empty slices', shapes: [[V], [M]], f: (x) => ad.concat([x.slice(3, 1), x.slice(-10, -5), x.slice(1), x.slice(7)]).mul(x.slice(0, -1).sin()) },
  {
    name: 'concat with a block that does not require grad',
    shapes: [[V], [M]],
    f: (a) => ad.concat([ad.full([1, ...a.shape.slice(1)], 0.5), a, a.sin()]).pow(2).mul(ad.concat([a, a.exp(), ad.full([1, ...a.shape.slice(1)], 2)])),
  },
  { name: 'dot', shapes: [[V, V], [[5], [5]]], f: ad.dot },
  { name: 'matmul mm', shapes: [[M, [3, 2]], [[1, 3], [3, 4]]], f: ad.matmul },
  { name: 'matmul mv', shapes: [[M, V]], f: ad.mv },
  { name: 'matmul vm', shapes: [[[2], M]], f: ad.matmul },
  { name: 'matmul transposed', shapes: [[M, M]], f: (a, b) => ad.mm(a, b.T) },
  { name: 'transpose', shapes: [[M], [[3, 3]]], f: (x) => ad.transpose(x).mul(x.T) },
  { name: 'slice', shapes: [[[5]], [[4, 2]]], f: (x) => x.slice(1).sub(x.slice(0, -1).pow(2)) },
  { name: 'pad', shapes: [[V], [M]], f: (x) => ad.pad(x, 1, 2).mul(ad.pad(x, 2, 1)) },
  { name: 'concat', shapes: [[V, [2]], [M, [1, 3]]], f: (a, b) => ad.concat([a, b, a]).pow(2) },
  { name: 'at', shapes: [[V], [M]], f: (x) => x.at(1).mul(x.at(-1)) },
  { name: 'reshape', shapes: [[M]], f: (x) => x.reshape([3, 2]).mul(x.reshape([-1, 2])) },
  { name: 'broadcastTo / sumTo', shapes: [[V]], f: (x) => ad.sumTo(x.broadcastTo([2, 3]).pow(2), [1, 3]) },
  // Selection, reductions and losses. Random inputs have no ties, so these are smooth where sampled;
  // each is multiplied by a smooth factor so the second-order checks see non-zero curvature.
  { name: 'maximum', shapes: [[V, V], [M, V], [M, S]], f: (a, b) => ad.maximum(a, b).mul(a.add(b)) },
  { name: 'minimum', shapes: [[V, V], [M, V]], f: (a, b) => ad.minimum(a, b).pow(2).mul(b) },
  unary('clamp', (x) => x.clamp(-1, 1).mul(x.sin())),
  unary('clamp (min only)', (x) => ad.clamp(x, 0.3).pow(3)),
  { name: 'where', shapes: [[V, V], [M, M], [M, V]], f: (a, b) => ad.where(ad.gt(a, b), a.mul(b), b.exp().mul(a)) },
  { name: 'max (full)', shapes: [[V], [M]], f: (x) => x.max().mul(x.sum()) },
  { name: 'min (full)', shapes: [[V], [M]], f: (x) => x.min().pow(2).add(x.pow(2).sum()) },
  { name: 'max along a dim (values)', shapes: [[M], [[3, 2, 2]]], f: (x) => x.max(1).values.mul(x.max(-1).values.sum()) },
  { name: 'min along a dim, keepdim', shapes: [[M]], f: (x) => x.min(0, true).values.mul(x) },
  { name: 'amax / amin over dims', shapes: [[M], [[2, 2, 3]]], f: (x) => x.amax(-1).pow(2).sum().add(x.amin([0, -1]).sum().mul(x.sum())) },
  { name: 'logsumexp', shapes: [[V], [M], [[2, 2, 3]]], f: (x) => ad.logsumexp(x, -1).mul(ad.logsumexp(x)) },
  { name: 'softmax', shapes: [[V], [M]], f: (x) => ad.softmax(x, -1).mul(x) },
  { name: 'logSoftmax', shapes: [[M], [[2, 2, 3]]], f: (x) => ad.logSoftmax(x, 1).pow(2) },
  { name: 'crossEntropy (mean, sum, none)', shapes: [[[3, 4]]], f: (x) => ad.crossEntropy(x, [1, 3, 0]).mul(ad.crossEntropy(x, [2, 2, 1], { reduction: 'sum' })).add(ad.crossEntropy(x.pow(2), [0, 1, 2], { reduction: 'none' }).sum()) },
  { name: 'crossEntropy (one sample)', shapes: [[[5]]], f: (x) => ad.crossEntropy(x.mul(x), 3) },
  { name: 'gather', shapes: [[M]], f: (x) => ad.gather(x, 1, [[2, 0, 2], [1, 1, 0]]).mul(x) },
  { name: 'indexSelect / index', shapes: [[M], [[3, 3]]], f: (x) => x.indexSelect(1, [2, 0, 2]).pow(2).sum(0).mul(x.index([1, 0]).sum()) },
  { name: 'cat along dim 1', shapes: [[M, [2, 2]]], f: (a, b) => ad.cat([a, b.sin(), a], 1).pow(2) },
  { name: 'stack along dims 0, 1, -1', shapes: [[V, V], [M, M]], f: (a, b) => ad.stack([a, b], 1).pow(2).sum().add(ad.stack([a.mul(b), b], -1).sum(0).sum().mul(ad.stack([a, b]).sum())) },
  { name: 'sum / mean with dim lists and keepdim', shapes: [[[2, 3, 2]]], f: (x) => x.sum([0, 2], true).mul(x).add(x.mean(-1, true).pow(2)) },
  { name: 'var / std (unbiased and biased)', shapes: [[V], [M]], f: (x) => x.var().add(x.std(-1, { unbiased: false }).sum()).mul(x.var(null, { unbiased: false, keepdim: true }).sum()) },
];

describe('finite-difference checks to order 2 for every operation', () => {
  for (const spec of specs) {
    it(spec.name, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.nat(10), (seed, alt) => { checkSpec(spec, seed, alt); }),
        { numRuns: 12 },
      );
    });
  }
});
