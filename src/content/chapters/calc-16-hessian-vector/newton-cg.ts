// Newton's method with the dense Hessian, and Newton-CG with Hessian-vector products only.
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { minimize } from '../../../lib/optim/index.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = objective((x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x)), 2);
const x0 = [2.5, -2];

for (const method of ['newton', 'newton-cg'] as const) {
  const run = minimize(f, x0, { method, ...(method === 'newton-cg' ? { cgTol: 1e-12 } : {}) });
  console.log(
    `${method}: x = [${Array.from(run.x)}] after ${run.iterations} step(s),`,
    `${run.counts.hvp} Hessian-vector products, ${run.counts.f} evaluations (${run.reason})`,
  );
}
