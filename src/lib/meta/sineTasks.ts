/**
 * Sine-wave regression tasks (Finn et al. 2017): y = a sin(x + φ) with amplitude a ∈ [0.1, 5] and phase φ ∈ [0, π],
 * inputs uniform in [−5, 5], drawn from a seeded generator so that a seed names the same tasks everywhere (the
 * chapter's listing, its PyTorch twin, the MAML figure and its worker).
 */

/** mulberry32(seed): a seeded generator of uniform numbers in [0, 1) (32-bit state). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SineTask {
  amplitude: number;
  phase: number;
  /** Support (training) inputs and targets: the K points adaptation sees. */
  xTrain: number[];
  yTrain: number[];
  /** Query (validation) inputs and targets of the same task. */
  xVal: number[];
  yVal: number[];
}

/** The task's true curve a sin(x + φ). */
export const sineValue = (task: Pick<SineTask, 'amplitude' | 'phase'>, x: number): number => task.amplitude * Math.sin(x + task.phase);

/**
 * Draws a task from `rand`: a = 0.1 + 4.9u₁, φ = πu₂, then `points` support inputs and `points` query inputs
 * x = −5 + 10u (in that order, so the chapter's listing draws the same numbers).
 */
export function sampleSineTask(rand: () => number, points = 10): SineTask {
  const amplitude = 0.1 + 4.9 * rand();
  const phase = Math.PI * rand();
  const draw = () => Array.from({ length: points }, () => -5 + 10 * rand());
  const xTrain = draw();
  const xVal = draw();
  const y = (xs: number[]) => xs.map((x) => amplitude * Math.sin(x + phase));
  return { amplitude, phase, xTrain, yTrain: y(xTrain), xVal, yVal: y(xVal) };
}
