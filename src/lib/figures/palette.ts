/**
 * Colours of the figures: CSS variables only, so every chart follows the light/dark theme. The four methods have a
 * categorical palette defined in figures.css for both themes (each ≥ 3:1 against the background), and each also
 * has its own dash pattern and marker shape, so colour is never the only cue.
 */
/** The optimizers of src/lib/optim, as the race names them. */
export type Method = 'sgd' | 'lbfgs' | 'newton' | 'newton-cg';

export const METHOD_ORDER: readonly Method[] = ['sgd', 'lbfgs', 'newton', 'newton-cg'];

export const METHOD_STYLE: Record<Method, { label: string; color: string; dash: string; symbol: string }> = {
  sgd: { label: 'SGD', color: 'var(--fig-sgd)', dash: '6,3', symbol: 'circle' },
  lbfgs: { label: 'L-BFGS', color: 'var(--fig-lbfgs)', dash: 'none', symbol: 'square' },
  newton: { label: 'Newton', color: 'var(--fig-newton)', dash: '2,2', symbol: 'triangle' },
  'newton-cg': { label: 'Newton-CG', color: 'var(--fig-newton-cg)', dash: '8,2,2,2', symbol: 'diamond' },
};

export const INK = 'var(--fg)';
export const MUTED = 'var(--muted)';
export const ACCENT = 'var(--accent)';
export const DANGER = 'var(--danger)';
export const CONTOUR_FILL = 'var(--fig-contour)';
