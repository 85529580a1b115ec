/**
 * Draggable handles over a figure's charts: HTML buttons (focusable, announced) moved by pointer (mouse, touch,
 * pen) and arrow keys. A press goes to the handle whose centre is nearest the pointer, so overlapping handles (x and
 * the tip of a short v) can each be grabbed; the host pins the view for the length of a drag.
 */
import type { StateOf } from './fields.ts';
import type { FigureDef, FigureView, HandleDef } from './figure.ts';
import { fmt, fmtPoint } from './format.ts';

type PlotSvg = Element & { scale?: (name: string) => { apply(v: number): number; invert(v: number): number } | undefined };

export interface HandleHost<S extends StateOf> {
  def: FigureDef<S>;
  /** The chart boxes, in chart order. */
  boxes: readonly HTMLElement[];
  state(): S;
  /** Applies a patch (the host validates, clamps, writes the hash and redraws). */
  commit(patch: Partial<S>): void;
  /** A drag starts (true) or ends (false): the host keeps the view still in between. */
  dragging(on: boolean): void;
}

export interface MountedHandles {
  /** Puts each handle over its point in the charts just drawn and updates its accessible name. */
  place(view: FigureView): void;
}

/** The handle's point: (x, y), (x + dx, y + dy) for the tip of a vector, or (x, along(state)) on a curve. */
export function handlePoint(h: HandleDef, state: StateOf): [number, number] {
  const x = state[h.keys[0]] as number;
  if (h.along || h.keys.length < 2) return [x, h.along ? h.along(state) : 0];
  const y = state[h.keys[1]!] as number;
  if (!h.offsetKeys) return [x, y];
  return [x + (state[h.offsetKeys[0]] as number), y + (state[h.offsetKeys[1]] as number)];
}

/** What arrow key `key` does to handle h: [dx, dy] in steps of d; on a curve every arrow moves x (up and right increase it). */
export function arrowMove(h: HandleDef, key: string, d: number): [number, number] | null {
  const dirs: Record<string, [number, number]> = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, d], ArrowDown: [0, -d] };
  const m = dirs[key];
  if (!m) return null;
  return h.along || h.keys.length < 2 ? [m[0] + m[1], 0] : m;
}

/** The accessible name of handle h at point p. */
export function handleLabel(h: HandleDef, p: readonly [number, number]): string {
  const at = h.along || h.keys.length < 2 ? fmt(p[0], 4) : fmtPoint(p);
  return `${h.label} at ${at}. Arrow keys move it by ${h.step}, Shift+arrow by ${h.coarse}.`;
}

