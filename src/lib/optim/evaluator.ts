import type { Objective } from './objective.ts';
import type { TraceRecorder } from './trace.ts';

/**
 * Counts, records and health-checks every call into an Objective. All algorithms go through one of
 * these, so the trace sees every evaluation in the order it happened, line-search trials included.
 */
export class Evaluator {
  nf = 0;
  ng = 0;
  nhvp = 0;
  nhess = 0;
  /** Index in the recorder of the latest evaluation (−1 without a recorder). */
  lastIndex = -1;
  /** ‖∇f‖₂ at the latest evaluation. */
  lastGradNorm = NaN;
  /** Set when an evaluation returned a non-finite f or gradient entry; algorithms stop on it. */
  nonFinite = false;
  /** Current iteration number, stamped on recorded evaluations. */
  iteration = 0;

  constructor(
    readonly obj: Objective,
    readonly n: number,
    readonly rec: TraceRecorder | null,
  ) {}

  /** f(x), with ∇f(x) written into g. */
  fg(x: Float64Array, g: Float64Array, kind: number): number {
    const obj = this.obj;
    let f: number;
    if (obj.valueAndGrad) {
      f = obj.valueAndGrad(x, g);
    } else {
      f = obj.value(x);
      const r = obj.grad(x, g);
      if (r !== g) g.set(r);
    }
    this.nf++;
    this.ng++;
    // ‖g‖₂ and the finiteness check in one pass; scaling is not needed for a finite-entries test.
    let m = 0;
    let ok = Number.isFinite(f);
    for (let i = 0; i < this.n; i++) {
      const a = Math.abs(g[i]);
      if (!(a <= Number.MAX_VALUE)) ok = false;
      else if (a > m) m = a;
    }
    let gn: number;
    if (!ok) {
      gn = NaN;
      this.nonFinite = true;
    } else if (m === 0) gn = 0;
    else {
      let s = 0;
      for (let i = 0; i < this.n; i++) {
        const v = g[i] / m;
        s += v * v;
      }
      gn = m * Math.sqrt(s);
    }
    this.lastGradNorm = gn;
    if (this.rec) this.lastIndex = this.rec.evaluation(x, f, gn, kind, this.iteration);
    return f;
  }

  /** ∇²f(x)·v into out. Requires obj.hvp. */
  hvp(x: Float64Array, v: Float64Array, out: Float64Array): Float64Array {
    const hvp = this.obj.hvp;
    if (!hvp) throw new Error('This method needs Hessian-vector products: the objective has no hvp()');
    const r = hvp.call(this.obj, x, v, out);
    if (r !== out) out.set(r);
    this.nhvp++;
    for (let i = 0; i < this.n; i++) if (!Number.isFinite(out[i])) this.nonFinite = true;
    return out;
  }

  /**
   * Dense ∇²f(x) into out (row-major n×n): obj.hessian when present, else n HVPs with the unit
   * vectors, symmetrised as (H + Hᵀ)/2 so that round-off in the HVPs cannot make Cholesky see an
   * unsymmetric matrix.
   */
  hessian(x: Float64Array, out: Float64Array, ei: Float64Array, col: Float64Array): Float64Array {
    const n = this.n;
    if (this.obj.hessian) {
      const h = this.obj.hessian(x);
      if (h.length !== n * n) throw new RangeError(`hessian() returned ${h.length} entries, expected ${n * n}`);
      out.set(h);
      this.nhess++;
    } else if (this.obj.hvp) {
      ei.fill(0);
      for (let j = 0; j < n; j++) {
        ei[j] = 1;
        this.hvp(x, ei, col);
        ei[j] = 0;
        for (let i = 0; i < n; i++) out[i * n + j] = col[i];
      }
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i] = 0.5 * (out[i * n + j] + out[j * n + i]);
    } else {
      throw new Error("Newton's method needs hessian() or hvp() on the objective");
    }
    for (let i = 0; i < n * n; i++) if (!Number.isFinite(out[i])) this.nonFinite = true;
    return out;
  }
}
