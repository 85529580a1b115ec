/**
 * Where `apply` finds the derivative rules: rules.ts writes its table here when it loads. The rules are
 * written with the operations (ops.ts), and the operations run through `apply`, which needs the
 * pushforwards for forward mode; this late binding keeps the imports one-way
 * (apply ← ops ← rules → ruleRegistry ← apply), as JAX registers a primitive's JVP after defining it.
 */
import type { Attrs, Op } from './op.ts';
import type { Tensor } from './tensor.ts';

export interface Rule<P extends Op> {
  /** Pullback: output cotangent g ↦ input cotangents (null where `need` is false or the result is zero). */
  vjp(g: Tensor, x: readonly Tensor[], y: Tensor, a: Attrs<P>, need: readonly boolean[]): (Tensor | null)[];
  /** Pushforward: input tangents (null = zero) ↦ output tangent. */
  jvp(t: readonly (Tensor | null)[], x: readonly Tensor[], y: Tensor, a: Attrs<P>): Tensor;
}

/** One rule per primitive: a missing one is a compile error. */
export type RuleTable = { readonly [P in Op]: Rule<P> };

let table: RuleTable | null = null;

/** Install the rule table (rules.ts does, once, when it is loaded). */
export function registerRules(rules: RuleTable): void {
  table = rules;
}

/** The rule of `op`; an error naming the cause if rules.ts was never loaded. */
export function ruleOf<P extends Op>(op: P): Rule<P> {
  if (table === null) throw new Error(`autodiff: no derivative rule for '${op}': the rule table (rules.ts) is not loaded; import the library from its index`);
  return table[op];
}
