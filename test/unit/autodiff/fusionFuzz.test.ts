/**
 * Differential fuzzing of the tape compiler: random straight-line programs over vectors (elementwise
 * ops, sums, matrix products, broadcasting, and nested slice / pad / concat, whose adjoints become
 * accumulators) are evaluated three ways — fused tape, unfused tape, eager tensors — for the value,
 * the gradient (both entry points) and the HVP in both modes. Seeded, so a failure reproduces. The eager
 * backward passes recycle buffers through a pool; poisoned here, so a buffer read after it was recycled fails.
 * Longer vectors (256 and more) put the eager side in the arena (eagerArena.ts): there the eager results are
 * compared bit for bit with the arena off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../../../src/lib/autodiff/bufferPool';
import { setArena } from '../../../src/lib/autodiff/eagerArena';

// The eager side runs with recycled buffers poisoned (NaN): a read after recycling would show as a mismatch.
beforeAll(() => { BufferPool.poison = true; });
afterAll(() => { BufferPool.poison = false; });
import { concat, hvp, objective, pad, type Tensor, tensor, valueAndGrad } from '../../../src/lib/autodiff';

function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

type Node = (v: Tensor[]) => Tensor;

/** A random program on length-n vectors: each step builds a new length-n value from earlier ones. */
function program(rnd: () => number, n: number, depth: number): { f: (x: Tensor) => Tensor; src: string } {
  const C = tensor(Float64Array.from({ length: n * n }, (_, k) => Math.sin(k * 0.37 + 0.1)), { shape: [n, n] });
  const c = tensor(Float64Array.from({ length: n }, (_, k) => Math.cos(k * 0.91)));
  const sp = (a: Tensor, b: Tensor): Tensor => pad(a.slice(1), 1, 0).add(pad(b.slice(0, -1), 0, 1));
  const steps: { fn: Node; d: string }[] = [];
  for (let s = 0; s < depth; s++) {
    const k = steps.length + 1;
    const a = Math.floor(rnd() * k);
    const b = Math.floor(rnd() * k);
    const ops: [string, Node][] = [
      [`v${a}+v${b}`, (v) => v[a].add(v[b])],
      [`v${a}-v${b}`, (v) => v[a].sub(v[b])],
      [`v${a}*v${b}`, (v) => v[a].mul(v[b])],
      [`v${a}/(v${b}^2+1)`, (v) => v[a].div(v[b].pow(2).add(1))],
      [`tanh v${a}`, (v) => v[a].tanh()],
      [`sin v${a}`, (v) => v[a].sin()],
      [`exp(.3v${a})`, (v) => v[a].mul(0.3).exp()],
      [`softplus v${a}`, (v) => v[a].softplus()],
      [`sig v${a}`, (v) => v[a].sigmoid()],
      [`relu v${a} + v${b}`, (v) => v[a].relu().add(v[b])],
      [`(|v${a}|+.5)^(.3v${b})`, (v) => v[a].abs().add(0.5).pow(v[b].mul(0.3))],
      [`v${a}*sum v${b}`, (v) => v[a].mul(v[b].sum())],
      [`roll(v${a},v${b})`, (v) => concat([v[a].slice(1), v[b].slice(0, 1)])],
      [`shiftpads(v${a},v${b})`, (v) => sp(v[a], v[b])],
      [`shiftpads(shiftpads(v${a},v${a}),v${b})`, (v) => sp(sp(v[a], v[a]), v[b])],
      [`concat(v${a},v${b})[1:n+1]`, (v) => concat([v[a], v[b]]).slice(1, n + 1)],
      [`pad(v${a})[:n]+pad(v${b})[2:]`, (v) => pad(v[a], 1, 1).slice(0, n).add(pad(v[b].sin(), 1, 1).slice(2))],
      [`C v${a}`, (v) => C.matmul(v[a]).mul(0.2)],
      [`v${a} C`, (v) => v[a].matmul(C).mul(0.2)],
      [`outer(v${a},v${b}).sum(1)`, (v) => v[a].reshape([n, 1]).mul(v[b].reshape([1, n])).sum(1).mul(0.1)],
      [`mean0(v${a}ᵀ+c)`, (v) => v[a].reshape([n, 1]).add(c).mean(0)],
      [`0.1 v${a}^3`, (v) => v[a].pow(3).mul(0.1)],
      [`|v${a}|+cos v${b}`, (v) => v[a].abs().add(v[b].cos())],
      [`v${a}^2+v${a}`, (v) => v[a].mul(v[a]).add(v[a])],
      [`v${a}[0]*v${b}`, (v) => v[a].at(0).mul(v[b])],
      [`(v${a}-mean v${a})*v${b}[-1:]`, (v) => v[a].sub(v[a].mean()).mul(v[b].slice(-1))],
      [`v${a}c+sqrt(v${b}^2+.5)`, (v) => v[a].mul(c).add(v[b].mul(v[b]).add(0.5).sqrt())],
    ];
    const [d, fn] = ops[Math.floor(rnd() * ops.length)];
    steps.push({ fn, d });
  }
  const f = (x: Tensor): Tensor => {
    const vals: Tensor[] = [x];
    for (const s of steps) vals.push(s.fn(vals));
    let y = vals[vals.length - 1].pow(2).sum();
    for (let i = 1; i < vals.length; i += 3) y = y.add(vals[i].mul(c).sum().mul(0.01));
    return y;
  };
  return { f, src: steps.map((s, i) => `v${i + 1} = ${s.d}`).join('; ') };
}

