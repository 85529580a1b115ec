/**
 * What one run may send to the page and have drawn there. The runner refuses a `show` past the figure budget (the
 * listing sees the error at its call); the page counts again, and ends a run whose worker sends more messages or
 * bytes than any runner would (defence in depth: the listing cannot post at all, see lockdown.ts).
 */
import type { FigureCost } from './plotSpec.ts';

export const runLimits = {
  /** `show` calls drawn per run (showing the same name again counts again). */
  maxFigures: 16,
  /**
   * Weighted SVG elements over all figures of a run (plotSpec.ts#FigureCost): the page lays out and paints every
   * one of them on its main thread, at once, after they are attached.
   */
  maxElements: 5_000,
  /** Contour work (cells × thresholds) over all figures of a run. */
  maxContourWork: 4_000_000,
  /** Messages from a run's worker: 500 console lines, 20 errors, 16 figures and a few more fit with room to spare. */
  maxMessages: 2_000,
  /** Bytes of text and figure data a run's worker may send (estimated, see messageBytes). */
  maxBytes: 8_000_000,
};

/** Counts a run's figures against {@link runLimits}. */
export class FigureBudget {
  figures = 0;
  elements = 0;
  contourWork = 0;

  constructor(readonly limits = runLimits) {}

  /** Admits a figure and returns null, or returns why it is over the run's budget (and admits nothing). */
  admit(cost: FigureCost): string | null {
    const { maxFigures, maxElements, maxContourWork } = this.limits;
    if (this.figures + 1 > maxFigures) return `show: at most ${maxFigures} figures per run`;
    if (this.elements + cost.elements > maxElements) return `show: the run's figures would draw more than ${maxElements} elements`;
    if (this.contourWork + cost.contourWork > maxContourWork) return `show: the run's contours would need more than ${maxContourWork.toExponential(0)} cells × thresholds`;
    this.figures++;
    this.elements += cost.elements;
    this.contourWork += cost.contourWork;
    return null;
  }
}
