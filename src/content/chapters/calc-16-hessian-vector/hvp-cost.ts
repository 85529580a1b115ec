// What a Hessian-vector product costs next to a gradient, measured on your machine (Rosenbrock, n = 10 000):
// the median of 9 interleaved repeats.
import { objective, type Tensor } from '../../../lib/autodiff/index.ts';

const n = 10_000;
const rosenbrock = (x: Tensor) => {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
};
const x = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
const out = new Float64Array(n);
const reverse = objective(rosenbrock, n, { hvpMode: 'reverse-over-reverse' });
const forward = objective(rosenbrock, n, { hvpMode: 'forward-over-reverse' });

/** Milliseconds per call of fn over one batch of at least 10 ms. */
function batch(fn: () => unknown): number {
  let calls = 0;
  const t0 = performance.now();
  do {
    fn();
    calls++;
  } while (performance.now() - t0 < 10);
  return (performance.now() - t0) / calls;
}

// Interleaved repeats: each repeat times all four back to back, so a disturbance hits one repeat, not one function.
const fns = [() => forward.value(x), () => forward.grad(x, out), () => reverse.hvp(x, v, out), () => forward.hvp(x, v, out)];
for (const fn of fns) for (let i = 0; i < 5; i++) fn(); // compile the tapes, let the JIT settle
const repeats = fns.map((): number[] => []);
for (let r = 0; r < 9; r++) fns.forEach((fn, k) => repeats[k].push(batch(fn)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const [f, grad, hvpRev, hvpFwd] = repeats.map(median);
console.log(`f:    ${f.toFixed(3)} ms`);
console.log(`grad: ${grad.toFixed(3)} ms  (${(grad / f).toFixed(1)} × f)`);
console.log(`Hv, reverse-over-reverse: ${hvpRev.toFixed(3)} ms  (${(hvpRev / grad).toFixed(1)} × grad)`);
console.log(`Hv, forward-over-reverse: ${hvpFwd.toFixed(3)} ms  (${(hvpFwd / grad).toFixed(1)} × grad)`);
console.log(`Forming H column by column would take ${n} of those products.`);
