import type { RehypePlugins, RemarkPlugins } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { rehypeKatexErrors } from './rehypeKatexErrors.ts';
import { rehypeScrollRegions } from './scrollRegion.ts';

/**
 * The site's math plugins, shared by the Astro config and the tests:
 * remark-math parses `$…$` and `$$…$$`; rehype-katex typesets at build time with HTML for sight and MathML for
 * screen readers; rehypeKatexErrors fails the build on a malformed formula instead of shipping a red one;
 * rehypeScrollRegions puts each display formula and table in a focusable, labelled region that scrolls sideways.
 */
export const mathRemarkPlugins: RemarkPlugins = [remarkMath];
export const mathRehypePlugins: RehypePlugins = [[rehypeKatex, { output: 'htmlAndMathml', strict: 'error' }], rehypeKatexErrors, rehypeScrollRegions];
