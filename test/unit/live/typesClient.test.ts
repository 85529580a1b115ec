import { describe, expect, it } from 'vitest';
import { TypeClient, type WorkerLike } from '../../../src/lib/live/types/client.ts';
import { CheckSession, summarize, type TypeState } from '../../../src/lib/live/types/checkSession.ts';
import type { TypeDiagnostic, TypeRequest, TypeResponse } from '../../../src/lib/live/types/protocol.ts';

/** A worker double: records what the page posts, lets the test answer, fail or raise errors. */
class FakeWorker extends EventTarget implements WorkerLike {
  posted: TypeRequest[] = [];
  terminated = false;
  postMessage(m: unknown) {
    this.posted.push(m as TypeRequest);
  }
  terminate() {
    this.terminated = true;
  }
  answer(data: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data }));
  }
  crash() {
    this.dispatchEvent(new Event('error', { cancelable: true }));
  }
}

const diag = (line: number, message: string): TypeDiagnostic => ({ from: line, to: line + 1, line, column: 1, code: 2551, severity: 'error', message });

function client() {
  const workers: FakeWorker[] = [];
  const c = new TypeClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  });
  return { c, workers };
}

describe('TypeClient', () => {
  it('starts no worker until the first request, then one for all requests', async () => {
    const { c, workers } = client();
    expect(c.started).toBe(false);
    expect(workers).toHaveLength(0);
    const a = c.request({ type: 'check', filename: 'a.ts', source: 'x' });
    const b = c.request({ type: 'hover', filename: 'a.ts', source: 'x', pos: 0 });
    expect(c.started).toBe(true);
    expect(workers).toHaveLength(1);
    const [ra, rb] = workers[0].posted;
    expect(ra).toEqual({ type: 'check', filename: 'a.ts', source: 'x', id: ra.id });
    // Answers are matched by id, in any order; messages of the wrong shape or for no request are dropped.
    workers[0].answer({ type: 'hover', id: rb.id, info: null });
    workers[0].answer({ type: 'diagnostics', id: ra.id, diagnostics: [{ nonsense: true }] });
    workers[0].answer({ type: 'diagnostics', id: 999, diagnostics: [] });
    workers[0].answer({ type: 'diagnostics', id: ra.id, diagnostics: [diag(1, 'm')] });
    expect(await b).toEqual({ type: 'hover', id: rb.id, info: null });
    expect((await a).diagnostics).toEqual([diag(1, 'm')]);
  });

  it('rejects with the worker\'s message, and an answer of the wrong kind', async () => {
    const { c, workers } = client();
    const a = c.request({ type: 'check', filename: 'a.ts', source: 'x' });
    const b = c.request({ type: 'complete', filename: 'a.ts', source: 'x', pos: 1 });
    const [ra, rb] = workers[0].posted;
    workers[0].answer({ type: 'failed', id: ra.id, message: 'type request: boom' } satisfies TypeResponse);
    workers[0].answer({ type: 'hover', id: rb.id, info: null });
    await expect(a).rejects.toThrow('type request: boom');
    await expect(b).rejects.toThrow("answered 'hover' to a 'completions' request");
  });

  it('fails what is pending when the worker fails to load, and starts a new one for the next request', async () => {
    const { c, workers } = client();
    const a = c.request({ type: 'check', filename: 'a.ts', source: 'x' });
    workers[0].crash();
    await expect(a).rejects.toThrow('the type checker could not load or stopped working');
    expect(workers[0].terminated).toBe(true);
    expect(c.started).toBe(false);
    const b = c.request({ type: 'check', filename: 'a.ts', source: 'y' });
    expect(workers).toHaveLength(2);
    workers[1].answer({ type: 'diagnostics', id: workers[1].posted[0].id, diagnostics: [] });
    expect((await b).diagnostics).toEqual([]);
  });
});

describe('CheckSession', () => {
  function session(initial: string) {
    const { c, workers } = client();
    let text = initial;
    const shown: TypeDiagnostic[][] = [];
    const reports: [TypeState, string][] = [];
    const s = new CheckSession({
      client: c,
      filename: 'l.ts',
      source: () => text,
      show: (d) => shown.push(d),
      report: (state, t) => reports.push([state, t]),
    });
    const answer = (i: number, diagnostics: TypeDiagnostic[]) => workers[0].answer({ type: 'diagnostics', id: workers[0].posted[i].id, diagnostics });
    return { s, workers, shown, reports, answer, edit: (t: string) => (text = t) };
  }

  it('says it is loading the first time, then shows the answer with a summary', async () => {
    const { s, shown, reports, answer } = session('code');
    const done = s.check();
    expect(reports).toEqual([['loading', expect.stringMatching(/^Loading TypeScript/)]]);
    answer(0, [diag(3, "Property 'mull' does not exist on type 'Tensor'. Did you mean 'mul'?")]);
    await done;
    expect(shown).toEqual([[diag(3, "Property 'mull' does not exist on type 'Tensor'. Did you mean 'mul'?")]]);
    expect(reports.at(-1)).toEqual(['errors', "1 type error, marked in the editor. Line 3, column 1: Property 'mull' does not exist on type 'Tensor'. Did you mean 'mul'? (TS2551)"]);
    const again = s.check();
    expect(reports.at(-1)).toEqual(['checking', 'Checking types…']);
    answer(1, []);
    await again;
    expect(reports.at(-1)).toEqual(['clean', 'No type errors.']);
  });

  it('checks again when the code changed during the check, and shows only the current code\'s answer', async () => {
    const { s, workers, shown, reports, answer, edit } = session('v1');
    const done = s.check();
    edit('v2');
    answer(0, [diag(1, 'about v1')]);
    await Promise.resolve();
    await Promise.resolve();
    expect(workers[0].posted.map((r) => (r as { source: string }).source)).toEqual(['v1', 'v2']);
    expect(reports.at(-1)?.[0]).toBe('checking');
    answer(1, [diag(2, 'about v2')]);
    await done;
    expect(shown).toEqual([[diag(2, 'about v2')]]);
  });

  it('drops an older check\'s answer when a newer one started, and after cancel', async () => {
    const { s, shown, reports, answer } = session('v');
    const first = s.check();
    const second = s.check();
    answer(0, [diag(1, 'old')]);
    await first;
    expect(shown).toEqual([]);
    answer(1, []);
    await second;
    expect(shown).toEqual([[]]);
    const third = s.check();
    s.cancel();
    answer(2, [diag(1, 'cancelled')]);
    await third;
    expect(shown).toEqual([[]]);
    expect(reports.at(-1)).toEqual(['idle', '']);
  });

  it('reports a worker that fails, in words for the reader', async () => {
    const { s, workers, reports } = session('v');
    const done = s.check();
    workers[0].crash();
    await done;
    expect(reports.at(-1)).toEqual(['failed', 'Types could not be checked: the type checker could not load or stopped working. Running code does not need the type checker.']);
  });

  it('summarizes none, one and many', () => {
    expect(summarize([])).toBe('No type errors.');
    expect(summarize([diag(2, 'a'), diag(5, 'b')])).toBe('2 type errors, marked in the editor. The first: Line 2, column 1: a (TS2551)');
  });
});
