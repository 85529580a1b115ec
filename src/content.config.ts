import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/**
 * Chapters: one folder per chapter under src/content/chapters, named `calc-<number>-<topic>`, holding its
 * `index.mdx` and its runnable scripts. The folder name is the chapter's id and its URL.
 */
const chapters = defineCollection({
  loader: glob({
    pattern: '*/index.mdx',
    base: './src/content/chapters',
    generateId: ({ entry }) => entry.split('/')[0],
  }),
  schema: z.object({
    number: z.number().int().positive(),
    title: z.string().min(1),
    summary: z.string().min(1),
    tagline: z.string().optional(),
    status: z.enum(['published', 'announced']),
    order: z.number(),
    /** What a reader can do after the chapter, a line each (the course home lists them). */
    teaches: z.array(z.string().min(1)).min(1),
    /** What the chapter assumes: from an earlier chapter (by number), or general background. */
    needs: z
      .array(z.object({ chapter: z.number().int().positive().optional(), what: z.string().min(1) }).strict())
      .default([]),
  }),
});

export const collections = { chapters };
