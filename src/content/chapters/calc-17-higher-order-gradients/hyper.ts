/** The chapter's hypergradient problem; it lives with the figure that draws it (src/lib/figures/hyperProblem.ts). */
export * from '../../../lib/figures/hyperProblem.ts';
