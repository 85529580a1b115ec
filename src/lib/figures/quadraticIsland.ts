/** Island entry for figure 1 (loaded on demand by the bootstrap; brings Plot with it). */
import { mountFigure } from './mountFigure.ts';
import { quadraticFigure } from './quadraticFigure.ts';

export function mount(root: HTMLElement) {
  return mountFigure(root, quadraticFigure);
}
