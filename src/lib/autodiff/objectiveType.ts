/**
 * The one objective contract shared by the autodiff library and the optimizers: f : ℝⁿ → ℝ on
 * Float64Array, its gradient and, optionally, second-order information. How the derivatives are
 * computed (the compiled `objective(f, n)`, analytic code, finite differences) is the provider's
 * business; optimizers read only this.
 */
export interface Objective {
  /** Number of parameters n, when known; every x, v, out below has length n. */
  readonly n?: number;
  /** f(x). */
  value(x: Float64Array): number;
  /** ∇f(x), written into `out` when given (no allocation), else a fresh array. */
  grad(x: Float64Array, out?: Float64Array): Float64Array;
  /** f(x), with ∇f(x) written into `gradOut` (one pass where the provider can share work). */
  valueAndGrad?(x: Float64Array, gradOut: Float64Array): number;
  /** ∇²f(x)·v without forming ∇²f, written into `out` when given, else a fresh array. */
  hvp?(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
  /** Dense ∇²f(x), row-major n×n. */
  hessian?(x: Float64Array): Float64Array;
}

/** What `objective(f, n)` returns: the contract with n, valueAndGrad and hvp always present. */
export interface CompiledObjective extends Objective {
  readonly n: number;
  valueAndGrad(x: Float64Array, gradOut: Float64Array): number;
  hvp(x: Float64Array, v: Float64Array, out?: Float64Array): Float64Array;
}
