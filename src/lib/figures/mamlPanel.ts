/**
 * The MAML figure's training panel as HTML: Train, Pause, Resume, Reset training, a new-task button, a labelled
 * progress bar and a status line. Written at build time beside the figure's controls; inert (but focusable) until
 * the island mounts, like every figure control (controls.ts).
 */
import { inertId } from './controls.ts';
import { esc } from './format.ts';
import { mamlFigure } from './mamlFigure.ts';
import { staticFigure, type StaticFigure } from './staticHtml.ts';

/** The panel's buttons: `data-train-action` is what the island binds. */
export const TRAIN_ACTIONS = [
  ['train', 'Train'],
  ['pause', 'Pause'],
  ['resume', 'Resume'],
  ['reset', 'Reset training'],
  ['resample', 'New task'],
] as const;

export type TrainAction = (typeof TRAIN_ACTIONS)[number][0];

export const NOT_TRAINED_STATUS = 'Not trained yet.';

export function trainPanelHtml(ns: string, iterations: number): string {
  const inert = `aria-disabled="true" aria-describedby="${inertId(ns)}"`;
  const buttons = TRAIN_ACTIONS.map(([action, label]) => `<button type="button" class="fig-train-btn" data-train-action="${action}" ${inert}>${esc(label)}</button>`).join('');
  const id = `fig-${ns}-progress`;
  return (
    `${buttons}<div class="fig-progress"><label for="${id}">Meta-training progress</label>` +
    `<progress id="${id}" max="${iterations}" value="0">0 of ${iterations}</progress>` +
    `<span class="fig-train-status" role="status">${esc(NOT_TRAINED_STATUS)}</span></div>`
  );
}

/** The figure's build-time parts with the training panel before the settings' reset button. */
export function mamlStaticParts(document: Document): StaticFigure {
  const parts = staticFigure(mamlFigure, document);
  return { ...parts, buttons: trainPanelHtml(mamlFigure.ns, mamlFigure.defaults.iters) + parts.buttons };
}
