/**
 * Messages between the MAML figure and its training worker. Neither side trusts a message's shape: the worker
 * answers a malformed request with an error message, and the page treats a malformed reply as a worker failure
 * (it terminates the worker and says so). Reset is `terminate()`, so no message needs to say "stop".
 */
import { mlpSize } from '../meta/mlp.ts';
import { MAML_METHODS, type MamlMethod, type TrainConfig } from './mamlTrain.ts';

/** Bounds of every training setting (the figure's fields use the same ones). */
export const TRAIN_BOUNDS: Record<keyof TrainConfig, { min: number; max: number; integer: boolean }> = {
  seed: { min: 1, max: 99999, integer: true },
  hidden: { min: 4, max: 64, integer: true },
  iterations: { min: 10, max: 20000, integer: true },
  metaBatch: { min: 1, max: 50, integer: true },
  points: { min: 2, max: 50, integer: true },
  alpha: { min: 1e-4, max: 1, integer: false },
  metaLr: { min: 1e-5, max: 0.1, integer: false },
  reptileSteps: { min: 1, max: 20, integer: true },
};

/** Page → worker. */
export type TrainRequest =
  /** Start a fresh run; a snapshot is posted every `every` meta-iterations and at the end. */
  | { type: 'start'; config: TrainConfig; every: number }
  | { type: 'pause' }
  | { type: 'resume' };

/** The meta-loss M(θ) of each method's θ at meta-iteration `iteration`, on the held-out tasks (mamlRun.ts). */
export interface CurvePoint {
  iteration: number;
  loss: Record<MamlMethod, number>;
}

/** Mean query loss over the held-out tasks after k = 0 … 10 adaptation steps, for θ₀ and each method's θ. */
export type Evaluation = Record<MamlMethod | 'untrained', number[]>;

/** The most adaptation steps the figure shows (and the evaluation covers). */
export const MAX_STEPS = 10;

/** Worker → page. */
export type TrainMessage =
  | { type: 'snapshot'; iteration: number; total: number; points: CurvePoint[]; thetas: Record<MamlMethod, number[]>; done: boolean; evaluation: Evaluation | null }
  /** The answer to "pause": no snapshot follows until "resume". */
  | { type: 'paused'; iteration: number }
  | { type: 'error'; message: string };

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

const isRecord = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null && !Array.isArray(m);
const isNumberArray = (a: unknown, length?: number): a is number[] => Array.isArray(a) && (length === undefined || a.length === length) && a.every((x) => typeof x === 'number');

/** Keys of `m` that are not in `allowed`, as a message part ("unknown key “x”"), or null. */
function unknownKeys(m: Record<string, unknown>, allowed: readonly string[], what: string): string | null {
  const extra = Object.keys(m).filter((k) => !allowed.includes(k));
  return extra.length ? `${what}: unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `“${k}”`).join(', ')}` : null;
}

/** The config if every setting is present, a number in its bounds (whole where it must be), and nothing else is there. */
export function checkConfig(c: unknown): Checked<TrainConfig> {
  if (!isRecord(c)) return { ok: false, message: 'config: expected an object' };
  const keys = Object.keys(TRAIN_BOUNDS) as (keyof TrainConfig)[];
  const extra = unknownKeys(c, keys, 'config');
  if (extra) return { ok: false, message: extra };
  for (const k of keys) {
    const b = TRAIN_BOUNDS[k];
    const v = c[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, message: `config.${k}: expected a finite number, got ${JSON.stringify(v) ?? typeof v}` };
    if (b.integer && !Number.isInteger(v)) return { ok: false, message: `config.${k}: expected a whole number, got ${v}` };
    if (v < b.min || v > b.max) return { ok: false, message: `config.${k}: ${v} is outside [${b.min}, ${b.max}]` };
  }
  return { ok: true, value: c as unknown as TrainConfig };
}

/** The worker's check of what the page sent. */
export function checkTrainRequest(m: unknown): Checked<TrainRequest> {
  if (!isRecord(m)) return { ok: false, message: 'request: expected an object' };
  if (m.type === 'pause' || m.type === 'resume') {
    const extra = unknownKeys(m, ['type'], `request “${m.type}”`);
    return extra ? { ok: false, message: extra } : { ok: true, value: { type: m.type } };
  }
  if (m.type !== 'start') return { ok: false, message: `request: unknown type ${JSON.stringify(m.type) ?? typeof m.type}` };
  const extra = unknownKeys(m, ['type', 'config', 'every'], 'request “start”');
  if (extra) return { ok: false, message: extra };
  const config = checkConfig(m.config);
  if (!config.ok) return config;
  if (typeof m.every !== 'number' || !Number.isInteger(m.every) || m.every < 1) return { ok: false, message: `request “start”: every must be a whole number ≥ 1, got ${JSON.stringify(m.every) ?? typeof m.every}` };
  return { ok: true, value: { type: 'start', config: config.value, every: m.every } };
}

function checkMethods(r: unknown, ok: (v: unknown) => boolean): boolean {
  return isRecord(r) && Object.keys(r).length === MAML_METHODS.length && MAML_METHODS.every((k) => ok(r[k]));
}

/** The page's check of what the worker sent, for a run of `config` (θ has 3h + 1 entries per method). */
export function checkTrainMessage(m: unknown, config: TrainConfig): Checked<TrainMessage> {
  const bad = (why: string): Checked<TrainMessage> => ({ ok: false, message: `The training worker sent a malformed message (${why}).` });
  if (!isRecord(m)) return bad('not an object');
  if (m.type === 'error') {
    if (unknownKeys(m, ['type', 'message'], '') || typeof m.message !== 'string') return bad('error without a message');
    return { ok: true, value: { type: 'error', message: m.message.slice(0, 500) } };
  }
  if (m.type === 'paused') {
    const i = m.iteration;
    if (unknownKeys(m, ['type', 'iteration'], '') || typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i > config.iterations) return bad('paused at an impossible iteration');
    return { ok: true, value: { type: 'paused', iteration: i } };
  }
  if (m.type !== 'snapshot') return bad(`unknown type ${JSON.stringify(m.type) ?? typeof m.type}`);
  if (unknownKeys(m, ['type', 'iteration', 'total', 'points', 'thetas', 'done', 'evaluation'], '')) return bad('unknown keys');
  const it = m.iteration;
  if (typeof it !== 'number' || !Number.isInteger(it) || it < 0 || it > config.iterations || m.total !== config.iterations) return bad('iteration out of range');
  if (typeof m.done !== 'boolean') return bad('done is not a boolean');
  const points = m.points;
  if (!Array.isArray(points) || points.length > config.iterations) return bad('points is not a list');
  for (const p of points as unknown[]) {
    if (!isRecord(p) || typeof p.iteration !== 'number' || !(p.iteration >= 0 && p.iteration <= it) || !checkMethods(p.loss, (x) => typeof x === 'number')) return bad('a curve point');
  }
  const n = mlpSize(config.hidden);
  if (!checkMethods(m.thetas, (t) => isNumberArray(t, n))) return bad(`θ must have ${n} numbers per method`);
  const e = m.evaluation;
  if (e !== null && !(isRecord(e) && isNumberArray(e.untrained, MAX_STEPS + 1) && Object.keys(e).length === MAML_METHODS.length + 1 && MAML_METHODS.every((k) => isNumberArray(e[k], MAX_STEPS + 1)))) return bad('evaluation');
  return { ok: true, value: m as unknown as TrainMessage };
}
