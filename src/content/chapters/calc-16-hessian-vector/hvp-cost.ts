// What a Hessian-vector product costs next to a gradient, measured on your machine (Rosenbrock, n = 10 000).
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

/** Milliseconds per call: the fastest of several short rounds, the one least disturbed by other work. */
function msPerCall(fn: () => unknown): number {
  for (let i = 0; i < 5; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 15; round++) {
    let calls = 0;
    const t0 = performance.now();
    do {
      fn();
      calls++;
    } while (performance.now() - t0 < 10);
    best = Math.min(best, (performance.now() - t0) / calls);
  }
  return best;
}

const f = msPerCall(() => forward.value(x));
const grad = msPerCall(() => forward.grad(x, out));
const hvpRev = msPerCall(() => reverse.hvp(x, v, out));
const hvpFwd = msPerCall(() => forward.hvp(x, v, out));
console.log(`f:    ${f.toFixed(3)} ms`);
console.log(`grad: ${grad.toFixed(3)} ms  (${(grad / f).toFixed(1)} × f)`);
console.log(`Hv, reverse-over-reverse: ${hvpRev.toFixed(3)} ms  (${(hvpRev / grad).toFixed(1)} × grad)`);
console.log(`Hv, forward-over-reverse: ${hvpFwd.toFixed(3)} ms  (${(hvpFwd / grad).toFixed(1)} × grad)`);
console.log(`Forming H column by column would take ${n} of those products.`);
