/**
 * The MAML figure's meta-training, as plain functions over Float64Array (the worker calls them; unit tests import
 * them under Node). Three methods from the same start on the same task stream:
 *
 * - MAML: dᵢ = (I − α∇²Lᵢᵗʳ(θ)) ∇Lᵢᵛᵃˡ(θ′ᵢ), θ′ᵢ = θ − α∇Lᵢᵗʳ(θ): two gradients and one HVP per task;
 * - first-order MAML: dᵢ = ∇Lᵢᵛᵃˡ(θ′ᵢ);
 * - Reptile: dᵢ = θ − θ̃ᵢ after `reptileSteps` SGD steps of size α on Lᵢᵗʳ;
 *
 * the mean over a meta-batch of tasks drives Adam. Losses are the library's compiled objectives (`objective`), whose
 * captured data tensors are rewritten in place for each task, so a meta-iteration allocates almost nothing.
 */
import { objective, tensor, type CompiledObjective, type Tensor } from '../autodiff/index.ts';
import { mlpInit, mlpLoss, mlpSize } from '../meta/mlp.ts';
import { mulberry32, sampleSineTask, type SineTask } from '../meta/sineTasks.ts';

export type MamlMethod = 'maml' | 'fomaml' | 'reptile';
export const MAML_METHODS: readonly MamlMethod[] = ['maml', 'fomaml', 'reptile'];

export interface TrainConfig {
  /** Seeds the initialisation and the stream of training tasks. */
  seed: number;
  /** Hidden units h of the 1-h-1 tanh network. */
  hidden: number;
  /** Meta-iterations to run. */
  iterations: number;
  /** Tasks per meta-batch. */
  metaBatch: number;
  /** Support (and query) points per task, K. */
  points: number;
  /** Inner step α (adaptation and meta-training). */
  alpha: number;
  /** Adam's step on the meta-objective. */
  metaLr: number;
  /** Inner SGD steps per task for Reptile. */
  reptileSteps: number;
}

export const TRAIN_DEFAULTS: TrainConfig = { seed: 1, hidden: 20, iterations: 2000, metaBatch: 5, points: 10, alpha: 0.05, metaLr: 0.01, reptileSteps: 5 };

/** The two losses of one task as compiled objectives over θ, with their data tensors to rewrite per task. */
export interface TaskLosses {
  train: CompiledObjective;
  val: CompiledObjective;
  /** Writes the task's support points into `train` and its query points into `val`. */
  load(task: SineTask): void;
}

/** Compiled training and validation losses of the 1-h-1 network on K points (shapes fixed, data rewritten per task). */
export function taskLosses(hidden: number, points: number): TaskLosses {
  const data = () => ({ X: tensor(new Float64Array(points), { shape: [points, 1] }), y: tensor(new Float64Array(points)) });
  const tr = data();
  const va = data();
  const n = mlpSize(hidden);
  const compile = (d: { X: Tensor; y: Tensor }) => objective(mlpLoss(d.X, d.y, hidden), n, { hvpMode: 'forward-over-reverse' });
  return {
    train: compile(tr),
    val: compile(va),
    load(task) {
      tr.X.data.set(task.xTrain);
      tr.y.data.set(task.yTrain);
      va.X.data.set(task.xVal);
      va.y.data.set(task.yVal);
    },
  };
}

/** Scratch arrays of length n, reused by every task of every iteration. */
interface Scratch {
  g: Float64Array;
  adapted: Float64Array;
  u: Float64Array;
  hu: Float64Array;
}
const scratch = (n: number): Scratch => ({ g: new Float64Array(n), adapted: new Float64Array(n), u: new Float64Array(n), hu: new Float64Array(n) });

/**
 * One task's meta-direction for `method` at θ, added into `acc`; returns Lᵛᵃˡ(θ′) with θ′ = θ − α∇Lᵗʳ(θ) (the
 * quantity MAML minimises, reported for all three methods). The losses must hold the task already (`load`).
 */
export function addMetaDirection(o: { method: MamlMethod; theta: Float64Array; losses: TaskLosses; alpha: number; reptileSteps: number; acc: Float64Array; scratch?: Scratch }): number {
  const { theta, losses, alpha, acc } = o;
  const n = theta.length;
  const s = o.scratch ?? scratch(n);
  losses.train.grad(theta, s.g);
  for (let j = 0; j < n; j++) s.adapted[j] = theta[j] - alpha * s.g[j];
  if (o.method === 'reptile') {
    const loss = losses.val.value(s.adapted);
    for (let step = 1; step < o.reptileSteps; step++) {
      losses.train.grad(s.adapted, s.g);
      for (let j = 0; j < n; j++) s.adapted[j] -= alpha * s.g[j];
    }
    for (let j = 0; j < n; j++) acc[j] += theta[j] - s.adapted[j];
    return loss;
  }
  const loss = losses.val.valueAndGrad(s.adapted, s.u);
  if (o.method === 'fomaml') {
    for (let j = 0; j < n; j++) acc[j] += s.u[j];
    return loss;
  }
  losses.train.hvp(theta, s.u, s.hu);
  for (let j = 0; j < n; j++) acc[j] += s.u[j] - alpha * s.hu[j];
  return loss;
}

