/**
 * A training run in chunks: `next()` does up to `every` meta-iterations and returns the snapshot the worker posts
 * (new meta-loss points on the held-out tasks, current θ per method, and, with the last chunk, the held-out
 * evaluation after k = 0 … MAX_STEPS steps).
 */
import { createTrainer, evaluateAdaptation, evaluationTasks, taskLosses, type MamlMethod, type TrainConfig } from './mamlTrain.ts';
import { MAX_STEPS, type CurvePoint, type Evaluation, type TrainMessage } from './mamlProtocol.ts';

/** Held-out tasks in the evaluation. */
export const EVALUATION_TASKS = 20;

export type Snapshot = Extract<TrainMessage, { type: 'snapshot' }>;

export interface TrainingRun {
  /** Meta-iterations done so far. */
  iteration(): number;
  /** Up to `every` more meta-iterations; the snapshot says `done` once all are run. */
  next(): Snapshot;
}

/** The mean query loss after k = 0 … MAX_STEPS steps on the held-out tasks, for θ₀ and each method's current θ. */
export function evaluateAll(config: TrainConfig, init: Float64Array, thetas: Record<MamlMethod, Float64Array>): Evaluation {
  const losses = taskLosses(config.hidden, config.points);
  const tasks = evaluationTasks(EVALUATION_TASKS, config.points);
  const ev = (theta: Float64Array) => evaluateAdaptation({ theta, tasks, losses, alpha: config.alpha, maxSteps: MAX_STEPS });
  return { untrained: ev(init), maml: ev(thetas.maml), fomaml: ev(thetas.fomaml), reptile: ev(thetas.reptile) };
}

/**
 * A run of `config`, posting a snapshot every `every` meta-iterations. Its meta-loss curve is M(θ) =
 * meanᵢ Lᵢᵛᵃˡ(θ − α∇Lᵢᵗʳ(θ)) on the held-out tasks (the same for every method and every point, so differences
 * between points are the methods' and not the tasks'), starting at θ₀ (iteration 0).
 */
export function createTrainingRun(o: { config: TrainConfig; every: number }): TrainingRun {
  const trainer = createTrainer(o.config);
  const total = o.config.iterations;
  const losses = taskLosses(o.config.hidden, o.config.points);
  const tasks = evaluationTasks(EVALUATION_TASKS, o.config.points);
  const metaLoss = (theta: Float64Array) => evaluateAdaptation({ theta, tasks, losses, alpha: o.config.alpha, maxSteps: 1 })[1];
  const point = (iteration: number): CurvePoint => ({ iteration, loss: { maml: metaLoss(trainer.thetas.maml), fomaml: metaLoss(trainer.thetas.fomaml), reptile: metaLoss(trainer.thetas.reptile) } });
  return {
    iteration: () => trainer.iteration(),
    next() {
      const start = trainer.iteration();
      const points = start === 0 ? [point(0)] : [];
      const end = Math.min(total, start + o.every);
      for (let i = start; i < end; i++) trainer.step();
      if (end > start) points.push(point(end));
      const done = end >= total;
      return {
        type: 'snapshot',
        iteration: end,
        total,
        points,
        thetas: { maml: Array.from(trainer.thetas.maml), fomaml: Array.from(trainer.thetas.fomaml), reptile: Array.from(trainer.thetas.reptile) },
        done,
        evaluation: done ? evaluateAll(o.config, trainer.init, trainer.thetas) : null,
      };
    },
  };
}
