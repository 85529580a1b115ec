import { describe, expect, it } from 'vitest';
import { feedback, type CheckOutcome } from '../../../src/lib/live/exercise/feedback.ts';

const pass = (label: string) => ({ label, passed: true, message: '' });
const failed = (label: string) => ({ label, passed: false, message: 'no' });
const done = { kind: 'done' as const, ok: true };
const base: CheckOutcome = { results: [pass('a'), pass('b')], problem: null, error: null, ended: done };

describe('what the page says after Check', () => {
  it('solved only when every check passed and the run ended cleanly', () => {
    expect(feedback(base)).toEqual({ solved: true, tone: 'ok', summary: 'Solved: all 2 checks pass.' });
    expect(feedback({ ...base, results: [pass('a')] }).summary).toBe('Solved: the check passes.');
  });

  it('counts the passing checks otherwise, with the error where the code stopped', () => {
    expect(feedback({ ...base, results: [pass('a'), failed('b')] })).toEqual({ solved: false, tone: 'danger', summary: '1 of 2 checks pass.' });
    const error = { name: 'Error', message: 'TODO: x', pos: { line: 26, column: 9 } };
    expect(feedback({ ...base, results: [failed('a'), failed('b')], error, ended: { kind: 'done', ok: false } }).summary).toBe(
      '0 of 2 checks pass. Your code stopped with an error: Line 26, column 9: Error: TODO: x',
    );
  });

  it('all checks passing with an error in the run is not solved', () => {
    const f = feedback({ ...base, error: { name: 'Error', message: 'late' }, ended: { kind: 'done', ok: false } });
    expect(f.solved).toBe(false);
    expect(f.summary).toMatch(/^All 2 checks pass, but the run did not end cleanly\. Your code stopped with an error: Error: late/);
    expect(feedback({ ...base, ended: { kind: 'done', ok: false } }).solved).toBe(false);
  });

  it('no verdicts, a spent budget or a lost runner is never solved', () => {
    expect(feedback({ ...base, results: null })).toMatchObject({ solved: false, summary: 'Not checked: the run sent no verdict.' });
    expect(feedback({ ...base, results: [] })).toMatchObject({ solved: false });
    expect(feedback({ ...base, results: [], problem: 'Your code did not run (see the error), so nothing was checked.' }).summary).toBe('Your code did not run (see the error), so nothing was checked.');
    expect(feedback({ ...base, ended: { kind: 'timeout', seconds: 3 } })).toMatchObject({ solved: false, summary: expect.stringMatching(/^Not checked: the run went past its 3 s budget/) });
    for (const kind of ['stopped', 'flood', 'exited', 'crashed'] as const) expect(feedback({ ...base, ended: { kind } }).solved).toBe(false);
    expect(feedback({ ...base, ended: { kind: 'exited', detail: 'out of memory' } }).summary).toBe('Not checked: the runner ended without finishing (out of memory). Press Check to try again.');
  });
});

describe('the hint button', () => {
  it('says how many hints there are, then which comes next, then that all are shown', async () => {
    const { hintButtonLabel } = await import('../../../src/lib/live/exercise/hints.ts');
    expect([0, 1, 2, 3].map((shown) => hintButtonLabel(shown, 3))).toEqual([
      'Show a hint (3 in all)',
      'Show the next hint (2 of 3)',
      'Show the next hint (3 of 3)',
      'All 3 hints shown',
    ]);
    expect(hintButtonLabel(1, 1)).toBe('The hint is shown');
  });
});
