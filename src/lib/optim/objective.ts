/**
 * What every optimizer consumes: the library's one objective contract (value, gradient, optional
 * valueAndGrad, HVP and dense Hessian), shared with the autodiff library's compiled `objective`.
 */
export type { Objective } from '../autodiff/objectiveType.ts';

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
