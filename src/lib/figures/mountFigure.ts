/**
 * The browser side of a figure: binds the build-time controls, keeps the state in the URL hash, validates input,
 * re-renders with the same view code as the build, and adds draggable handles (pointer and keyboard).
 */
import { decodeState, encodeState, formatValue, parseField, type StateOf } from './fields.ts';
import { clampHandles, type FigureDef, type FigureView } from './figure.ts';
import type { ChartSize, Window } from './chart.ts';
import { enableControls, fieldId } from './controls.ts';
import { mountHandles } from './handles.ts';

export interface MountedFigure<S extends StateOf> {
  state(): S;
  set(patch: Partial<S>): void;
  render(): FigureView;
}

export interface MountHooks<S extends StateOf> {
  /** Called after every change of the state (a control, a preset, Reset, a drag, the hash), before the redraw. */
  onState?(state: S): void;
}

export function mountFigure<S extends StateOf>(root: HTMLElement, def: FigureDef<S>, hooks: MountHooks<S> = {}): MountedFigure<S> {
  const ns = def.ns;
  const $ = <T extends Element>(sel: string) => root.querySelector<T>(sel);
  const notice = $<HTMLElement>('.fig-notice')!;
  const chartBoxes = Array.from(root.querySelectorAll<HTMLElement>('.fig-chart'));
  const caption = $<HTMLElement>('.fig-caption');
  const status = $<HTMLElement>('.fig-status');
  const table = $<HTMLElement>('.fig-table');
  const form = $<HTMLFieldSetElement>('.fig-controls')!;

  // Two sources of notices: the hash (settings ignored) and the handles' bounds (a point moved into the view).
  let hashNotice: string | null = null;
  let boundsNotice: string | null = null;
  const decoded = decodeState(location.hash, ns, def.schema, def.defaults);
  hashNotice = decoded.notice;
  let state: S = inBounds(decoded.state);
  showNotice();

  function showNotice() {
    const text = [hashNotice, boundsNotice].filter(Boolean).join(' ');
    notice.textContent = text;
    notice.hidden = !text;
  }

  /** The state with its point handles inside `def.bounds`; sets the bounds notice. */
  function inBounds(s: S): S {
    const r = clampHandles(def, s);
    boundsNotice = r.notice;
    return r.state;
  }

  // The size each chart box is shown at, so narrow screens get charts drawn at their width (labels stay 12 px).
  const measure = (): (ChartSize | undefined)[] => chartBoxes.map((b) => (b.clientWidth > 0 ? { width: b.clientWidth, height: b.clientHeight } : undefined));
  let sizes = measure();

  const inputs = (key: string) => Array.from(form.querySelectorAll<HTMLInputElement | HTMLSelectElement>(`[name="${key}"]`));

  function setFieldError(key: string, message: string | null) {
    const id = fieldId(ns, key);
    const msg = root.querySelector<HTMLElement>(`#${id}-msg`);
    const main = root.querySelector<HTMLElement>(`#${id}`);
    if (msg) msg.textContent = message ?? '';
    if (main) {
      if (message) main.setAttribute('aria-invalid', 'true');
      else main.removeAttribute('aria-invalid');
    }
  }

  /** Writes the state into every control (after a hash change, a drag or a reset). */
  function syncInputs(except?: Element) {
    for (const key of Object.keys(def.schema)) {
      for (const el of inputs(key)) {
        if (el === except) continue;
        if (el instanceof HTMLInputElement && el.type === 'checkbox') el.checked = Boolean(state[key]);
        else el.value = formatValue(state[key]);
      }
      setFieldError(key, null);
    }
  }

  let frame = 0;
  let lastView: FigureView | null = null;
  // While a handle is dragged, the charts keep the windows they had when it was grabbed.
  let pinned: readonly (Window | undefined)[] | undefined;
  function render(): FigureView {
    performance.mark(`fig:${ns}:start`);
    const view = def.view(state, document, { sizes, windows: pinned });
    view.charts.forEach((svg, i) => {
      const box = chartBoxes[i];
      if (!box) return;
      // The build may have written more than one static SVG per box (wide and narrow); the live chart replaces all.
      const old = Array.from(box.querySelectorAll(':scope > svg, :scope > .fig-static'));
      if (old.length) old[0].replaceWith(svg);
      for (const el of old.slice(1)) el.remove();
      if (!old.length) box.prepend(svg);
    });
    if (caption && caption.innerHTML !== view.caption) caption.innerHTML = view.caption;
    if (status && status.innerHTML !== view.status) status.innerHTML = view.status;
    if (table) table.innerHTML = view.table;
    handles.place(view);
    performance.measure(`fig:${ns}`, `fig:${ns}:start`);
    lastView = view;
    return view;
  }

  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      render();
    });
  }

  function commit(patch: Partial<S>, opts: { sync?: boolean; except?: Element; now?: boolean } = {}) {
    const wanted = { ...state, ...patch };
    state = inBounds(wanted);
    showNotice();
    // A point moved into the view: show where it went, except in the field being typed in (the notice says why).
    if (state !== wanted) opts = { ...opts, sync: true };
    const next = encodeState(location.hash, ns, def.schema, state, def.defaults);
    if (next !== location.hash && !(next === '' && location.hash === '')) {
      history.replaceState(history.state, '', next === '' ? location.pathname + location.search : next);
    }
    if (opts.sync) syncInputs(opts.except);
    hooks.onState?.(state);
    if (opts.now) render();
    else schedule();
  }

  for (const key of Object.keys(def.schema)) {
    const f = def.schema[key];
    for (const el of inputs(key)) {
      const onInput = () => {
        const text = el instanceof HTMLInputElement && el.type === 'checkbox' ? (el.checked ? '1' : '0') : el.value;
        const r = parseField(text, f);
        if (!r.ok) {
          setFieldError(key, r.message);
          return;
        }
        setFieldError(key, null);
        // Keep the twin control (range ↔ text) in step.
        for (const other of inputs(key)) if (other !== el && !(other instanceof HTMLInputElement && other.type === 'checkbox')) other.value = formatValue(r.value);
        commit({ [key]: r.value } as Partial<S>, { except: el });
      };
      el.addEventListener(el instanceof HTMLSelectElement || (el as HTMLInputElement).type === 'checkbox' ? 'change' : 'input', onInput);
      // On leaving a field with bad text, keep the message: the figure keeps the last valid value.
    }
  }

  for (const btn of Array.from(root.querySelectorAll<HTMLButtonElement>('.fig-preset'))) {
    const preset = def.presets?.[Number(btn.dataset.preset)];
    if (preset) btn.addEventListener('click', () => commit(preset.patch, { sync: true }));
  }

  root.querySelector<HTMLButtonElement>('.fig-reset')?.addEventListener('click', () => {
    hashNotice = null;
    commit({ ...def.defaults }, { sync: true });
  });

  const handles = mountHandles({
    def,
    boxes: chartBoxes,
    state: () => state,
    commit: (patch) => commit(patch, { sync: true }),
    dragging: (on) => {
      pinned = on ? lastView?.windows : undefined;
      if (!on) schedule();
    },
  });

  addEventListener('hashchange', () => {
    const d = decodeState(location.hash, ns, def.schema, def.defaults);
    hashNotice = d.notice;
    state = inBounds(d.state);
    showNotice();
    syncInputs();
    hooks.onState?.(state);
    schedule();
  });

  // Redraw at the new width when a chart box is resized (debounced: rotating a phone or dragging a window edge).
  let resizeTimer = 0;
  if (typeof ResizeObserver !== 'undefined') {
    const ro = new ResizeObserver(() => {
      clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(() => {
        const next = measure();
        if (next.some((n, i) => Math.abs((n?.width ?? 0) - (sizes[i]?.width ?? 0)) >= 1)) {
          sizes = next;
          schedule();
        }
      }, 150);
    });
    for (const b of chartBoxes) ro.observe(b);
  }

  syncInputs();
  enableControls(root);
  root.dataset.hydrated = 'true';
  // Paths draw themselves in once on hydration (CSS skips this under prefers-reduced-motion).
  root.classList.add('fig-animate');
  setTimeout(() => root.classList.remove('fig-animate'), 1500);
  render();
  return {
    state: () => state,
    set: (patch) => commit(patch, { sync: true, now: true }),
    render,
  };
}
