/**
 * A compiled objective keeps only its program's buffers: the tensors of the run that traced it (every
 * intermediate of f, its gradient and its HVP) can be garbage-collected once the program is built.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { objective, type Tensor, tensor } from '../../../src/lib/autodiff';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('compiled objective memory', () => {
  it('retains none of the traced intermediates after the first hvp and grad', async () => {
    const refs: WeakRef<Float64Array>[] = [];
    const f = (x: Tensor): Tensor => {
      const a = x.slice(1).sub(x.slice(0, -1).pow(2));
      const b = a.pow(2).mul(100);
      refs.push(new WeakRef(a.data), new WeakRef(b.data));
      return b.sum();
    };
    const n = 64;
    const obj = objective(f, n);
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const out = new Float64Array(n);
    obj.hvp(x, x, out);
    obj.grad(x, out);
    expect(refs.length).toBe(4);
    // WeakRefs hold their targets until the current job ends.
    await new Promise((r) => setTimeout(r, 0));
    gc();
    gc();
    expect(refs.filter((r) => r.deref() !== undefined).length).toBe(0);
    expect(obj.value(x)).toBeCloseTo(f(tensor(x)).item(), 12);
  });
});
