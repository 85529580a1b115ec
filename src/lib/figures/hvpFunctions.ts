/**
 * The HVP explorer's functions, each written twice: with autodiff tensors (what gets differentiated) and with plain
 * numbers (for contour grids, thousands of points). A unit test checks that the two agree.
 */
import { tensor, type Tensor } from '../autodiff/index.ts';

export interface HvpFunction {
  id: string;
  label: string;
  /** f on a [2] tensor, returning a scalar tensor. */
  f: (x: Tensor) => Tensor;
  /** f on numbers. */
  value: (x: number, y: number) => number;
  /** View window [x-range, y-range] (equal aspect is applied around its centre). */
  center: [number, number];
  halfHeight: number;
  formula: string;
  /** A remark for the caption (how this function differs from the one in the prose). */
  note?: string;
}

const A = tensor([
  [5, 1],
  [1, 3],
]);
const b = tensor([-4, 2]);

export const HVP_FUNCTIONS: readonly HvpFunction[] = [
  {
    id: 'rosen',
    label: 'Rosenbrock-like valley',
    f: (x) => {
      const a = x.at(0);
      const y = x.at(1);
      return a.neg().add(1).square().add(y.sub(a.square()).square().mul(10));
    },
    value: (a, y) => (1 - a) ** 2 + 10 * (y - a * a) ** 2,
    center: [0, 0.75],
    halfHeight: 1.75,
    formula: 'f(x) = (1 − x₁)² + 10(x₂ − x₁²)²',
    note: 'a gentler Rosenbrock, with 10 instead of the usual 100, so that Hv stays on a readable scale and the arrows fit',
  },
  {
    id: 'rosen100',
    label: 'Rosenbrock (100), as in the text',
    f: (x) => {
      const a = x.at(0);
      const y = x.at(1);
      return a.neg().add(1).square().add(y.sub(a.square()).square().mul(100));
    },
    value: (a, y) => (1 - a) ** 2 + 100 * (y - a * a) ** 2,
    center: [0, 0.75],
    halfHeight: 1.75,
    formula: 'f(x) = (1 − x₁)² + 100(x₂ − x₁²)²',
    note: 'Rosenbrock’s function as the text writes it; Hv is long here, so its arrow is drawn shortened',
  },
  {
    id: 'quad',
    label: 'The quadratic (H = A everywhere)',
    f: (x) => x.matmul(A).dot(x).mul(0.5).add(b.dot(x)),
    value: (x, y) => 0.5 * (5 * x * x + 2 * x * y + 3 * y * y) - 4 * x + 2 * y,
    center: [1, -1],
    halfHeight: 2.5,
    formula: 'f(x) = ½xᵀAx + bᵀx, A = [[5, 1], [1, 3]], b = (−4, 2)',
  },
  {
    id: 'wave',
    label: 'Egg crate: sin x₁ · cos x₂ + 0.1‖x‖²',
    f: (x) => x.at(0).sin().mul(x.at(1).cos()).add(x.dot(x).mul(0.1)),
    value: (x, y) => Math.sin(x) * Math.cos(y) + 0.1 * (x * x + y * y),
    center: [0, 0],
    halfHeight: 3,
    formula: 'f(x) = sin x₁ · cos x₂ + 0.1‖x‖²',
  },
];

export function hvpFunction(id: string): HvpFunction {
  return HVP_FUNCTIONS.find((f) => f.id === id) ?? HVP_FUNCTIONS[0];
}
