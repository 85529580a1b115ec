/**
 * What every optimizer consumes: f : ℝⁿ → ℝ on Float64Array, with its gradient and, for the
 * second-order methods, Hessian-vector products or a dense Hessian. How the derivatives are computed
 * (analytic code, the autodiff library's compiled `objective`, finite differences) is not the
 * optimizer's business.
 *
 * `valueAndGrad` may either return `{ value, grad }` or, like the autodiff library's compiled
 * objective, write ∇f into `gOut` and return f as a number; both are accepted.
 */
export interface Objective {
  readonly n?: number;
  value(x: Float64Array): number;
  /** ∇f(x); writes into `out` when given. */
  grad(x: Float64Array, out?: Float64Array): Float64Array;
  valueAndGrad?(x: Float64Array, gOut: Float64Array): number | { value: number; grad: Float64Array };
  /** ∇²f(x)·v without forming ∇²f; writes into `out` when given. */
  hvp?(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Dense ∇²f(x), row-major n×n. */
  hessian?(x: Float64Array): Float64Array;
}

/** Why a run stopped. */
export type StopReason =
  | 'converged'
  | 'max-iterations'
  | 'max-evaluations'
  | 'no-progress'
  | 'line-search-failed'
  | 'diverged'
  | 'non-finite';

export type Method = 'sgd' | 'lbfgs' | 'newton' | 'newton-cg';

export const METHODS: readonly Method[] = ['sgd', 'lbfgs', 'newton', 'newton-cg'];