/** "Drag the a or the b, or focus them and use the arrow keys (Shift for larger steps)." for handles labelled A and B. */
export function handleHint(handles: readonly HandleDef[]): string {
  if (!handles.length) return '';
  const names = handles.map((h) => `the ${h.label[0].toLowerCase()}${h.label.slice(1)}`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
  return `Drag ${list}, or focus ${handles.length === 1 ? 'it' : 'them'} and use the arrow keys (Shift for larger steps).`;
}

/** index of the centre nearest (x, y) among `centres`; the first wins a tie (a point before the tip of its vector). */
export function nearestCentre(centres: readonly { x: number; y: number }[], x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  centres.forEach((c, i) => {
    const d = Math.hypot(c.x - x, c.y - y);
    if (d < bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}

export function mountHandles<S extends StateOf>(host: HandleHost<S>): MountedHandles {
  const { def, boxes } = host;
  const handles = def.handles ?? [];
  const buttons = handles.map((h) => {
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'fig-handle';
    btn.dataset.handle = h.keys.join(',') + (h.offsetKeys ? `+${h.offsetKeys.join(',')}` : '');
    boxes[h.chart]?.append(btn);
    return btn;
  });

  /** Moves handle i to the data point (x, y), inside the figure's bounds and its fields' ranges. */
  function moveTo(i: number, x0: number, y0: number) {
    const h = handles[i];
    const state = host.state();
    const w = def.bounds?.(state);
    const x = w ? Math.min(w.x[1], Math.max(w.x[0], x0)) : x0;
    const y = w ? Math.min(w.y[1], Math.max(w.y[0], y0)) : y0;
    const keys = h.offsetKeys ?? h.keys;
    // The tip of a vector moves the vector, not its base.
    const value = h.offsetKeys ? [x - (state[h.keys[0]] as number), y - (state[h.keys[1]!] as number)] : [x, y];
    const clamped = keys.map((k, j) => {
      const f = def.schema[k];
      const r = Number(value[j].toPrecision(12));
      return f.kind === 'number' ? Math.min(f.max, Math.max(f.min, r)) : r;
    });
    host.commit((keys.length < 2 ? { [keys[0]]: clamped[0] } : { [keys[0]]: clamped[0], [keys[1]!]: clamped[1] }) as Partial<S>);
  }

  /** The data point under a pointer event, from the chart currently drawn in handle i's box. */
  function toData(i: number, e: PointerEvent): [number, number] | null {
    const h = handles[i];
    const svg = boxes[h.chart]?.querySelector('svg') as PlotSvg | null;
    const sx = svg?.scale?.('x');
    const sy = svg?.scale?.('y');
    if (!svg || !sx || !sy) return null;
    const r = svg.getBoundingClientRect();
    const px = ((e.clientX - r.left) / r.width) * Number(svg.getAttribute('width'));
    const py = ((e.clientY - r.top) / r.height) * Number(svg.getAttribute('height'));
    const snap = (v: number) => Math.round(v / (h.step / 10)) * (h.step / 10);
    return [snap(sx.invert(px)), snap(sy.invert(py))];
  }

  let drag: { index: number; pointerId: number } | null = null;
  const endDrag = (e: PointerEvent) => {
    if (!drag || drag.pointerId !== e.pointerId) return;
    const btn = buttons[drag.index];
    if (btn.hasPointerCapture(e.pointerId)) btn.releasePointerCapture(e.pointerId);
    drag = null;
    host.dragging(false);
  };

  buttons.forEach((btn, i) => {
    const h = handles[i];
    btn.addEventListener('keydown', (e) => {
      const m = arrowMove(h, e.key, e.shiftKey ? h.coarse : h.step);
      if (!m) return;
      e.preventDefault();
      const [x, y] = handlePoint(h, host.state());
      const round = (v: number) => Math.round(v / h.step) * h.step;
      moveTo(i, round(x + m[0]), round(y + m[1]));
    });
    btn.addEventListener('pointerdown', (e) => {
      // Of the handles in this chart, the one whose centre is nearest the press.
      const mine = buttons.map((b, j) => ({ b, j })).filter(({ j }) => handles[j].chart === h.chart);
      const centres = mine.map(({ b }) => {
        const r = b.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      const target = mine[nearestCentre(centres, e.clientX, e.clientY)] ?? { b: btn, j: i };
      drag = { index: target.j, pointerId: e.pointerId };
      target.b.setPointerCapture(e.pointerId);
      target.b.focus();
      e.preventDefault();
      host.dragging(true);
    });
    btn.addEventListener('pointermove', (e) => {
      if (!drag || drag.pointerId !== e.pointerId || drag.index !== i) return;
      const p = toData(i, e);
      if (p) moveTo(i, p[0], p[1]);
    });
    btn.addEventListener('pointerup', endDrag);
    btn.addEventListener('pointercancel', endDrag);
    btn.addEventListener('lostpointercapture', endDrag);
  });

  function place(view: FigureView) {
    const state = host.state();
    handles.forEach((h, i) => {
      const btn = buttons[i];
      const svg = view.charts[h.chart] as PlotSvg;
      const sx = svg?.scale?.('x');
      const sy = svg?.scale?.('y');
      if (!btn || !sx || !sy) return;
      const [x, y] = handlePoint(h, state);
      const w = Number(svg.getAttribute('width'));
      const hgt = Number(svg.getAttribute('height'));
      const px = Math.min(1, Math.max(0, sx.apply(x) / w));
      const py = Math.min(1, Math.max(0, sy.apply(y) / hgt));
      btn.style.left = `${(px * 100).toFixed(3)}%`;
      btn.style.top = `${(py * 100).toFixed(3)}%`;
      btn.setAttribute('aria-label', handleLabel(h, [x, y]));
    });
  }

  return { place };
}
