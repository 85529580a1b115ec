import { describe, expect, it } from 'vitest';
import { defineChecks, startChecks } from '../../../src/lib/live/exercise/checks.ts';
import { call, exportedFunction, pass, vector } from '../../../src/lib/live/exercise/kit.ts';
import { isCheckResults, isWorkerMessage } from '../../../src/lib/live/protocol.ts';

const ok = { label: 'a', run: () => pass() };

describe('defineChecks refuses malformed checks with a message naming the problem', () => {
  it.each<[unknown, string]>([
    [{ title: 't', prepare: () => 0, checks: [ok], extra: 1 }, "unknown key 'extra'"],
    [{ title: '', prepare: () => 0, checks: [ok] }, 'title must be a non-empty string'],
    [{ title: 't', prepare: 1, checks: [ok] }, 'prepare must be a function'],
    [{ title: 't', prepare: () => 0, checks: [] }, 'checks must be an array of 1 to 20 checks'],
    [{ title: 't', prepare: () => 0, checks: [{ label: 'a', run: () => pass(), weight: 2 }] }, "checks[0] has unknown key 'weight'"],
    [{ title: 't', prepare: () => 0, checks: [ok, ok] }, "checks[1].label 'a' is used twice"],
    [{ title: 't', prepare: () => 0, checks: [{ label: 'x'.repeat(121), run: () => pass() }] }, 'checks[0].label must be 1 to 120 characters'],
    [{ title: 't', prepare: () => 0, checks: [{ label: 'a', run: 'no' }] }, 'checks[0].run must be a function'],
  ])('%#: %s', (spec, message) => {
    expect(() => defineChecks(spec as never)).toThrow(message);
  });
});

describe('the judge', () => {
  it('runs prepare once, before judging, and gives each check its verdict in order', () => {
    let prepared = 0;
    const spec = defineChecks<number>({
      title: 't',
      prepare: (): number => ++prepared,
      checks: [
        { label: 'uses the data', run: ({ data }) => (data === 1 ? pass('data ok') : pass()) },
        { label: 'reads an export', run: ({ exports }) => vector(call(exportedFunction(exports, 'f'), [], 'f()'), 2, 'f()') && pass() },
        { label: 'returns no verdict', run: () => ({ passed: true, message: '', extra: 1 }) as never },
        { label: 'throws its own bug', run: () => { throw new RangeError('bug'); } },
      ],
    });
    const started = startChecks(spec);
    expect(prepared).toBe(1);
    expect(started.count).toBe(4);
    const results = started.judge({ exports: { f: () => [1, 'x'] }, output: [] });
    expect(results).toEqual([
      { label: 'uses the data', passed: true, message: 'data ok' },
      { label: 'reads an export', passed: false, message: 'f()[1] is string, not a number.' },
      { label: 'returns no verdict', passed: false, message: 'The check gave no verdict.' },
      { label: 'throws its own bug', passed: false, message: 'The check could not finish: bug' },
    ]);
    expect(isWorkerMessage({ type: 'checks', runId: 1, token: 't', results, problem: null })).toBe(true);
  });

  it('the page accepts only well-formed check results', () => {
    expect(isCheckResults([{ label: 'a', passed: true, message: '' }])).toBe(true);
    expect(isCheckResults([{ label: 'a', passed: 'yes', message: '' }])).toBe(false);
    expect(isCheckResults([{ label: 'a', passed: true, message: 'x'.repeat(1001) }])).toBe(false);
    expect(isCheckResults(Array.from({ length: 21 }, () => ({ label: 'a', passed: true, message: '' })))).toBe(false);
    expect(isWorkerMessage({ type: 'checks', runId: 1, token: 't', results: [], problem: 3 })).toBe(false);
  });
});

describe('RunController passes the exercise to check', () => {
  it('puts `check` in the run request only when asked, and refuses unknown options', async () => {
    const { RunController } = await import('../../../src/lib/live/controller.ts');
    const posted: unknown[] = [];
    const worker = { postMessage: (m: unknown) => void posted.push(m), terminate: () => {}, addEventListener: () => {} };
    const c = new RunController({ spawn: () => worker, timeoutMs: 3000, setTimer: () => 0, clearTimer: () => {} });
    const cb = { message: () => {}, stopped: () => {}, exited: () => {}, crashed: () => {} };
    c.run('x', 'x.ts', cb);
    c.run('y', 'y.ts', cb, { check: 'calc-16-hessian-vector/exercise-cg' });
    expect(posted.map((m) => (m as { check?: string }).check)).toEqual([undefined, 'calc-16-hessian-vector/exercise-cg']);
    expect('check' in (posted[0] as object)).toBe(false);
    expect(() => c.run('z', 'z.ts', cb, { chek: 'x' } as never)).toThrow("RunController.run: unknown option 'chek' (expected check)");
  });
});
