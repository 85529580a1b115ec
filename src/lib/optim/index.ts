export type { Objective, StopReason, Method } from './objective.ts';
export { METHODS } from './objective.ts';
export {
  type Trace,
  type EvalKind,
  TraceRecorder,
  type IterateRecord,
  evalKind,
  iterateX,
  evaluationX,
  EVAL_INITIAL,
  EVAL_TRIAL,
  EVAL_ACCEPTED,
  EVAL_FINAL,
  MOD_NONE,
  MOD_SHIFT,
  MOD_GRADIENT,
  MOD_NEGATIVE_CURVATURE,
} from './trace.ts';
export { Evaluator } from './evaluator.ts';
export { startRun, type RunStart } from './runStart.ts';
export { cubicInterpolate, cubicInterpolateTracked, type TrackedStep } from './cubicInterpolate.ts';
export { strongWolfe, StrongWolfeWorkspace, type LineFunction, type StrongWolfeOptions, type StrongWolfeResult } from './strongWolfe.ts';
export { backtracking, type BacktrackingOptions } from './backtracking.ts';
export { sgdInit, sgdUpdate, resolveSgdOptions, SGD_OPTION_NAMES, type SgdOptions, type SgdOptionsCamel, type SgdState, type ResolvedSgdOptions } from './sgd.ts';
export { lbfgsInit, lbfgsStep, resolveLbfgsOptions, LBFGS_OPTION_NAMES, type LbfgsOptions, type LbfgsOptionsCamel, type LbfgsState, type LbfgsStepResult, type ResolvedLbfgsOptions } from './lbfgs.ts';
export { runNewton, resolveNewtonOptions, type NewtonOptions } from './newton.ts';
export { runNewtonCg, resolveNewtonCgOptions, type NewtonCgOptions } from './newtonCg.ts';
export { minimize, type MinimizeOptions, type SgdRunOptions, type LbfgsRunOptions, type NewtonRunOptions, type NewtonCgRunOptions, type CommonOptions } from './minimize.ts';
export { problems, quadratic, rosenbrock, illConditioned, seedQuadratic, type Problem } from './problems.ts';
export { SGD, LBFGS, type ParamLike, type LossLike, type ParamGroup, type ParamGroupSpec, type StateDict, type SgdParamState, type LbfgsParamState } from './torch.ts';
