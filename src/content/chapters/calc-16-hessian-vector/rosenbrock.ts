/**
 * f(x) = Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², Rosenbrock's function in one line of the library, and the sizes at
 * which the chapter measures what an HVP costs.
 */
import type { Tensor } from '../../../lib/autodiff/index.ts';

export function rosenbrock(x: Tensor): Tensor {
  const head = x.slice(0, -1);
  return x.slice(1).sub(head.pow(2)).pow(2).mul(100).add(head.neg().add(1).pow(2)).sum();
}

/**
 * The cost measurement's setup: n = 10⁴, where one gradient takes tens of microseconds (a batch of calls is far above the
 * timer's resolution) and every array fits in cache; 21 interleaved repeats of 25 ms batches.
 */
export const costProblem = { n: 10_000, repeats: 21, batchMs: 25 } as const;
