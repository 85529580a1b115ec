// SGD against L-BFGS with a strong-Wolfe line search on a convex quadratic (port of newton_lbfgs_demo.py).
import { objective, tensor, type Tensor } from '../../../lib/autodiff/index.ts';
import { solve2 } from '../../../lib/linalg/index.ts';
import { LBFGS, SGD } from '../../../lib/optim/index.ts';
import { show } from '../../../lib/live/show.ts';

const A = tensor([[5, 1], [1, 3]]);
const b = tensor([-4, 2]);
const f = (x: Tensor) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x));

// Gradient descent: 40 steps of size 0.1, recording every iterate.
const x = tensor([2.5, -2.0], { requiresGrad: true });
const sgd = new SGD([x], { lr: 0.1 });
const sgdPath = [Array.from(x.data)];
for (let i = 0; i < 40; i++) {
  sgd.zeroGrad();
  f(x).backward();
  sgd.step();
  sgdPath.push(Array.from(x.data));
}

// L-BFGS: the closure records every point where f is evaluated, line-search trials included.
const y = tensor([2.5, -2.0], { requiresGrad: true });
const lbfgs = new LBFGS([y], { lr: 1, maxIter: 40, historySize: 10, lineSearchFn: 'strong_wolfe' });
const lbfgsPath: number[][] = [];
const closure = () => {
  lbfgs.zeroGrad();
  const loss = f(y);
  loss.backward();
  lbfgsPath.push(Array.from(y.data));
  return loss;
};
lbfgs.step(closure);

console.log(`SGD ended at ${x.detach()} after ${sgdPath.length - 1} steps (${sgdPath.length - 1} gradient evaluations)`);
console.log(`L-BFGS ended at ${y.detach()} after ${lbfgs.state.moves} steps (${lbfgsPath.length} function evaluations)`);
const xStar = tensor(Array.from(solve2(A.data, b.neg().data))); // x* = −A⁻¹b
console.log(`Optimum: ${xStar}, f* = ${f(xStar).item()}`);

// The two figures of the PyTorch original: the contours of f, then both paths over them with the optimum.
const fx = objective(f, 2);
const [lo, hi, steps] = [-3, 3, 61];
const grid: { value: number }[] = [];
for (let j = 0; j < steps; j++)
  for (let i = 0; i < steps; i++)
    grid.push({ value: fx.value(new Float64Array([lo + ((hi - lo) * i) / (steps - 1), lo + ((hi - lo) * j) / (steps - 1)])) });
const contours = { mark: 'contour', data: grid, options: { width: steps, height: steps, x1: lo, x2: hi, y1: lo, y2: hi, value: 'value', fill: 'value', thresholds: 15, stroke: 'currentColor', strokeOpacity: 0.25 } } as const;
const points = (path: number[][], method: string) => path.map(([px, py], k) => ({ x: px, y: py, k, method }));

await show('contours', { title: 'f(x) = ½xᵀAx + bᵀx', marks: [contours], color: { scheme: 'blues', reverse: true }, x: { label: 'x₁' }, y: { label: 'x₂' }, aspectRatio: 1 });
await show('paths', {
  title: 'SGD (lr 0.1) and L-BFGS (strong Wolfe) from (2.5, −2)',
  aspectRatio: 1,
  x: { label: 'x₁' },
  y: { label: 'x₂' },
  marks: [
    { ...contours, options: { ...contours.options, fill: null, stroke: 'gray' } },
    { mark: 'line', data: [...points(sgdPath, 'SGD'), ...points(lbfgsPath, 'L-BFGS')], options: { x: 'x', y: 'y', z: 'method', stroke: 'method', marker: 'dot' } },
    { mark: 'text', data: [{ ...points(sgdPath, 'SGD')[0], label: 'start' }], options: { x: 'x', y: 'y', text: 'label', dy: -10 } },
    { mark: 'text', data: [points(sgdPath, 'SGD')[8], points(lbfgsPath, 'L-BFGS')[1]].map((p) => ({ ...p, label: p.method })), options: { x: 'x', y: 'y', text: 'label', fill: 'method', dx: 12, textAnchor: 'start' } },
    { mark: 'dot', data: [{ x: xStar.data[0], y: xStar.data[1] }], options: { x: 'x', y: 'y', r: 6, symbol: 'star', fill: 'currentColor' } },
  ],
});
