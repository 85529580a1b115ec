// Perturbation confusion: d/dx [x * d/dy (x + y)] at x = 1 is 1, because d/dy (x + y) = 1 whatever x is.
import { grad, jvp, type Tensor } from '../../../lib/autodiff/index.ts';

// A tiny forward mode without tags: a + b*eps, one eps shared by every derivative taken.
class Dual {
  constructor(readonly value: number, readonly tangent: number) {}
  add(o: Dual | number) {
    const d = typeof o === 'number' ? new Dual(o, 0) : o;
    return new Dual(this.value + d.value, this.tangent + d.tangent);
  }
  mul(o: Dual | number) {
    const d = typeof o === 'number' ? new Dual(o, 0) : o;
    return new Dual(this.value * d.value, this.value * d.tangent + this.tangent * d.value);
  }
}
const derivative = (f: (x: Dual) => Dual) => (x: Dual | number) =>
  f((typeof x === 'number' ? new Dual(x, 0) : x).add(new Dual(0, 1))).tangent;

// Inside, x is already x + eps; the inner derivative adds the same eps to y and reads off both.
const naive = derivative((x) => x.mul(derivative((y) => x.add(y))(1)))(1);
console.log(`naive dual numbers: ${naive}`);

// The library tags each transform's perturbation, so the inner derivative sees only its own.
const byGrad = grad((x: Tensor) => x.mul(grad((y: Tensor) => x.add(y))(1)))(1).item();
const byJvp = jvp((x: Tensor) => x.mul(jvp((y: Tensor) => x.add(y), 1, 1)[1]), 1, 1)[1].item();
console.log(`library, grad inside grad: ${byGrad}`);
console.log(`library, jvp inside jvp: ${byJvp}`);
