import { getCollection, type CollectionEntry } from 'astro:content';
import { sortChapters, type ChapterRef } from './chapterNav.ts';

/** A chapter as pages use it: its frontmatter, its id (folder name) and the collection entry to render. */
export interface ChapterItem extends ChapterRef {
  summary: string;
  tagline?: string;
  entry: CollectionEntry<'chapters'>;
}

/** All chapters in course order, published and announced. */
export async function allChapters(): Promise<ChapterItem[]> {
  const entries = await getCollection('chapters');
  return sortChapters(entries.map((entry) => ({ ...entry.data, id: entry.id, entry })));
}
