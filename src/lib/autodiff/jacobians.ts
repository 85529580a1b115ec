/**
 * Dense Jacobians by forward or reverse mode (JAX's jacfwd / jacrev; functorch's shapes: out.shape + in.shape)
 * and linearize: the value and a reusable Jacobian-vector product at one point.
 */
import { gradOf as tapeGrad } from './autograd.ts';
import * as ops from './ops.ts';
import { showShape, sizeOf } from './shape.ts';
import { Tensor, type TensorLike, zeros } from './tensor.ts';
import { jvp, vjp } from './transforms.ts';

/** A function from tensors to tensors, of any shapes. */
export type TensorFn = (x: Tensor) => Tensor;

function checkOut(name: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) throw new TypeError(`${name}: f must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  return y;
}

function unit(shape: readonly number[], i: number): Tensor {
  const e = zeros(shape);
  e.data[i] = 1;
  return e;
}

/** Stacks k tensors of m elements each into a [k, m] tensor (on the tape, so the result is differentiable again). */
function stackRows(rows: readonly Tensor[], m: number): Tensor {
  return ops.reshape(ops.concat(rows.map((r) => ops.reshape(r, [m]))), [rows.length, m]);
}

/**
 * J[i…, j…] = ∂fᵢ/∂xⱼ by reverse mode: one VJP with each unit cotangent eᵢ (m = |f(x)| backward passes over
 * one recorded graph), so it suits few outputs. The result has shape f(x).shape + x.shape and stays on
 * the tape (jacrev(jacrev(f)) is the Hessian).
 */
export function jacrev(f: TensorFn): (x: TensorLike) => Tensor {
  return (x) => {
    const xt = ops.asTensor(x);
    const [y, pullback] = vjp((z) => checkOut('jacrev', f(z)), xt);
    const m = y.size;
    const n = xt.size;
    const shape = [...y.shape, ...xt.shape];
    if (m === 0 || n === 0) return zeros(shape);
    const rows = Array.from({ length: m }, (_, i) => pullback(unit(y.shape, i)));
    return ops.reshape(stackRows(rows, n), shape);
  };
}

/**
 * J[i…, j…] = ∂fᵢ/∂xⱼ by forward mode: one JVP with each unit tangent eⱼ (n = |x| forward passes), so it
 * suits few inputs. Same shape and values as jacrev: f(x).shape + x.shape; stays on the tape.
 */
export function jacfwd(f: TensorFn): (x: TensorLike) => Tensor {
  return (x) => {
    const xt = ops.asTensor(x);
    const n = xt.size;
    const columns: Tensor[] = [];
    let outShape: readonly number[] | null = null;
    for (let j = 0; j < n; j++) {
      const [y, col] = jvp((z) => checkOut('jacfwd', f(z)), xt, unit(xt.shape, j));
      outShape = y.shape;
      columns.push(col);
    }
    if (outShape === null) outShape = checkOut('jacfwd', f(xt)).shape;
    const m = sizeOf(outShape);
    const shape = [...outShape, ...xt.shape];
    if (m === 0 || n === 0) return zeros(shape);
    return ops.reshape(ops.transpose(stackRows(columns, m)), shape);
  };
}

/**
 * (f(x), t ↦ J(x)·t): f is evaluated once; the linear map is the transpose of the pullback c ↦ Jᵀc, whose
 * graph is recorded once (Jt = ∂⟨Jᵀc, t⟩/∂c, linear in c), so each call is one backward pass over a
 * recorded graph with no new evaluation of f. The value and the map's results are constants: they do not
 * carry derivatives of x to enclosing transforms (use jvp inside those).
 */
export function linearize(f: TensorFn, x: TensorLike): [Tensor, (t: TensorLike) => Tensor] {
  const xt = ops.asTensor(x);
  const xi = new Tensor(Float64Array.from(xt.data), xt.shape);
  xi.requiresGrad = true;
  const y = checkOut('linearize', f(xi));
  const outShape = y.shape;
  let jt: ((t: Tensor) => Tensor) | null = null;
  if (y.requiresGrad) {
    const c = zeros(outShape);
    c.requiresGrad = true;
    const [g] = tapeGrad(y, xi, { gradOutputs: [c], createGraph: true, allowUnused: true });
    if (g.requiresGrad) jt = (t) => tapeGrad(g, c, { gradOutputs: [t], retainGraph: true, allowUnused: true })[0];
  }
  const map = (t: TensorLike): Tensor => {
    const tt = ops.asTensor(t);
    if (tt.shape.length !== xt.shape.length || tt.shape.some((d, i) => d !== xt.shape[i])) {
      throw new RangeError(`linearize: tangent has shape ${showShape(tt.shape)} but x has shape ${showShape(xt.shape)} (they must match)`);
    }
    return jt === null ? zeros(outShape) : jt(tt).detach();
  };
  return [y.detach(), map];
}
