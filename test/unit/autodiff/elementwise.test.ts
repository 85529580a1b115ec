/**
 * The elementwise table is the one place each op's scalar math lives: the eager kernel and the fused loop
 * of every entry reproduce its scalar function bit for bit on special values, and no other module of
 * the library spells out that math again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ElementwiseOp, elementwise, scalarOf } from '../../../src/lib/autodiff/elementwise';
import { fuse } from '../../../src/lib/autodiff/compile/fuseLoop';
import { kernels } from '../../../src/lib/autodiff/kernels';
import type { Attrs } from '../../../src/lib/autodiff/op';

const specials = [0, -0, 1, -1, 2, -2.5, 0.5, 1e-300, 800, -800, Infinity, -Infinity, NaN];
const xs = Float64Array.from(specials.flatMap((a) => specials.map(() => a)));
const ys = Float64Array.from(specials.flatMap(() => specials));
const attrsOf: { [P in ElementwiseOp]?: Attrs<P>[] } = {
  pow: [0, 1, 2, 3, -1, 0.5, 1.7, -2].map((p) => ({ p })),
  compare: (['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const).map((kind) => ({ kind })),
  clamp: [{ min: -1, max: 1 }, { min: null, max: 0 }, { min: 0.5, max: null }],
  identity: [{ copy: true }],
};
const cases = (Object.keys(elementwise) as ElementwiseOp[]).flatMap((op) => ((attrsOf[op] ?? [{}]) as Attrs<ElementwiseOp>[]).map((a) => [op, a] as const));
const same = (a: Float64Array, b: Float64Array): boolean => a.every((v, i) => Object.is(v, b[i]));

describe('the elementwise table', () => {
  it.each(cases)('%s %o: eager kernel and fused loop equal the scalar function', (op, attrs) => {
    const f = scalarOf(op, attrs as never);
    const binary = elementwise[op].arity === 2;
    const want = xs.map((x, i) => f(x, binary ? ys[i] : 0));
    const eager = new Float64Array(xs.length);
    const ins = binary ? [xs, ys] : [xs];
    kernels[op].run(ins, ins.map(() => [xs.length]), attrs as never, eager, [xs.length]);
    expect(same(eager, want)).toBe(true);
    const ext = new Map(ins.map((_, j) => [j, { buf: j, off: 0, scalar: false }]));
    const loop = fuse([{ op, ins: ins.map((_, j) => j), attrs: attrs as never, out: 9 }], ext, ins.length, [9], xs.length)!;
    const fused = new Float64Array(xs.length);
    loop(ins, [fused]);
    expect(same(fused, want)).toBe(true);
  });
  it('keeps the special cases torch has: 1^NaN = 1, relu(NaN) = NaN, sign(-0) = 0, sigmoid(-800) = 0, softplus(800) = 800', () => {
    expect(scalarOf('powTensor', {})(1, NaN)).toBe(1);
    expect(scalarOf('relu', {})(NaN, 0)).toBeNaN();
    expect(Object.is(scalarOf('sign', {})(-0, 0), 0)).toBe(true);
    expect(scalarOf('sigmoid', {})(-800, 0)).toBe(0);
    expect(scalarOf('softplus', {})(800, 0)).toBe(800);
    expect(scalarOf('pow', { p: 0 })(NaN, 0)).toBe(1);
  });
  it('no other module of the library writes the elementwise math again', () => {
    const dir = new URL('../../../src/lib/autodiff/', import.meta.url);
    const offenders: string[] = [];
    for (const name of readdirSync(dir, { recursive: true }) as string[]) {
      if (!name.endsWith('.ts') || name === 'elementwise.ts') continue;
      const src = readFileSync(new URL(name, dir), 'utf8');
      if (/Math\.(tanh|log1p|sin|cos|pow)\(|<\s*0\s*\?\s*-1\b|1 \/ \(1 \+ Math\.exp/.test(src)) offenders.push(name);
    }
    expect(offenders).toEqual([]);
  });
});
