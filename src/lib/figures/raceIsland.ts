/** Island entry for figure 2. */
import { mountFigure } from './mountFigure.ts';
import { raceFigure } from './raceFigure.ts';

export function mount(root: HTMLElement) {
  return mountFigure(root, raceFigure);
}
