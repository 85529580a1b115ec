/**
 * median(t(Hv)/t(∇f)) over the recorded repeats of scripts/measure-hvp-cost.ts, with the range, for the prose.
 *
 * The samples are timings taken once and committed in hvp-cost.json; this module only summarises them, so
 * importing the chapter's facts times nothing.
 */
import record from './hvp-cost.json' with { type: 'json' };

/** What one repeat of the measurement recorded (milliseconds per call). */
export interface CostSample {
  f: number;
  grad: number;
  hvpRev: number;
  hvpFwd: number;
}

/** The committed measurement, as measure-hvp-cost.ts writes it. */
export interface CostRecord {
  generated: string;
  n: number;
  machine: { cpu: string; cores: number; node: string; loadavg1: { before: number; after: number } };
  samples: CostSample[];
  torch: {
    version: string;
    samples: { f: number; grad: number; hvp: number }[];
    /** ATen operator calls one gradient and one HVP dispatch (PyTorch's profiler). */
    aten_calls: { grad: number; hvp: number };
  } | null;
}

/** median(xs): the middle value, or the mean of the two middle values; throws on an empty list. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median: no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The median and range of one ratio over the repeats. */
export interface RatioSummary {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

/** summarise(ratios) = { median, min, max } of per-repeat ratios. */
export function summarise(ratios: number[]): RatioSummary {
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), samples: ratios };
}

/** Per-repeat ratios hvp/grad (both strategies) and grad/f, ours and PyTorch's, from a measurement record. */
export function costSummary(r: CostRecord) {
  if (r.samples.length === 0) throw new RangeError('hvp-cost.json: no samples recorded');
  const per = (fn: (s: CostSample) => number) => summarise(r.samples.map(fn));
  return {
    n: r.n,
    repeats: r.samples.length,
    measuredOn: r.generated.slice(0, 10),
    machine: r.machine,
    gradOverF: per((s) => s.grad / s.f),
    revOverGrad: per((s) => s.hvpRev / s.grad),
    fwdOverGrad: per((s) => s.hvpFwd / s.grad),
    torch: r.torch
      ? {
          version: r.torch.version,
          hvpOverGrad: summarise(r.torch.samples.map((s) => s.hvp / s.grad)),
          gradOverF: summarise(r.torch.samples.map((s) => s.grad / s.f)),
          /** How many times as long PyTorch's gradient takes as ours (median over repeats). */
          gradOverOurs: median(r.torch.samples.map((s) => s.grad)) / median(r.samples.map((s) => s.grad)),
          atenCalls: r.torch.aten_calls,
        }
      : null,
  };
}

export const cost = costSummary(record as CostRecord);
