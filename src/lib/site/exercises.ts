/**
 * A chapter's checked exercises, in the order its MDX places them: the ids come from the `<Exercise id="…">` tags
 * of the chapter's source, the titles from the exercises' checks (`<id>.check.ts` beside it). Used at build time
 * by the table of contents and the home page.
 */

export interface ExerciseEntry {
  /** The exercise's id (its files' base name, e.g. `exercise-cg`). */
  id: string;
  title: string;
}

/** exerciseIdsIn(mdx) = the ids of the `<Exercise>` tags in an MDX source, in order. */
export function exerciseIdsIn(mdx: string): string[] {
  return [...mdx.matchAll(/<Exercise\b[^>]*?\sid="([^"]*)"/g)].map((m) => m[1]);
}

/**
 * chapterExercises({ chapter, mdx, titles }) = the chapter's exercises with their titles. `titles` maps
 * `<chapter>/<id>` to the title of that exercise's checks. An `<Exercise>` without checks, an exercise used twice,
 * or checks no `<Exercise>` uses are errors naming the file.
 */
export function chapterExercises(options: { chapter: string; mdx: string; titles: Record<string, string> }): ExerciseEntry[] {
  const { chapter, mdx, titles } = options;
  const ids = exerciseIdsIn(mdx);
  const seen = new Set<string>();
  const out = ids.map((id) => {
    if (seen.has(id)) throw new Error(`${chapter}/index.mdx: <Exercise id="${id}"> appears twice`);
    seen.add(id);
    const title = titles[`${chapter}/${id}`];
    if (title === undefined) throw new Error(`${chapter}/index.mdx: <Exercise id="${id}"> has no checks (expected src/content/chapters/${chapter}/${id}.check.ts)`);
    return { id, title };
  });
  for (const key of Object.keys(titles)) {
    const [c, id] = key.split('/');
    if (c === chapter && !seen.has(id)) throw new Error(`src/content/chapters/${key}.check.ts: no <Exercise id="${id}"> in ${chapter}/index.mdx uses it`);
  }
  return out;
}
