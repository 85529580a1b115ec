/**
 * docs/porting.md's two full ports of the chapter's PyTorch scripts run as written through the live
 * editor's runtime (the same import resolution and type stripping as in the page), with the course
 * library as the page provides it, and print what PyTorch prints.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../../src/lib/autodiff/index.ts';
import { prepare, type ModuleLoaders } from '../../../src/lib/live/runtime.ts';
import { expectClose, fixtures } from './helpers.ts';

const doc = readFileSync(fileURLToPath(new URL('../../../docs/porting.md', import.meta.url)), 'utf8');
const ports = [...doc.slice(doc.indexOf('## Two full ports')).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const modules: ModuleLoaders = {
  autodiff: () => import('../../../src/lib/autodiff/index.ts'),
  optim: () => import('../../../src/lib/optim/index.ts'),
  linalg: () => import('../../../src/lib/linalg/index.ts'),
  meta: () => import('../../../src/lib/meta/index.ts'),
  show: () => import('../../../src/lib/live/show.ts'),
};

async function run(source: string, id: number): Promise<string[]> {
  const lines: string[] = [];
  const log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  const p = await prepare(source, { filename: `port-${id}.ts`, runId: id, modules, console: { log, info: log, warn: log, error: log } });
  if (!p.ok) throw new Error(`${p.error.name}: ${p.error.message}`);
  const err = await p.run.execute();
  if (err) throw new Error(`${err.name}: ${err.message}`);
  return lines;
}
/** The numbers inside a printed NumPy-style vector such as `[ 2.  -2.4]`. */
const numbers = (s: string): number[] => (s.match(/-?\d+(\.\d*)?(e-?\d+)?/g) ?? []).map(Number);

describe('docs/porting.md: the two ports run as written', () => {
  it('has the two ports, in PyTorch spelling', () => {
    expect(ports).toHaveLength(2);
    expect(ports[0]).toContain('{ create_graph: true }');
    expect(ports[1]).toContain("line_search_fn: 'strong_wolfe'");
    expect(ports[1]).toContain('zero_grad()');
  });
  it('hvp_demo: Hv = [2, −2.4] by double backward, equal to autograd.functional.vhp', async () => {
    const out = await run(ports[0], 1);
    expect(out).toEqual(['Hessian-vector product Hv: [ 2.  -2.4]', 'Direct H @ v: [ 2.  -2.4]']);
  });
  it("newton_lbfgs_demo: SGD's and L-BFGS's end points and counts are PyTorch's", async () => {
    const out = await run(ports[1], 2);
    const fx = fixtures();
    const sgd = fx.sgd.find((c) => c.name === 'seed lr=0.1')!;
    const lb = fx.lbfgs.find((c) => c.name === 'seed strong_wolfe')!;
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/after 40 steps \(40 gradient evaluations\)$/);
    expectClose(numbers(out[0].split(' after')[0]), sgd.final, 1e-7);
    expect(out[1]).toMatch(new RegExp(`after 5 steps \\(${lb.evaluations.length} function evaluations\\)$`));
    expectClose(numbers(out[1].split(' after')[0]), lb.final, 1e-7);
    expect(out[2]).toBe(`Optimum: ${tensor([1, -1])}, f* = -3`);
  });
});

describe("the live editor's modules are the library's indexes, so they expose the same names", () => {
  it('the worker loads lib/autodiff, lib/optim and lib/linalg whole', () => {
    const worker = readFileSync(fileURLToPath(new URL('../../../src/lib/live/runner.worker.ts', import.meta.url)), 'utf8');
    for (const m of ['autodiff', 'optim', 'linalg']) expect(worker).toContain(`${m}: () => import('../${m}/index.ts')`);
  });
  it('and those export the PyTorch-shaped names', async () => {
    const ad = await modules.autodiff() as Record<string, unknown>;
    for (const name of ['autograd', 'F', 'functional', 'max', 'min', 'amax', 'amin', 'argmax', 'maximum', 'minimum', 'clamp', 'where', 'logsumexp', 'softmax', 'logSoftmax', 'log_softmax', 'crossEntropy', 'cross_entropy', 'stack', 'cat', 'gather', 'indexSelect', 'index_select', 'variance', 'std', 'equal', 'allclose']) {
      expect(ad[name], name).toBeDefined();
    }
    const { autograd } = ad as { autograd: { functional: Record<string, unknown> } };
    expect(Object.keys(autograd.functional).sort()).toEqual(['hessian', 'hvp', 'jacobian', 'jvp', 'vhp', 'vjp']);
    const optim = await modules.optim() as { SGD: { prototype: object }; LBFGS: { prototype: object } };
    for (const cls of [optim.SGD, optim.LBFGS]) for (const m of ['zero_grad', 'zeroGrad', 'step', 'state_dict', 'load_state_dict']) expect(m in cls.prototype, m).toBe(true);
  });
});

describe('a PyTorch option typo fails loudly in the live editor too', () => {
  it('the runtime reports the error at the line of the typo, naming the key and the valid spelling', async () => {
    const src = "import { tensor } from 'course/autodiff';\nimport { LBFGS } from 'course/optim';\nconst x = tensor([1, 2], { requires_grad: true });\nconst opt = new LBFGS([x], { max_iters: 3, line_search_fn: 'strong_wolfe' });\n";
    const p = await prepare(src, { filename: 'typo.ts', runId: 3, modules, console: { log: () => {} } });
    if (!p.ok) throw new Error('did not prepare');
    const err = await p.run.execute();
    expect(err?.name).toBe('TypeError');
    expect(err?.message).toMatch(/^LBFGS: unknown option 'max_iters' — did you mean 'max_iter'\?/);
    expect(err?.pos?.line).toBe(4);
  });
});
