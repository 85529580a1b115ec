/**
 * Curvature at one point by hand: the Hessian of f(x, y) = (1 − x)² + 100(y − x²)² from its second partial
 * derivatives, its eigenvalues, the curvature vᵀHv/vᵀv along a direction, and what Newton's step does there.
 */
import { eigSym2 } from '../../../lib/linalg/index.ts';

/** ∇f(x, y) = (−2(1 − x) − 400x(y − x²), 200(y − x²)), differentiated by hand. */
export function rosenbrockGrad2(x: number, y: number): [number, number] {
  return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
}

/** ∇²f(x, y) = [[2 − 400(y − x²) + 800x², −400x], [−400x, 200]], differentiated by hand. */
export function rosenbrockHessian2(x: number, y: number): [[number, number], [number, number]] {
  return [
    [2 - 400 * (y - x * x) + 800 * x * x, -400 * x],
    [-400 * x, 200],
  ];
}

/** f(x, y) = (1 − x)² + 100(y − x²)². */
export function rosenbrock2(x: number, y: number): number {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}

/**
 * Everything the chapter says about the curvature of Rosenbrock's function at `at`, along `v`:
 * H, its eigenvalues, κ(v) = vᵀHv / vᵀv, the slope gᵀv / ‖v‖, the one-dimensional Newton step along v,
 * t = −gᵀv / vᵀHv (towards the model's maximum when vᵀHv < 0), and the full Newton step p = −H⁻¹g.
 */
export function curvatureAt(at: readonly number[], v: readonly number[]) {
  const [x, y] = at;
  const H = rosenbrockHessian2(x, y);
  const g = rosenbrockGrad2(x, y);
  const { values } = eigSym2(H[0][0], H[0][1], H[1][1]);
  const Hv = [H[0][0] * v[0] + H[0][1] * v[1], H[1][0] * v[0] + H[1][1] * v[1]];
  const vHv = v[0] * Hv[0] + v[1] * Hv[1];
  const vv = v[0] ** 2 + v[1] ** 2;
  const gv = g[0] * v[0] + g[1] * v[1];
  const t = -gv / vHv;
  const along = [x + t * v[0], y + t * v[1]];
  const det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
  // p = −H⁻¹g with the 2 × 2 inverse written out.
  const p = [-(H[1][1] * g[0] - H[0][1] * g[1]) / det, -(-H[1][0] * g[0] + H[0][0] * g[1]) / det];
  const newtonPoint = [x + p[0], y + p[1]];
  return {
    x: [...at],
    v: [...v],
    f: rosenbrock2(x, y),
    g,
    H,
    lambda: Array.from(values),
    Hv,
    vHv,
    /** Curvature along the unit vector v/‖v‖. */
    curvatureAlongV: vHv / vv,
    slopeAlongV: gv / Math.sqrt(vv),
    gv,
    newton1d: { t, x: along, f: rosenbrock2(along[0], along[1]) },
    newton: { p, gp: g[0] * p[0] + g[1] * p[1], x: newtonPoint, f: rosenbrock2(newtonPoint[0], newtonPoint[1]) },
  };
}
