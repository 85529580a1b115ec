/**
 * A training run in chunks: `next()` does up to `every` meta-iterations and returns the snapshot the worker posts
 * (new curve points, current θ per method, and, with the last chunk, the held-out evaluation).
 */
import { createTrainer, evaluateAdaptation, evaluationTasks, MAML_METHODS, taskLosses, type MamlMethod, type TrainConfig } from './mamlTrain.ts';
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

export function createTrainingRun(o: { config: TrainConfig; every: number }): TrainingRun {
  const trainer = createTrainer(o.config);
  const total = o.config.iterations;
  return {
    iteration: () => trainer.iteration(),
    next() {
      const sum = { maml: 0, fomaml: 0, reptile: 0 };
      const start = trainer.iteration();
      const end = Math.min(total, start + o.every);
      for (let i = start; i < end; i++) {
        const r = trainer.step();
        for (const m of MAML_METHODS) sum[m] += r[m];
      }
      const points: CurvePoint[] = end > start ? [{ iteration: end, loss: { maml: sum.maml / (end - start), fomaml: sum.fomaml / (end - start), reptile: sum.reptile / (end - start) } }] : [];
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
