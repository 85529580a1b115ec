import { getCollection, type CollectionEntry } from 'astro:content';
import { checkNeeds, sortChapters, type ChapterRef, type Need } from './chapterNav.ts';

/** A chapter as pages use it: its frontmatter, its id (folder name) and the collection entry to render. */
export interface ChapterItem extends ChapterRef {
  summary: string;
  tagline?: string;
  teaches: string[];
  needs: Need[];
  entry: CollectionEntry<'chapters'>;
}

/** All chapters in course order, published and announced. */
export async function allChapters(): Promise<ChapterItem[]> {
  const entries = await getCollection('chapters');
  const chapters = sortChapters(entries.map((entry) => ({ ...entry.data, id: entry.id, entry })));
  checkNeeds(chapters);
  return chapters;
}