/** max |a − b| / max |b|, NaN in the same places counting as equal. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1e-300;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i]));
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    if (a[i] === b[i]) continue;
    const d = Math.abs(a[i] - b[i]) / scale;
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

/** 150 programs in 10 seeded chunks: each chunk is its own test, so one slow machine never times out the lot. */
const CHUNKS = 10;
const PROGRAMS_PER_CHUNK = 15;

describe('compiled tapes agree with eager evaluation on random programs', () => {
  it.each(Array.from({ length: CHUNKS }, (_, k) => k))('fused, unfused and eager: value, gradient and HVP (both modes), chunk %i of 15 seeded programs', (chunk) => {
    const rnd = lcg(1000 + chunk);
    const failures: string[] = [];
    for (let t = 0; t < PROGRAMS_PER_CHUNK; t++) {
      const n = 2 + Math.floor(rnd() * 5);
      const { f, src } = program(rnd, n, 3 + Math.floor(rnd() * 8));
      const pts = [0, 1].map(() => Float64Array.from({ length: n }, () => rnd() * 2 - 1));
      const v = Float64Array.from({ length: n }, () => rnd() * 2 - 1);
      const eager = pts.map((x) => {
        const [y, g] = valueAndGrad(f)(tensor(x));
        return { y: y.item(), g: g.data, h: hvp(f, tensor(x), tensor(v)).data, hf: hvp(f, tensor(x), tensor(v), { mode: 'forward-over-reverse' }).data };
      });
      for (const fuse of [true, false]) {
        for (const hvpMode of ['reverse-over-reverse', 'forward-over-reverse'] as const) {
          const o = objective(f, n, { fuse, hvpMode });
          pts.forEach((x, j) => {
            const e = eager[j];
            const gb = new Float64Array(n);
            const y2 = o.valueAndGrad(x, gb);
            const errs = [relErr([o.value(x)], [e.y]), relErr(o.grad(x), e.g), relErr([y2], [e.y]), relErr(gb, e.g),
              relErr(o.hvp(x, v), e.h), relErr(e.hf, e.h)];
            if (errs.some((err) => err > 1e-8)) failures.push(`chunk ${chunk} program ${t} (n = ${n}, fuse ${fuse}, ${hvpMode}) at x = [${Array.from(x).join(', ')}]: errors ${errs.map((q) => q.toExponential(1)).join(' ')}\n  ${src}`);
          });
        }
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

/** Eager evaluation's value, gradient and HVPs (both modes) at x, as plain arrays. */
function eagerAt(f: (x: Tensor) => Tensor, x: Float64Array, v: Float64Array): Float64Array[] {
  const [y, g] = valueAndGrad(f)(tensor(x));
  return [y.data, g.data, hvp(f, tensor(x), tensor(v)).data, hvp(f, tensor(x), tensor(v), { mode: 'forward-over-reverse' }).data].map((d) => Float64Array.from(d));
}

describe('the eager arena agrees with plain arrays on random programs over long vectors', () => {
  it.each([0, 1, 2])('value, gradient and HVP (both modes) bit for bit, arena on and off, chunk %i of 6 seeded programs', (chunk) => {
    const rnd = lcg(5000 + chunk);
    const failures: string[] = [];
    for (let t = 0; t < 6; t++) {
      const n = 256 + Math.floor(rnd() * 80);
      const { f, src } = program(rnd, n, 3 + Math.floor(rnd() * 8));
      const x = Float64Array.from({ length: n }, () => rnd() * 2 - 1);
      const v = Float64Array.from({ length: n }, () => rnd() * 2 - 1);
      const prev = setArena(false);
      let plain: Float64Array[];
      try { plain = eagerAt(f, x, v); } finally { setArena(prev); }
      const arena = eagerAt(f, x, v);
      const same = arena.every((a, i) => a.length === plain[i].length && a.every((ai, j) => Object.is(ai, plain[i][j])));
      if (!same) failures.push(`chunk ${chunk} program ${t} (n = ${n}): ${src}`);
    }
    expect(failures).toEqual([]);
  });
});
