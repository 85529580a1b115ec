/**
 * Meta-learning toolkit: differentiable optimizer steps (init/update pairs that stay on the tape),
 * unrolled loops, conjugate gradients on any linear operator, and implicit differentiation of argmin
 * problems. Builds on the public autodiff API only. See docs/meta.md.
 */
export { applyUpdates } from './transformation.ts';
export type { GradientTransformation, Hyper } from './transformation.ts';
export { sgdStep } from './sgdStep.ts';
export type { SgdStepOptions, SgdStepState } from './sgdStep.ts';
export { momentumStep } from './momentumStep.ts';
export type { MomentumStepOptions, MomentumStepState } from './momentumStep.ts';
export { adamStep } from './adamStep.ts';
export type { AdamStepOptions, AdamStepState } from './adamStep.ts';
export { unroll } from './unroll.ts';
export type { UnrollOptions, UnrollResult } from './unroll.ts';
export { cg } from './cg.ts';
export type { CgOptions, CgResult, CgStopReason, CgTrace, LinearOperator } from './cg.ts';
export { implicitGrad, implicitJvp } from './implicitGrad.ts';
export type { ArgminProblem, ImplicitGradOptions, ImplicitJvpOptions, ImplicitResult } from './implicitGrad.ts';
export { mlpInit, mlpLoss, mlpPredict, mlpSize } from './mlp.ts';
export { mulberry32, sampleSineTask, sineValue } from './sineTasks.ts';
export type { SineTask } from './sineTasks.ts';
