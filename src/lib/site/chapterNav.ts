/** What the navigation needs to know of a chapter. */
export interface ChapterRef {
  id: string;
  number: number;
  title: string;
  status: 'published' | 'announced';
  order: number;
}

/** Previous and next chapters of a chapter, in course order; announced chapters have no page yet. */
export interface ChapterNav<C extends ChapterRef> {
  prev: C | undefined;
  next: C | undefined;
}

/** sortChapters(cs) = cs ordered by `order`, then by number, so the course reads in one direction. */
export function sortChapters<C extends ChapterRef>(chapters: readonly C[]): C[] {
  return [...chapters].sort((a, b) => a.order - b.order || a.number - b.number);
}

/**
 * chapterNav(cs, id) = the neighbours of chapter `id` in course order.
 *
 * `prev` is the nearest earlier published chapter; `next` is the following chapter whatever its status, so a
 * chapter can end with "Next: Calculus 17 …" before chapter 17 is written.
 */
export function chapterNav<C extends ChapterRef>(chapters: readonly C[], id: string): ChapterNav<C> {
  const sorted = sortChapters(chapters);
  const i = sorted.findIndex((c) => c.id === id);
  if (i < 0) throw new Error(`chapterNav: no chapter "${id}" (known: ${sorted.map((c) => c.id).join(', ')})`);
  const prev = sorted
    .slice(0, i)
    .reverse()
    .find((c) => c.status === 'published');
  return { prev, next: sorted[i + 1] };
}

/** The label of a chapter in links and headings: "Calculus 16 — Hessian-vector products". */
export function chapterLabel(c: Pick<ChapterRef, 'number' | 'title'>): string {
  return `Calculus ${c.number} — ${c.title}`;
}

/** A prerequisite: something from an earlier chapter (by number), or background the course does not teach. */
export interface Need {
  chapter?: number;
  what: string;
}

/**
 * checkNeeds(cs): every chapter's `needs` names chapters that exist and come earlier in the course; throws a
 * message naming the chapter and the prerequisite otherwise.
 */
export function checkNeeds<C extends ChapterRef & { needs: readonly Need[] }>(chapters: readonly C[]): void {
  const sorted = sortChapters(chapters);
  sorted.forEach((c, i) => {
    for (const n of c.needs) {
      if (n.chapter === undefined) continue;
      const j = sorted.findIndex((d) => d.number === n.chapter);
      if (j < 0) throw new Error(`Calculus ${c.number} needs Calculus ${n.chapter} ("${n.what}"), which does not exist`);
      if (j >= i) throw new Error(`Calculus ${c.number} needs Calculus ${n.chapter} ("${n.what}"), which does not come before it`);
    }
  });
}
