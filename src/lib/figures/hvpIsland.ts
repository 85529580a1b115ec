/** Island entry for figure 3. */
import { hvpFigure } from './hvpFigure.ts';
import { mountFigure } from './mountFigure.ts';

export function mount(root: HTMLElement) {
  return mountFigure(root, hvpFigure);
}
