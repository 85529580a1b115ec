/**
 * The browser side of a figure: binds the build-time controls, keeps the state in the URL hash, validates input,
 * re-renders with the same view code as the build, and adds draggable handles (pointer and keyboard).
 */
import { decodeState, encodeState, formatValue, parseField, type StateOf } from './fields.ts';
import { clampHandles, type FigureDef, type FigureView, type HandleDef } from './figure.ts';
import type { ChartSize } from './chart.ts';
import { fieldId } from './controls.ts';
import { fmtPoint } from './format.ts';

type PlotSvg = Element & { scale?: (name: string) => { apply(v: number): number; invert(v: number): number } | undefined };

export interface MountedFigure<S extends StateOf> {
  state(): S;
  set(patch: Partial<S>): void;
  render(): FigureView;
}

export function mountFigure<S extends StateOf>(root: HTMLElement, def: FigureDef<S>): MountedFigure<S> {
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
  function render(): FigureView {
    performance.mark(`fig:${ns}:start`);
    const view = def.view(state, document, sizes);
    view.charts.forEach((svg, i) => {
      const box = chartBoxes[i];
      if (!box) return;
      const old = box.querySelector('svg');
      if (old) old.replaceWith(svg);
      else box.prepend(svg);
    });
    if (caption && caption.innerHTML !== view.caption) caption.innerHTML = view.caption;
    if (status && status.innerHTML !== view.status) status.innerHTML = view.status;
    if (table) table.innerHTML = view.table;
    placeHandles(view);
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

  root.querySelector<HTMLButtonElement>('.fig-reset')?.addEventListener('click', () => {
    hashNotice = null;
    commit({ ...def.defaults }, { sync: true });
  });

  addEventListener('hashchange', () => {
    const d = decodeState(location.hash, ns, def.schema, def.defaults);
    hashNotice = d.notice;
    state = inBounds(d.state);
    showNotice();
    syncInputs();
    schedule();
  });

  // Handles: HTML buttons over the chart, so they are focusable and announced; pointer drag and arrow keys move them.
  const handleEls: HTMLButtonElement[] = [];
  for (const h of def.handles ?? []) {
    const box = chartBoxes[h.chart];
    if (!box) continue;
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'fig-handle';
    btn.dataset.handle = h.keys.join(',');
    box.append(btn);
    handleEls.push(btn);
    bindHandle(btn, h, box);
  }

  function point(h: HandleDef): [number, number] {
    const x = state[h.keys[0]] as number;
    const y = state[h.keys[1]] as number;
    if (!h.offsetKeys) return [x, y];
    return [x + (state[h.offsetKeys[0]] as number), y + (state[h.offsetKeys[1]] as number)];
  }

  function placeHandles(view: FigureView) {
    (def.handles ?? []).forEach((h, i) => {
      const btn = handleEls[i];
      const svg = view.charts[h.chart] as PlotSvg;
      const sx = svg.scale?.('x');
      const sy = svg.scale?.('y');
      if (!btn || !sx || !sy) return;
      const [x, y] = point(h);
      const w = Number(svg.getAttribute('width'));
      const hgt = Number(svg.getAttribute('height'));
      const px = Math.min(1, Math.max(0, sx.apply(x) / w));
      const py = Math.min(1, Math.max(0, sy.apply(y) / hgt));
      btn.style.left = `${(px * 100).toFixed(2)}%`;
      btn.style.top = `${(py * 100).toFixed(2)}%`;
      btn.setAttribute('aria-label', `${h.label} at ${fmtPoint([x, y])}. Arrow keys move it by ${h.step}, Shift+arrow by ${h.coarse}.`);
    });
  }

  function bindHandle(btn: HTMLButtonElement, h: HandleDef, box: HTMLElement) {
    const fields = h.keys.map((k) => def.schema[k]) as { kind: string; min?: number; max?: number }[];
    const clampTo = (i: number, v: number) => {
      const f = fields[i];
      const r = Number(v.toPrecision(12));
      return f.kind === 'number' ? Math.min(f.max!, Math.max(f.min!, r)) : r;
    };
    const moveTo = (x0: number, y0: number) => {
      // Handles stay inside the figure's bounds (the chart's view) when it has them.
      const w = def.bounds?.(state);
      const x = w ? Math.min(w.x[1], Math.max(w.x[0], x0)) : x0;
      const y = w ? Math.min(w.y[1], Math.max(w.y[0], y0)) : y0;
      let tx = x;
      let ty = y;
      if (h.offsetKeys) {
        // The tip of a vector: move the vector, not its base.
        tx = x - (state[h.keys[0]] as number);
        ty = y - (state[h.keys[1]] as number);
        const fo = h.offsetKeys.map((k) => def.schema[k]) as { min: number; max: number }[];
        const cx = Math.min(fo[0].max, Math.max(fo[0].min, Number(tx.toPrecision(12))));
        const cy = Math.min(fo[1].max, Math.max(fo[1].min, Number(ty.toPrecision(12))));
        commit({ [h.offsetKeys[0]]: cx, [h.offsetKeys[1]]: cy } as Partial<S>, { sync: true });
        return;
      }
      commit({ [h.keys[0]]: clampTo(0, tx), [h.keys[1]]: clampTo(1, ty) } as Partial<S>, { sync: true });
    };
    btn.addEventListener('keydown', (e) => {
      const d = e.shiftKey ? h.coarse : h.step;
      const dirs: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
      const m = dirs[e.key];
      if (!m) return;
      e.preventDefault();
      const [x, y] = point(h);
      const round = (v: number) => Math.round(v / h.step) * h.step;
      moveTo(round(x + m[0]), round(y + m[1]));
    });
    let dragging = false;
    const toData = (e: PointerEvent): [number, number] | null => {
      const svg = box.querySelector('svg') as PlotSvg | null;
      const sx = svg?.scale?.('x');
      const sy = svg?.scale?.('y');
      if (!svg || !sx || !sy) return null;
      const r = svg.getBoundingClientRect();
      const px = ((e.clientX - r.left) / r.width) * Number(svg.getAttribute('width'));
      const py = ((e.clientY - r.top) / r.height) * Number(svg.getAttribute('height'));
      const snap = (v: number) => Math.round(v / (h.step / 10)) * (h.step / 10);
      return [snap(sx.invert(px)), snap(sy.invert(py))];
    };
    btn.addEventListener('pointerdown', (e) => {
      dragging = true;
      btn.setPointerCapture(e.pointerId);
      btn.focus();
      e.preventDefault();
    });
    btn.addEventListener('pointermove', (e) => {
      if (!dragging) return;
      const p = toData(e);
      if (p) moveTo(p[0], p[1]);
    });
    const end = (e: PointerEvent) => {
      dragging = false;
      if (btn.hasPointerCapture(e.pointerId)) btn.releasePointerCapture(e.pointerId);
    };
    btn.addEventListener('pointerup', end);
    btn.addEventListener('pointercancel', end);
  }

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
  form.disabled = false;
  root.dataset.hydrated = 'true';
  // Paths draw themselves in once on hydration (CSS skips this under prefers-reduced-motion).
  root.classList.add('fig-animate');
  setTimeout(() => root.classList.remove('fig-animate'), 1500);
  render();
  void lastView;
  return {
    state: () => state,
    set: (patch) => commit(patch, { sync: true, now: true }),
    render,
  };
}
