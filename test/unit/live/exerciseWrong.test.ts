import { describe, expect, it } from 'vitest';
import { checkSource, solved, source16 } from './exerciseHarness.ts';

/** The solution with one edit (which must apply: a stale edit would make the test pass for nothing). */
function edited(file: string, from: string, to: string): string {
  const src = source16(file);
  if (!src.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  return src.replace(from, to);
}

/** The message of the first failing check, asserting the rest of the run was judged. */
async function firstFailure(source: string, key: string): Promise<string> {
  const c = await checkSource(source, `calc-16-hessian-vector/${key}`);
  expect(solved(c)).toBe(false);
  const failed = c.results?.find((r) => !r.passed);
  expect(failed, JSON.stringify(c)).toBeDefined();
  return failed!.message;
}

describe('a wrong answer gets the message written for it', () => {
  const mlp = 'exercise-mlp-hvp.solution.ts';
  it('MLP: the gradient instead of Hv', async () => {
    const msg = await firstFailure(edited(mlp, 'return autograd.grad(g.dot(v), t)[0];', 'return g;'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/^That is ∇f\(θ\), the gradient itself/);
  });
  it('MLP: Hv off by a factor of 2', async () => {
    const msg = await firstFailure(edited(mlp, 'return autograd.grad(g.dot(v), t)[0];', 'return autograd.grad(g.dot(v), t)[0].mul(2);'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/^Hv has the right direction but is off by a factor of 2\.00/);
  });
  it('MLP: Hv with the wrong sign', async () => {
    const msg = await firstFailure(edited(mlp, 'return autograd.grad(g.dot(v), t)[0];', 'return autograd.grad(g.dot(v), t)[0].neg();'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/opposite way/);
  });
  it('MLP: a forward difference', async () => {
    const src = edited(mlp, 'const minus = gradient(theta.map((t, i) => t - r * v.data[i]))[1];', 'const minus = gradient(theta)[1];');
    const msg = await firstFailure(edited2(src, 'return plus.sub(minus).div(2 * r);', 'return plus.sub(minus).div(r);'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/^hvpCentral\(0\.01\) is the forward difference/);
  });
  it('MLP: a central difference divided by r, not 2r', async () => {
    const msg = await firstFailure(edited(mlp, 'return plus.sub(minus).div(2 * r);', 'return plus.sub(minus).div(r);'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/^hvpCentral\(0\.01\) has the right direction but is off by a factor of 2\.00: divide the difference by 2r/);
  });
  it('MLP: the exact product where the difference belongs', async () => {
    const msg = await firstFailure(edited(mlp, 'return plus.sub(minus).div(2 * r);', 'return hvpExact();'), 'exercise-mlp-hvp');
    expect(msg).toMatch(/returns the exact product/);
  });

  const cg = 'exercise-cg.solution.ts';
  it('CG: the residual started at −b', async () => {
    const msg = await firstFailure(edited(cg, 'const r = Float64Array.from(b);', 'const r = b.map((bi) => -bi);'), 'exercise-cg');
    expect(msg).toBe('Your x solves Ax = −b: the residual starts as r = b − A·0 = b, not −b.');
  });
  it('CG: steepest descent (d = r) is caught by its product count', async () => {
    const c = await checkSource(edited(cg, 'd[i] = r[i] + beta * d[i];', 'd[i] = r[i];'), 'calc-16-hessian-vector/exercise-cg');
    expect(solved(c)).toBe(false);
    expect(c.results?.[2].message).toMatch(/steepest descent's pace/);
  });
  it('CG: a loop that never runs leaves x at zero', async () => {
    const msg = await firstFailure(edited(cg, 'k < 10 * b.length', 'k < 0'), 'exercise-cg');
    expect(msg).toBe('The result is still zero: the loop never updated x.');
  });
  it('CG: a solver that ignores applyA and b fails on the second system', async () => {
    const src = edited(cg, 'export function conjugateGradients(', 'const chapterAnswer = () => p;\nexport function conjugateGradientsOld(');
    const hard = `${src}\nexport function conjugateGradients(applyA: (d: Float64Array) => Float64Array, b: Float64Array) { return b.length === 5 ? conjugateGradientsOld((d) => f.hvp(w, d), g.map((x) => -x)) : new Float64Array(b.length).fill(1); }\nvoid chapterAnswer;`;
    const c = await checkSource(hard, 'calc-16-hessian-vector/exercise-cg');
    expect(c.results?.[2]).toMatchObject({ passed: false });
    expect(c.results?.[2].message).toMatch(/does your function use its arguments applyA and b/);
  });

  const power = 'exercise-power.solution.ts';
  it('power: ‖Hv‖ for λ loses the sign of a negative eigenvalue', async () => {
    const c = await checkSource(edited(power, 'const next = dot(v, Hv);', 'const next = Math.sqrt(dot(Hv, Hv));'), 'calc-16-hessian-vector/exercise-power');
    expect(c.results?.map((r) => r.passed)).toEqual([true, true, false]);
    expect(c.results?.[2].message).toMatch(/has the wrong sign: ‖Hv‖ is \|λ\|/);
  });
  it('power: v not normalised', async () => {
    const msg = await firstFailure(edited(power, 'return { lambda: next, v };', 'return { lambda: next, v: applyH(v) };'), 'exercise-power');
    expect(msg).toMatch(/^‖v‖ = 5\.41: return the unit vector/);
  });
  it('power: a result without lambda names what is missing', async () => {
    const msg = await firstFailure(edited(power, 'return { lambda: next, v };', 'return { value: next, v };'), 'exercise-power');
    expect(msg).toBe('powerIteration(applyH, [1, 0]).lambda should be a number, got undefined.');
  });
});

function edited2(src: string, from: string, to: string): string {
  if (!src.includes(from)) throw new Error(`source no longer contains ${JSON.stringify(from)}`);
  return src.replace(from, to);
}
