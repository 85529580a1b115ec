/**
 * Native form controls for a figure's schema, as HTML: the same markup is written at build time and bound by the
 * island in the browser (inputs are found by `name`). Number fields are text inputs with `inputmode="decimal"` so any
 * text the reader types reaches the validator, which explains what is wrong next to the field.
 *
 * Until the island mounts, controls are inert but focusable (`aria-disabled`, text fields `readonly`), so a keyboard
 * user tabbing through the page before (or without) JavaScript never skips them, and each is described by the
 * figure's note saying why it does not respond yet (`inertId`).
 */
import { esc } from './format.ts';
import type { Field, Schema, StateOf } from './fields.ts';
import { formatValue } from './fields.ts';
import { scrollRegionHtml } from '../site/scrollRegion.ts';

export const fieldId = (ns: string, key: string) => `fig-${ns}-${key}`;

/** The id of a figure's note explaining why its controls do not respond before the island mounts. */
export const inertId = (ns: string) => `fig-${ns}-inert`;

/** What the note says: true before the script has loaded, and the reason when JavaScript is off. */
export const INERT_TEXT = 'These controls respond once the figure’s script has loaded; with JavaScript off, the figure shows its default settings.';

function fieldHtml(ns: string, key: string, f: Field, value: unknown): string {
  const id = fieldId(ns, key);
  const msg = `<span class="fig-msg" id="${id}-msg" aria-live="polite"></span>`;
  const inert = `aria-disabled="true" aria-describedby="${inertId(ns)}"`;
  if (f.kind === 'bool') {
    return `<div class="fig-field fig-check"><input type="checkbox" id="${id}" name="${key}"${value ? ' checked' : ''} ${inert}><label for="${id}">${esc(f.label)}</label>${msg}</div>`;
  }
  if (f.kind === 'enum') {
    const opts = f.options.map((o) => `<option value="${esc(o.value)}"${o.value === value ? ' selected' : ''}>${esc(o.label)}</option>`).join('');
    return `<div class="fig-field"><label for="${id}">${esc(f.label)}</label><select id="${id}" name="${key}" ${inert}>${opts}</select>${msg}</div>`;
  }
  const v = esc(formatValue(value as number));
  const range = f.range
    ? `<input type="range" name="${key}" data-range min="${f.min}" max="${f.max}" step="${f.step}" value="${v}" aria-label="${esc(f.label)} slider" ${inert}>`
    : '';
  return (
    `<div class="fig-field"><label for="${id}">${esc(f.label)}</label>` +
    `<input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" id="${id}" name="${key}" value="${v}" readonly aria-disabled="true" aria-describedby="${id}-msg ${inertId(ns)}">` +
    `${range}${msg}</div>`
  );
}

/** Turns the inert build-time controls of a figure on: no `aria-disabled` or `readonly`, and no note saying why. */
export function enableControls(root: Element): void {
  const note = root.querySelector('.fig-inert');
  for (const el of Array.from(root.querySelectorAll('[aria-disabled="true"]'))) el.removeAttribute('aria-disabled');
  for (const el of Array.from(root.querySelectorAll('.fig-controls input[readonly]'))) el.removeAttribute('readonly');
  if (note) {
    for (const el of Array.from(root.querySelectorAll(`[aria-describedby~="${note.id}"]`))) {
      const rest = el.getAttribute('aria-describedby')!.split(/\s+/).filter((id) => id !== note.id);
      if (rest.length) el.setAttribute('aria-describedby', rest.join(' '));
      else el.removeAttribute('aria-describedby');
    }
    note.remove();
  }
}

/** Fieldsets of controls: `groups` lists [legend, keys] in display order. */
export function controlsHtml(ns: string, schema: Schema, state: StateOf, groups: readonly (readonly [string, readonly string[]])[]): string {
  return groups
    .map(([legend, keys]) => `<fieldset class="fig-group"><legend>${esc(legend)}</legend>${keys.map((k) => fieldHtml(ns, k, schema[k], state[k])).join('')}</fieldset>`)
    .join('');
}

/** A data table as HTML, in a region that scrolls sideways when the table is wider than the figure. */
export function tableHtml(caption: string, head: readonly string[], rows: readonly (readonly string[])[], className?: string): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('');
  const cls = className ? ` class="${esc(className)}"` : '';
  return scrollRegionHtml(`<table${cls}><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`, `Table: ${caption}`);
}
