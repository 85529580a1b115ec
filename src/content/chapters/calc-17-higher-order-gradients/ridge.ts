/** The chapter's ridge problem; it lives with the figure that draws it (src/lib/figures/ridgeProblem.ts). */
export * from '../../../lib/figures/ridgeProblem.ts';
