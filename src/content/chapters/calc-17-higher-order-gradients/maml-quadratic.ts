// MAML, first-order MAML and Reptile on three quadratic tasks L_i(theta) = 1/2 (theta - c_i)' A_i (theta - c_i).
import { grad, hvp, tensor, type Tensor } from '../../../lib/autodiff/index.ts';

const tasks = [
  { A: [[4, 0], [0, 1]], c: [1, 0] },
  { A: [[1, 0], [0, 4]], c: [0, 1] },
  { A: [[3, 1], [1, 2]], c: [-1, -1] },
].map(({ A, c }) => (x: Tensor) => x.sub(tensor(c)).matmul(tensor(A)).dot(x.sub(tensor(c))).mul(0.5));
const alpha = 0.1; // inner learning rate
const mean = (ts: Tensor[]) => ts.reduce((s, t) => s.add(t)).div(ts.length);
const adapt = (L: (x: Tensor) => Tensor, theta: Tensor) => theta.sub(grad(L)(theta).mul(alpha));

// The meta-loss: each task's loss after one step of adaptation, averaged. MAML differentiates through the step.
const metaLoss = (theta: Tensor) => mean(tasks.map((L) => L(adapt(L, theta))));
const maml = grad(metaLoss);
// The same meta-gradient as (I - alpha H_i) grad L_i(theta'_i): one gradient and one HVP per task.
const mamlByHvp = (theta: Tensor) =>
  mean(tasks.map((L) => {
    const u = grad(L)(adapt(L, theta));
    return u.sub(hvp(L, theta, u).mul(alpha));
  }));
// First-order MAML drops the Hessian term: the gradient at the adapted point, as if the step were a constant.
const firstOrder = (theta: Tensor) => mean(tasks.map((L) => grad(L)(adapt(L, theta.detach()))));
// Reptile: five plain SGD steps per task, then move theta towards where they ended.
const reptile = (theta: Tensor) =>
  mean(tasks.map((L) => {
    let x = theta;
    for (let k = 0; k < 5; k++) x = adapt(L, x);
    return theta.sub(x);
  }));

const probe = tensor([0.3, -0.2]);
console.log(`meta-gradient at ${probe.toString()}: ${maml(probe).toString()}`);
console.log(`(I - alpha H) grad L_val, one HVP per task: ${mamlByHvp(probe).toString()}`);
console.log(`first-order MAML: ${firstOrder(probe).toString()}`);

function train(direction: (theta: Tensor) => Tensor, lr: number) {
  let theta = tensor([0, 0]);
  for (let k = 0; k < 300; k++) theta = theta.sub(direction(theta).mul(lr));
  return theta;
}
for (const [name, direction, lr] of [['MAML', maml, 0.2], ['first-order MAML', firstOrder, 0.2], ['Reptile', reptile, 1]] as const) {
  const theta = train(direction, lr);
  console.log(`${name}: theta = ${theta.toString()}, meta-loss ${metaLoss(theta).item().toFixed(10)}`);
}
