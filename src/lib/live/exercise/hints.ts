/**
 * Hints revealed one at a time: each hint is an element `[data-hint]` that starts hidden; the button
 * `[data-exercise-hint]` shows the next one, moves focus to it (so it is read at once), and says how many are left.
 */

/** hintButtonLabel(shown, total) = the hint button's words after `shown` of `total` hints are visible. */
export function hintButtonLabel(shown: number, total: number): string {
  if (shown >= total) return total === 1 ? 'The hint is shown' : `All ${total} hints shown`;
  return shown === 0 ? `Show a hint (${total} in all)` : `Show the next hint (${shown + 1} of ${total})`;
}

/** revealNextHint(root) shows root's first hidden hint and returns its index, or -1 when all are shown. */
export function revealNextHint(root: HTMLElement): number {
  const hints = [...root.querySelectorAll<HTMLElement>('[data-hint]')];
  const i = hints.findIndex((h) => h.hidden);
  const button = root.querySelector<HTMLButtonElement>('[data-exercise-hint]');
  if (i < 0) return -1;
  hints[i].hidden = false;
  hints[i].focus();
  if (button) {
    button.textContent = hintButtonLabel(i + 1, hints.length);
    if (i + 1 >= hints.length) button.disabled = true;
  }
  return i;
}
