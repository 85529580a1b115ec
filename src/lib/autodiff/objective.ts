/**
 * objective(f, n): f traced once per method into a straight-line tape of
 * primitive kernels, then replayed on preallocated buffers. Because the
 * gradient and HVP passes are built from the same differentiable primitives,
 * tracing them yields plain programs too: no graph nodes, no allocation per call.
 * The compiler is in compile/ (docs/autodiff.md lists its passes).
 */
import { compileTrace } from './compile/compileTrace.ts';
import type { Program } from './compile/program.ts';
import { Tensor } from './tensor.ts';
import type { CompiledObjective } from './objectiveType.ts';
import { checkBoolean, checkChoice, readOptions } from './options.ts';
import { type HvpMode, defaultHvpMode, hvp as hvpTransform, valueAndGrad as vgTransform } from './transforms.ts';

export type { Objective, CompiledObjective } from './objectiveType.ts';

export interface ObjectiveOptions {
  /** HVP strategy traced into the tape (default: the library default, reverse-over-reverse). */
  hvpMode?: HvpMode;
  /** Fuse runs of elementwise kernels into generated loops (default true; falls back automatically without eval). */
  fuse?: boolean;
}

function checkLen(name: string, a: Float64Array, n: number): void {
  if (!(a instanceof Float64Array)) throw new Error(`objective.${name}: expected a Float64Array`);
  if (a.length !== n) throw new Error(`objective.${name}: expected length ${n}, got ${a.length}`);
}

/**
 * Compile f: ℝⁿ → ℝ (x ↦ 0-d tensor) into {value, grad, valueAndGrad, hvp} on
 * Float64Array. f must be straight-line in the values of x (see docs/autodiff.md).
 */
export function objective(f: (x: Tensor) => Tensor, n: number, options: ObjectiveOptions = {}): CompiledObjective {
  if (!Number.isInteger(n) || n < 1) throw new Error(`objective: n must be a positive integer, got ${n}`);
  const o = readOptions('objective', options, { hvpMode: null, fuse: null });
  const mode = checkChoice('objective', 'hvpMode', o.hvpMode ?? defaultHvpMode, ['forward-over-reverse', 'reverse-over-reverse'] as const);
  const fusion = checkBoolean('objective', 'fuse', o.fuse ?? true);
  const scalar = (y: Tensor): Tensor => {
    if (!(y instanceof Tensor) || y.size !== 1) throw new Error('objective: f must return a scalar (one-element) tensor');
    return y;
  };
  let valueProg: Program | null = null;
  let gradProg: Program | null = null;
  let hvpProg: Program | null = null;
  const vg = vgTransform(f);
  return {
    n,
    value(x) {
      checkLen('value', x, n);
      valueProg ??= compileTrace([x], ([t]) => [scalar(f(t))], fusion);
      valueProg.run([x]);
      return valueProg.outputs[0][0];
    },
    grad(x, out) {
      checkLen('grad', x, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; }, fusion);
      if (out !== undefined) {
        checkLen('grad', out, n);
        gradProg.runInto([x], 1, out);
        return out;
      }
      gradProg.runInternal([x]);
      return Float64Array.from(gradProg.outputs[1]);
    },
    valueAndGrad(x, gradOut) {
      checkLen('valueAndGrad', x, n);
      checkLen('valueAndGrad', gradOut, n);
      gradProg ??= compileTrace([x], ([t]) => { const [y, g] = vg(t); return [scalar(y), g]; }, fusion);
      gradProg.runInto([x], 1, gradOut);
      return gradProg.outputs[0][0];
    },
    hvp(x, v, out) {
      checkLen('hvp', x, n);
      checkLen('hvp', v, n);
      hvpProg ??= compileTrace([x, v], ([t, u]) => [hvpTransform((z) => scalar(f(z)), t, u, { mode })], fusion);
      if (out !== undefined) {
        checkLen('hvp', out, n);
        hvpProg.runInto([x, v], 0, out);
        return out;
      }
      hvpProg.runInternal([x, v]);
      return Float64Array.from(hvpProg.outputs[0]);
    },
  };
}
