import { resolve } from 'node:path';
import { format } from 'node:util';
import { describe, expect, it, vi } from 'vitest';

const chapter = 'src/content/chapters/calc-16-hessian-vector';

/** Runs a listing in this process and returns what it printed, or the error it threw. */
async function run(file: string): Promise<{ out: string; error?: Error }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  try {
    await import(resolve(chapter, file));
    return { out: lines.join('\n') };
  } catch (e) {
    return { out: lines.join('\n'), error: e as Error };
  } finally {
    log.mockRestore();
  }
}

describe('chapter 16 exercise 6: the HVP of a tiny MLP', () => {
  it('the starter runs up to the first TODO and says what to write', async () => {
    const { error } = await run('exercise-mlp-hvp.ts');
    expect(error?.message).toMatch(/^TODO: differentiate .*dot\(v\)/);
  });

  it('the solution\'s central differences follow the V: truncation ∝ r² down to round-off', async () => {
    const { out, error } = await run('exercise-mlp-hvp.solution.ts');
    expect(error).toBeUndefined();
    const err = Object.fromEntries([...out.matchAll(/r = (\S+): relative error (\S+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect(Object.keys(err)).toHaveLength(4);
    expect(err[1e-2] / err[1e-4]).toBeGreaterThan(1e3); // r² over two decades: 10⁴, within rounding
    expect(err[1e-4]).toBeLessThan(1e-6);
    expect(err[1e-6]).toBeLessThan(1e-8);
    expect(err[1e-8]).toBeGreaterThan(err[1e-6]); // round-off has taken over
    expect(out).toMatch(/^Hv: \[.+\]$/m);
  });
});

describe('chapter 16 exercise 7: conjugate gradients from HVPs', () => {
  it('the starter stops at the TODO of the CG loop', async () => {
    const { error } = await run('exercise-cg.ts');
    expect(error?.message).toBe('TODO: write the CG loop described in the comment above');
  });

  it('the solution solves Hp = −g to round-off in at most n HVPs', async () => {
    const { out, error } = await run('exercise-cg.solution.ts');
    expect(error).toBeUndefined();
    const m = /CG used (\d+) Hessian-vector products for n = (\d+)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(Number(m![2]));
    expect(Number(m![1])).toBeGreaterThan(0);
    const res = /residual ‖Hp \+ g‖ \/ ‖g‖ = (\S+)/.exec(out);
    expect(Number(res![1])).toBeLessThan(1e-12);
  });
});

describe('chapter 16 exercise 5: power iteration from HVPs', () => {
  it('the starter stops at the TODO of the loop', async () => {
    const { error } = await run('exercise-power.ts');
    expect(error?.message).toBe('TODO: write the power iteration described in the comment above');
  });

  it('the solution finds λmax = 4 + √2 of the running example and its unit eigenvector', async () => {
    const { out, error } = await run('exercise-power.solution.ts');
    expect(error).toBeUndefined();
    const m = /λmax ≈ (\S+) after (\d+) Hessian-vector products/.exec(out);
    expect(m, out).not.toBeNull();
    expect(Math.abs(Number(m![1]) - (4 + Math.SQRT2))).toBeLessThan(1e-10);
    expect(Number(m![2])).toBeGreaterThan(1);
  });
});
