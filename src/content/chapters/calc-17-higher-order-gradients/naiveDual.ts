/**
 * Dual numbers without tags: a + bε with ε² = 0, and D f(x) = the ε-part of f(x + ε). Every nested call to
 * `naiveDerivative` uses the same ε, so an inner derivative also picks up the outer variable's perturbation:
 * perturbation confusion (Siskind & Pearlmutter 2005). Shown in chapter 17 as the thing not to build.
 */
export class NaiveDual {
  constructor(
    readonly value: number,
    readonly tangent: number,
  ) {}

  /** (a + bε) + (c + dε) = (a + c) + (b + d)ε */
  add(o: NaiveDual | number): NaiveDual {
    const d = lift(o);
    return new NaiveDual(this.value + d.value, this.tangent + d.tangent);
  }

  /** (a + bε)(c + dε) = ac + (ad + bc)ε */
  mul(o: NaiveDual | number): NaiveDual {
    const d = lift(o);
    return new NaiveDual(this.value * d.value, this.value * d.tangent + this.tangent * d.value);
  }
}

function lift(x: NaiveDual | number): NaiveDual {
  return x instanceof NaiveDual ? x : new NaiveDual(x, 0);
}

/** naiveDerivative(f)(x) = ε-part of f(x + ε), with one shared, untagged ε. */
export function naiveDerivative(f: (x: NaiveDual) => NaiveDual) {
  return (x: NaiveDual | number): number => f(lift(x).add(new NaiveDual(0, 1))).tangent;
}
