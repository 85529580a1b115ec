/**
 * The page's progress displays, filled from storage: a mark per exercise (`data-progress-mark`, with
 * `data-chapter` and `data-exercise`), "n of m exercises solved" (`data-progress-count`, with `data-chapter` and
 * `data-exercises`, the chapter's exercise ids separated by spaces), the notice about an unreadable entry
 * (`data-progress-notice`) and the reset buttons (`data-progress-reset`). Small: it ships with the page.
 */
import { defaultStorage, type StorageLike } from '../storage.ts';
import { progressLabel, readProgress, resetProgress, solvedOf } from './progress.ts';

const within = (root: ParentNode, attr: string) => [...root.querySelectorAll<HTMLElement>(`[${attr}][data-chapter]`)];

/** renderProgress(root, storage) updates every progress display under root from storage. */
export function renderProgress(root: ParentNode, storage: StorageLike | null = defaultStorage()): void {
  const cache = new Map<string, ReturnType<typeof readProgress>>();
  const read = (chapter: string) => {
    if (!cache.has(chapter)) cache.set(chapter, readProgress(storage, chapter));
    return cache.get(chapter)!;
  };
  for (const el of within(root, 'data-progress-mark')) {
    const solved = Object.hasOwn(read(el.dataset.chapter!).progress.solved, el.dataset.exercise ?? '');
    el.dataset.solved = String(solved);
    el.textContent = solved ? '✓ solved' : '';
  }
  for (const el of within(root, 'data-progress-count')) {
    const ids = (el.dataset.exercises ?? '').split(' ').filter(Boolean);
    el.textContent = progressLabel(solvedOf(read(el.dataset.chapter!).progress, ids).length, ids.length);
  }
  for (const el of within(root, 'data-progress-notice')) {
    const { notice } = read(el.dataset.chapter!);
    if (notice) el.textContent = notice;
    if (notice || el.dataset.kind === 'corrupt') {
      el.hidden = !notice;
      el.dataset.kind = notice ? 'corrupt' : '';
    }
  }
}

/**
 * wireProgress(root) fills the displays now, again when another tab changes progress, and makes each reset button
 * forget its chapter's progress (and say so in the chapter's notice).
 */
let wired = false;

export function wireProgress(root: Document, storage: StorageLike | null = defaultStorage()): void {
  renderProgress(root, storage);
  if (wired) return;
  wired = true;
  addEventListener('storage', (e: StorageEvent) => {
    if (e.key === null || e.key.startsWith('exercises:')) renderProgress(root, storage);
  });
  root.addEventListener('click', (e) => {
    const button = (e.target as Element | null)?.closest?.<HTMLElement>('[data-progress-reset][data-chapter]');
    if (!button) return;
    const chapter = button.dataset.chapter!;
    const ok = resetProgress(storage, chapter);
    renderProgress(root, storage);
    for (const el of within(root, 'data-progress-notice')) {
      if (el.dataset.chapter !== chapter) continue;
      el.textContent = ok ? 'Exercise progress for this chapter was reset.' : 'This browser does not let the page store progress, so there was nothing to reset.';
      el.dataset.kind = 'reset';
      el.hidden = false;
    }
  });
}
