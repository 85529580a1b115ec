/**
 * Meta-learning toolkit: differentiable optimizer steps (init/update pairs that stay on the tape),
 * unrolled loops, conjugate gradients on any linear operator, and implicit differentiation of argmin
 * problems. Builds on the public autodiff API only. See docs/meta.md.
 */
export { applyUpdates } from './transformation';
export type { GradientTransformation, Hyper } from './transformation';
export { sgdStep } from './sgdStep';
export type { SgdStepOptions, SgdStepState } from './sgdStep';
export { momentumStep } from './momentumStep';
export type { MomentumStepOptions, MomentumStepState } from './momentumStep';
export { adamStep } from './adamStep';
export type { AdamStepOptions, AdamStepState } from './adamStep';
export { unroll } from './unroll';
export type { UnrollOptions, UnrollResult } from './unroll';
export { cg } from './cg';
export type { CgOptions, CgResult, CgStopReason, CgTrace, LinearOperator } from './cg';
export { implicitGrad, implicitJvp } from './implicitGrad';
export type { ArgminProblem, ImplicitGradOptions, ImplicitJvpOptions, ImplicitResult } from './implicitGrad';
export { closestKey } from './options';
export { mlpInit, mlpLoss, mlpPredict, mlpSize } from './mlp';
export { mulberry32, sampleSineTask, sineValue } from './sineTasks';
export type { SineTask } from './sineTasks';
