import { describe, expect, it } from 'vitest';
import { markSolved, parseProgress, progressKey, progressLabel, readProgress, resetProgress, solvedOf } from '../../../src/lib/live/exercise/progress.ts';
import type { StorageLike } from '../../../src/lib/live/storage.ts';

function memory(init: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}
const throwing: StorageLike = {
  getItem: () => { throw new Error('SecurityError'); },
  setItem: () => { throw new Error('QuotaExceededError'); },
  removeItem: () => { throw new Error('SecurityError'); },
};
const ch = 'calc-16-hessian-vector';

describe('exercise progress in storage', () => {
  it('is versioned per chapter', () => {
    expect(progressKey(ch)).toBe('exercises:v1:calc-16-hessian-vector');
  });

  it('records a solve once, keeping the first time, and reads it back', () => {
    const s = memory();
    expect(markSolved(s, { chapter: ch, id: 'exercise-cg', now: 10 })).toBe(true);
    expect(markSolved(s, { chapter: ch, id: 'exercise-cg', now: 20 })).toBe(true);
    expect(markSolved(s, { chapter: ch, id: 'exercise-power', now: 30 })).toBe(true);
    expect(JSON.parse(s.data.get(progressKey(ch))!)).toEqual({ solved: { 'exercise-cg': 10, 'exercise-power': 30 } });
    expect(readProgress(s, ch)).toEqual({ progress: { solved: { 'exercise-cg': 10, 'exercise-power': 30 } }, notice: null });
    expect(readProgress(s, 'other-chapter').progress.solved).toEqual({});
  });

  it.each([
    ['not JSON', '{solved'],
    ['an array', '[]'],
    ['extra keys', '{"solved":{},"x":1}'],
    ['solved not an object', '{"solved":[1]}'],
    ['a time that is not a number', '{"solved":{"exercise-cg":"yesterday"}}'],
    ['a negative time', '{"solved":{"exercise-cg":-1}}'],
    ['a malformed id', '{"solved":{"../x":1}}'],
    ['null', 'null'],
  ])('ignores a corrupt entry (%s) with a notice, and the next solve replaces it', (_what, text) => {
    expect(parseProgress(text)).toBeNull();
    const s = memory({ [progressKey(ch)]: text });
    const r = readProgress(s, ch);
    expect(r.progress.solved).toEqual({});
    expect(r.notice).toMatch(/could not be read, so it was ignored/);
    markSolved(s, { chapter: ch, id: 'exercise-cg', now: 5 });
    expect(readProgress(s, ch)).toEqual({ progress: { solved: { 'exercise-cg': 5 } }, notice: null });
  });

  it('reset forgets one chapter only', () => {
    const s = memory();
    markSolved(s, { chapter: ch, id: 'exercise-cg', now: 1 });
    markSolved(s, { chapter: 'calc-17-x', id: 'exercise-a', now: 1 });
    expect(resetProgress(s, ch)).toBe(true);
    expect(readProgress(s, ch).progress.solved).toEqual({});
    expect(readProgress(s, 'calc-17-x').progress.solved).toEqual({ 'exercise-a': 1 });
  });

  it('storage that throws or is missing reads as empty and reports failure on write', () => {
    expect(readProgress(throwing, ch)).toEqual({ progress: { solved: {} }, notice: null });
    expect(markSolved(throwing, { chapter: ch, id: 'exercise-cg', now: 1 })).toBe(false);
    expect(resetProgress(throwing, ch)).toBe(false);
    expect(markSolved(null, { chapter: ch, id: 'exercise-cg', now: 1 })).toBe(false);
    expect(readProgress(null, ch).notice).toBeNull();
  });

  it('refuses a malformed exercise id', () => {
    expect(() => markSolved(memory(), { chapter: ch, id: 'Bad Id', now: 1 })).toThrow(/exercise id "Bad Id"/);
  });

  it('counts only the chapter\'s current exercises, in their order', () => {
    const progress = { solved: { 'exercise-power': 1, 'exercise-gone': 2, 'exercise-cg': 3 } };
    expect(solvedOf(progress, ['exercise-power', 'exercise-mlp-hvp', 'exercise-cg'])).toEqual(['exercise-power', 'exercise-cg']);
    expect(solvedOf({ solved: {} }, ['toString'])).toEqual([]);
    expect(progressLabel(2, 3)).toBe('2 of 3 exercises solved');
    expect(progressLabel(0, 1)).toBe('0 of 1 exercise solved');
  });
});
