/** Island entry for chapter 17's hypergradient figure. */
import { hyperFigure } from './hyperFigure.ts';
import { mountFigure } from './mountFigure.ts';

export function mount(root: HTMLElement) {
  return mountFigure(root, hyperFigure);
}
