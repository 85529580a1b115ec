import { asTensor, grad, Tensor, type TensorLike } from '../autodiff/index.ts';
import { checkBoolean, checkCount, checkKeys } from './options.ts';
import { applyUpdates, type GradientTransformation } from './transformation.ts';

export interface UnrollOptions<S> {
  /** The optimizer step (sgdStep, momentumStep, adamStep or any init/update pair). */
  optimizer: GradientTransformation<S>;
  /** The training loss f: a scalar-valued function of the parameters. */
  loss: (x: Tensor) => Tensor;
  /** The starting point x₀ (a tensor that requires grad, or an enclosing transform's input, to differentiate with respect to it). */
  x0: TensorLike;
  /** Number of steps T ≥ 0. */
  steps: number;
  /**
   * Truncated backpropagation: only the last K steps stay on the tape (x and the optimizer state are
   * detached at step T − K), trading bias for O(K) memory (Shaban et al. 2019). Default: all T steps.
   */
  truncate?: number;
  /** Return every iterate x₀ … x_T (default false: only x_T). */
  keepTrajectory?: boolean;
}

export interface UnrollResult<S> {
  /** x_T, on the tape. */
  x: Tensor;
  /** The optimizer state after T steps. */
  state: S;
  /** x₀ … x_T when `keepTrajectory` is set, else empty. */
  trajectory: Tensor[];
}

const keys = ['optimizer', 'loss', 'x0', 'steps', 'truncate', 'keepTrajectory'];

/** The state with every tensor field detached (cuts the tape for truncated backpropagation). */
function detachState<S>(state: S): S {
  if (state === null || typeof state !== 'object') return state;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(state)) out[k] = v instanceof Tensor ? v.detach() : v;
  return out as S;
}

/**
 * (uₜ, sₜ₊₁) = update(∇f(xₜ), sₜ), xₜ₊₁ = xₜ + uₜ for t = 0 … T − 1: T optimizer steps kept on the
 * autodiff tape, so grad of any function of x_T with respect to x₀ or a hyperparameter tensor is the
 * unrolled hypergradient (Maclaurin et al. 2015); reverse mode through it stores all T steps (O(T·n) memory).
 *
 * ```ts
 * const dVdEta = grad((eta) => fVal(unroll({ optimizer: sgdStep({ lr: eta }), loss: f, x0, steps: 5 }).x))(0.1);
 * ```
 */
export function unroll<S>(options: UnrollOptions<S>): UnrollResult<S> {
  checkKeys('unroll', options, keys);
  const { optimizer, loss } = options;
  if (optimizer === null || typeof optimizer !== 'object' || typeof optimizer.init !== 'function' || typeof optimizer.update !== 'function') {
    throw new TypeError('unroll: optimizer must be an init/update pair such as sgdStep({ lr })');
  }
  if (typeof loss !== 'function') throw new TypeError('unroll: loss must be a function of the parameters');
  if (options.x0 === undefined) throw new TypeError('unroll: x0 is required');
  const steps = checkCount('unroll', 'steps', options.steps, 0);
  const truncate = options.truncate === undefined ? steps : checkCount('unroll', 'truncate', options.truncate, 1);
  const keep = checkBoolean('unroll', 'keepTrajectory', options.keepTrajectory ?? false);
  let x = asTensor(options.x0);
  let state = optimizer.init(x);
  const trajectory = keep ? [x] : [];
  for (let t = 0; t < steps; t++) {
    if (t > 0 && t === steps - truncate) { x = x.detach(); state = detachState(state); }
    const [u, next] = optimizer.update(grad(loss)(x), state);
    x = applyUpdates(x, u);
    state = next;
    if (keep) trajectory.push(x);
  }
  return { x, state, trajectory };
}
