// Sine-wave regression (Finn et al. 2017): meta-learn the initialisation of a 1-10-1 tanh network so that one
// gradient step on ten points fits a new sine wave. MAML, first-order MAML and Reptile from the same start.
import { grad, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

/** mulberry32: a seeded generator, so every run draws the same tasks. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const H = 10;
const P = 3 * H + 1; // W1, b1, w2, b2
const net = (theta: Tensor, x: Tensor) =>
  x.reshape([-1, 1]).matmul(theta.slice(0, H).reshape([1, H])).add(theta.slice(H, 2 * H)).tanh()
    .matmul(theta.slice(2 * H, 3 * H)).add(theta.slice(3 * H, P).reshape([]));
const mse = (x: Tensor, y: Tensor) => (theta: Tensor) => net(theta, x).sub(y).pow(2).mean();

/** A task: amplitude in [0.1, 5], phase in [0, pi]; K = 10 training and 10 validation points in [-5, 5]. */
function sampleTask(rand: () => number) {
  const amp = 0.1 + 4.9 * rand();
  const phase = Math.PI * rand();
  const draw = () => {
    const x = Array.from({ length: 10 }, () => -5 + 10 * rand());
    return [tensor(x), tensor(x.map((xi) => amp * Math.sin(xi + phase)))] as const;
  };
  const [xs, ys] = draw();
  const [xq, yq] = draw();
  return { train: mse(xs, ys), val: mse(xq, yq) };
}

const alpha = 0.05; // inner learning rate, the same when meta-training and when adapting to a new task
const meta = (kind: 'maml' | 'fomaml' | 'reptile', theta: Tensor, task: ReturnType<typeof sampleTask>): Tensor => {
  if (kind === 'reptile') {
    let x = theta;
    for (let k = 0; k < 5; k++) x = x.sub(grad(task.train)(x).mul(alpha));
    return theta.sub(x); // a direction, not a gradient: theta moves towards the adapted weights
  }
  const inner = (t: Tensor) => t.sub(grad(task.train)(kind === 'maml' ? t : t.detach()).mul(alpha));
  return grad((t: Tensor) => task.val(inner(t)))(theta);
};

const init = (() => {
  const rand = rng(1);
  return tensor(Array.from({ length: P }, (_, j) => (j < 2 * H ? 2 : 1 / Math.sqrt(H)) * (rand() - 0.5)));
})();

/** Adam on the meta-objective (as in the paper), 4 tasks per meta-batch, learning rate 0.01. */
function metaTrain(kind: 'maml' | 'fomaml' | 'reptile', iterations: number) {
  const rand = rng(2);
  let theta = init;
  let m = tensor(new Array(P).fill(0));
  let v = tensor(new Array(P).fill(0));
  for (let it = 1; it <= iterations; it++) {
    const batch = Array.from({ length: 4 }, () => meta(kind, theta, sampleTask(rand)));
    const g = batch.reduce((s, d) => s.add(d)).div(batch.length);
    m = m.mul(0.9).add(g.mul(0.1));
    v = v.mul(0.999).add(g.mul(g).mul(0.001));
    const mHat = m.div(1 - 0.9 ** it);
    const vHat = v.div(1 - 0.999 ** it);
    theta = theta.sub(mHat.div(vHat.sqrt().add(1e-8)).mul(0.01));
  }
  return theta;
}

/** Mean validation loss over 25 unseen tasks after k steps of size alpha on each task's ten points. */
function evaluate(theta: Tensor, k: number) {
  const rand = rng(3);
  let total = 0;
  for (let i = 0; i < 25; i++) {
    const task = sampleTask(rand);
    let x = theta;
    for (let s = 0; s < k; s++) x = x.sub(grad(task.train)(x).mul(alpha));
    total += task.val(x).item();
  }
  return total / 25;
}

const report = (name: string, theta: Tensor) =>
  console.log(`${name}: validation loss ${evaluate(theta, 0).toFixed(4)} before adapting, ${evaluate(theta, 1).toFixed(4)} after one step, ${evaluate(theta, 5).toFixed(4)} after five`);
report('untrained', init);
for (const kind of ['maml', 'fomaml', 'reptile'] as const) {
  report(kind, metaTrain(kind, 500));
}