/** Adam's state for one parameter vector. */
interface AdamState {
  m: Float64Array;
  v: Float64Array;
  t: number;
}

/** θ ← θ − lr · m̂ / (√v̂ + 1e−8), Adam with β = (0.9, 0.999) on the direction d. */
function adamUpdate(theta: Float64Array, d: Float64Array, st: AdamState, lr: number): void {
  st.t++;
  const c1 = 1 - 0.9 ** st.t;
  const c2 = 1 - 0.999 ** st.t;
  for (let j = 0; j < theta.length; j++) {
    st.m[j] = 0.9 * st.m[j] + 0.1 * d[j];
    st.v[j] = 0.999 * st.v[j] + 0.001 * d[j] * d[j];
    theta[j] -= (lr * (st.m[j] / c1)) / (Math.sqrt(st.v[j] / c2) + 1e-8);
  }
}

export interface Trainer {
  readonly config: TrainConfig;
  /** The untrained start θ₀ (shared by the three methods). */
  readonly init: Float64Array;
  /** Current θ per method (updated in place by `step`). */
  readonly thetas: Record<MamlMethod, Float64Array>;
  /** Meta-iterations done. */
  iteration(): number;
  /** One meta-iteration of every method on the same meta-batch; returns each method's mean Lᵛᵃˡ(θ′) over the batch. */
  step(): Record<MamlMethod, number>;
}

/** A trainer at iteration 0: θ₀ from mulberry32(seed), tasks from a second stream of the same seed. */
export function createTrainer(config: TrainConfig): Trainer {
  const n = mlpSize(config.hidden);
  const init = mlpInit(config.hidden, mulberry32(config.seed));
  const taskRand = mulberry32(config.seed + 0x9e3779b9);
  const losses = taskLosses(config.hidden, config.points);
  const s = scratch(n);
  const acc = new Float64Array(n);
  const thetas = { maml: init.slice(), fomaml: init.slice(), reptile: init.slice() };
  const adam = Object.fromEntries(MAML_METHODS.map((k) => [k, { m: new Float64Array(n), v: new Float64Array(n), t: 0 }])) as Record<MamlMethod, AdamState>;
  let done = 0;
  return {
    config,
    init,
    thetas,
    iteration: () => done,
    step() {
      const batch = Array.from({ length: config.metaBatch }, () => sampleSineTask(taskRand, config.points));
      const out = { maml: 0, fomaml: 0, reptile: 0 };
      for (const method of MAML_METHODS) {
        acc.fill(0);
        for (const task of batch) {
          losses.load(task);
          out[method] += addMetaDirection({ method, theta: thetas[method], losses, alpha: config.alpha, reptileSteps: config.reptileSteps, acc, scratch: s });
        }
        for (let j = 0; j < n; j++) acc[j] /= batch.length;
        out[method] /= batch.length;
        adamUpdate(thetas[method], acc, adam[method], config.metaLr);
      }
      done++;
      return out;
    },
  };
}

/** The held-out tasks every evaluation uses: fixed, and drawn from a stream no training seed reaches. */
export function evaluationTasks(count: number, points: number): SineTask[] {
  const rand = mulberry32(0x51e7a5);
  return Array.from({ length: count }, () => sampleSineTask(rand, points));
}

/** θ after `steps` SGD steps of size α on the task's support loss (the losses must hold the task). */
export function adapt(o: { theta: Float64Array; losses: TaskLosses; alpha: number; steps: number }): Float64Array[] {
  const path = [o.theta.slice()];
  const g = new Float64Array(o.theta.length);
  for (let k = 0; k < o.steps; k++) {
    const next = path[k].slice();
    o.losses.train.grad(path[k], g);
    for (let j = 0; j < next.length; j++) next[j] -= o.alpha * g[j];
    path.push(next);
  }
  return path;
}

/** Mean query loss over `tasks` after k = 0 … maxSteps adaptation steps: entry k is the mean after k steps. */
export function evaluateAdaptation(o: { theta: Float64Array; tasks: readonly SineTask[]; losses: TaskLosses; alpha: number; maxSteps: number }): number[] {
  const mean = new Array<number>(o.maxSteps + 1).fill(0);
  for (const task of o.tasks) {
    o.losses.load(task);
    adapt({ theta: o.theta, losses: o.losses, alpha: o.alpha, steps: o.maxSteps }).forEach((th, k) => (mean[k] += o.losses.val.value(th) / o.tasks.length));
  }
  return mean;
}
