/**
 * Which exercises a reader has solved, per chapter, in localStorage under `exercises:v1:<chapter>` as
 * `{ "solved": { "<exercise>": <solvedAt ms>, … } }`. An entry that does not parse or has another shape is
 * ignored (and replaced at the next solve), and the reader is told; storage that throws counts as empty.
 */
import type { StorageLike } from '../storage.ts';

export const progressVersion = 1;

/** progressKey(chapter) = the storage key of a chapter's progress. */
export const progressKey = (chapter: string) => `exercises:v${progressVersion}:${chapter}`;

export interface Progress {
  /** Solved exercise ids (file names without .check.ts) with when they were first solved (ms since 1970). */
  solved: Record<string, number>;
}

export interface ReadProgress {
  progress: Progress;
  /** Why a stored entry was ignored, in the reader's words; null when all is well. */
  notice: string | null;
}

const idPattern = /^[a-z0-9][a-z0-9-]*$/;

/** parseProgress(text) = the progress a stored string holds, or null when it is not a valid v1 entry. */
export function parseProgress(text: string): Progress | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'solved') return null;
  const solved = (value as { solved: unknown }).solved;
  if (!solved || typeof solved !== 'object' || Array.isArray(solved)) return null;
  const out: Record<string, number> = {};
  for (const [id, at] of Object.entries(solved)) {
    if (!idPattern.test(id) || typeof at !== 'number' || !Number.isFinite(at) || at < 0) return null;
    out[id] = at;
  }
  return { solved: out };
}

/** readProgress(storage, chapter) = the chapter's progress; a corrupt entry reads as empty, with a notice. */
export function readProgress(storage: StorageLike | null, chapter: string): ReadProgress {
  let text: string | null = null;
  try {
    text = storage?.getItem(progressKey(chapter)) ?? null;
  } catch {
    return { progress: { solved: {} }, notice: null };
  }
  if (text === null) return { progress: { solved: {} }, notice: null };
  const progress = parseProgress(text);
  if (progress) return { progress, notice: null };
  return { progress: { solved: {} }, notice: 'Your saved exercise progress for this chapter could not be read, so it was ignored. Solving an exercise saves it afresh.' };
}

/**
 * markSolved(storage, chapter, id, now) records exercise `id` as solved (keeping the first time it was solved);
 * false when storage is unavailable or throws.
 */
export function markSolved(storage: StorageLike | null, options: { chapter: string; id: string; now: number }): boolean {
  const { chapter, id, now } = options;
  if (!idPattern.test(id)) throw new Error(`markSolved: exercise id "${id}" must be lowercase letters, digits and dashes`);
  if (!storage) return false;
  const { progress } = readProgress(storage, chapter);
  progress.solved[id] ??= now;
  try {
    storage.setItem(progressKey(chapter), JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

/** resetProgress(storage, chapter) forgets every solved exercise of the chapter; false when storage throws. */
export function resetProgress(storage: StorageLike | null, chapter: string): boolean {
  try {
    storage?.removeItem(progressKey(chapter));
    return !!storage;
  } catch {
    return false;
  }
}

/** solvedOf(progress, ids) = the ids (of the chapter's current exercises) that are solved, in the given order. */
export function solvedOf(progress: Progress, ids: readonly string[]): string[] {
  return ids.filter((id) => Object.hasOwn(progress.solved, id));
}

/** progressLabel(n, m) = "n of m exercises solved". */
export function progressLabel(n: number, m: number): string {
  return `${n} of ${m} exercise${m === 1 ? '' : 's'} solved`;
}
