/** Island entry for chapter 17's implicit-against-unrolled figure. */
import { implicitFigure } from './implicitFigure.ts';
import { mountFigure } from './mountFigure.ts';

export function mount(root: HTMLElement) {
  return mountFigure(root, implicitFigure);
}
