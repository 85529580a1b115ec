/**
 * The editor, loaded only when a reader asks for it (the bootstrap in LiveCode.astro imports this module on
 * "Edit & run", or when the page opens with this listing's code in the hash or saved edits). Mounts CodeMirror in
 * place of the highlighted listing and wires Run, Stop, Reset, Copy link, the output panel and figures.
 */
import { basicSetup } from 'codemirror';
import { EditorView, keymap } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import type { Diagnostic } from '@codemirror/lint';
import { hashKey, readSharedCode, sharedCodeProblem, withCode, withoutCode } from './codec.ts';
import { describeError, positionLabel, type LiveError } from './errors.ts';
import { RunController } from './controller.ts';
import type { WorkerMessage } from './protocol.ts';
import { spawnRunner } from './spawn.ts';
import { debounce, EditStore, fingerprint } from './storage.ts';
import { checkPlot, type PlotSpec } from './plotSpec.ts';
import { FigureBudget } from './budget.ts';
import { drawFigure, figureWidth } from './drawFigure.ts';
import { clip, defaultLimits, OutputGate } from './output.ts';
import { TypeClient } from './types/client.ts';
import { CheckSession, type TypeState } from './types/checkSession.ts';
import { replaceDiagnostics, toCmDiagnostics, typeCompletions, typeHover } from './types/editorTypes.ts';
import { typeCheckFilename } from './types/protocol.ts';

export interface MountOptions {
  /** Run once the editor is up (the reader clicked "Edit & run"); never for restored or shared code. */
  run: boolean;
  /** performance.now() of the click, to report click-to-first-output. */
  clickedAt?: number;
  /** A runner the bootstrap started on the click, loading alongside the editor. */
  worker?: Worker;
}

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier, t.controlKeyword, t.definitionKeyword, t.moduleKeyword], color: 'var(--live-hl-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--live-hl-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--live-hl-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--live-hl-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))], color: 'var(--live-hl-function)' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--live-hl-type)' },
  { tag: [t.propertyName], color: 'var(--live-hl-property)' },
  { tag: t.invalid, color: 'var(--danger)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--code-bg)', color: 'var(--fg)', fontSize: '0.875rem' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'transparent' },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--fg)' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--live-selection)' },
  '.cm-panels': { backgroundColor: 'var(--surface)', color: 'var(--fg)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface)', color: 'var(--fg)', border: '1px solid var(--border)' },
});

const store = new EditStore();

/** One type-checking worker for the page, started by the first "Check types" (or pause in editing on desktop). */
const typeClient = new TypeClient();

/** Where a pause in editing checks types by itself: a desktop (fine pointer that hovers); touch devices use the button. */
const autoCheckTypes = () => typeof matchMedia === 'function' && matchMedia('(hover: hover) and (pointer: fine)').matches;

/** Edits the reader made (not a restore, reset or share link), after which a pause checks types. */
const readerEdit = (tr: { isUserEvent(event: string): boolean }) => ['input', 'delete', 'undo', 'redo', 'move'].some((e) => tr.isUserEvent(e));

/** What the page keeps about the run in progress. */
interface RunState {
  generation: number;
  /** performance.now() when Run was pressed. */
  startedAt: number;
  failed: boolean;
  end(state: string): void;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function part<T extends HTMLElement>(root: HTMLElement, name: string): T {
  const e = root.querySelector<T>(`[data-live="${name}"]`);
  if (!e) throw new Error(`live code: missing [data-live="${name}"]`);
  return e;
}

const mounted = new WeakMap<HTMLElement, Promise<LiveEditor>>();

/** Mounts the editor in a LiveCode root (once; later calls return the same editor and may run it). */
export async function mount(root: HTMLElement, options: MountOptions): Promise<LiveEditor> {
  let p = mounted.get(root);
  if (!p) {
    p = Promise.resolve(new LiveEditor(root, options.worker));
    mounted.set(root, p);
  } else options.worker?.terminate();
  const ed = await p;
  if (options.run) {
    // The button that had focus is gone; keyboard users continue in the editor.
    ed.focus();
    ed.run(options.clickedAt);
  }
  return ed;
}

export class LiveEditor {
  readonly listing: string;
  readonly filename: string;
  readonly original: string;
  readonly timeoutMs: number;
  private view: EditorView;
  private controller: RunController;
  private ui: Record<'output' | 'status' | 'notice' | 'plots' | 'run' | 'stop' | 'reset' | 'copy' | 'edit' | 'static' | 'editor', HTMLElement>;
  private plots = new Map<string, HTMLElement>();
  /** What the current run has shown, counted again on this side (defence in depth). */
  private gate = new OutputGate(defaultLimits);
  private figureBudget = new FigureBudget();
  /** Figures are drawn one per task, in order; this settles when the current run's last one is drawn. */
  private figureQueue: Promise<void> = Promise.resolve();
  /** Specs waiting to be drawn, by name (a newer one replaces a waiting one). */
  private waiting = new Map<string, PlotSpec>();
  /** The first figure of the current run that failed to draw. */
  private figureError: string | null = null;
  /** Counts runs, so work for an old run (a figure still queued) is dropped. */
  private generation = 0;
  private save: ReturnType<typeof debounce<[string]>>;
  /** "Check types", when the listing has the button. */
  private types: CheckSession | null = null;
  private typesAfterPause = debounce(() => void this.types?.check(), 1200);

  constructor(
    private root: HTMLElement,
    worker?: Worker,
  ) {
    this.listing = root.dataset.listing!;
    this.filename = root.dataset.filename ?? `${this.listing}.ts`;
    this.timeoutMs = Number(root.dataset.timeout) || 3000;
    const names = ['output', 'status', 'notice', 'plots', 'run', 'stop', 'reset', 'copy', 'edit', 'static', 'editor'] as const;
    this.ui = Object.fromEntries(names.map((n) => [n, part(root, n)])) as LiveEditor['ui'];
    const pre = this.ui.static.querySelector('pre');
    this.original = (pre?.textContent ?? '').replace(/\n$/, '');

    const { code, notice, tone, from } = this.initialCode();
    this.save = debounce((text: string) => this.persist(text), 400);

    const completions = typeCompletions({ client: typeClient, filename: typeCheckFilename(this.filename) });
    this.view = new EditorView({
      parent: this.ui.editor,
      state: EditorState.create({
        doc: code,
        extensions: [
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (this.run(), true) }])),
          basicSetup,
          javascript({ typescript: true }),
          syntaxHighlighting(highlight),
          theme,
          // tabindex makes the (already focusable) content count as the scroller's focusable child for checkers.
          EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': `Code editor for ${this.filename}. Press Control+Enter (Command+Enter on a Mac) to run; Escape then Tab to leave.` }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            this.save(u.state.doc.toString());
            if (this.types && autoCheckTypes() && u.transactions.some(readerEdit)) this.typesAfterPause();
          }),
          // One source for the editor's life: the completion plugin tells its sources apart by identity.
          EditorState.languageData.of(() => [{ autocomplete: completions }]),
          typeHover({ client: typeClient, filename: typeCheckFilename(this.filename) }),
        ],
      }),
    });

    this.ui.static.hidden = true;
    this.ui.edit.hidden = true;
    this.ui.editor.hidden = false;
    for (const b of [this.ui.run, this.ui.stop, this.ui.reset, this.ui.copy]) b.hidden = false;
    (this.ui.stop as HTMLButtonElement).disabled = true;
    this.ui.run.addEventListener('click', () => this.run());
    this.ui.stop.addEventListener('click', () => this.controller.stop());
    this.ui.reset.addEventListener('click', () => this.reset());
    this.ui.copy.addEventListener('click', () => void this.copyLink());
    const flush = () => this.save.flush();
    addEventListener('pagehide', flush);
    addEventListener('beforeunload', flush);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
    addEventListener('hashchange', () => this.fromHash());

    this.controller = new RunController({
      spawn: () => spawnRunner(this.listing),
      initialWorker: worker,
      timeoutMs: this.timeoutMs,
    });
    this.controller.warm();
    this.setUpTypes();
    root.dataset.state = 'editing';
    if (notice) this.notice(notice, tone);
    if (from) this.showRestored(from);
  }

  /** Wires "Check types" (optional: a listing without its button and status has no type checking). */
  private setUpTypes(): void {
    const button = this.root.querySelector<HTMLButtonElement>('[data-live="types"]');
    const status = this.root.querySelector<HTMLElement>('[data-live="types-status"]');
    if (!button || !status) return;
    let firstClick: number | undefined;
    this.types = new CheckSession({
      client: typeClient,
      filename: typeCheckFilename(this.filename),
      source: () => this.code,
      show: (d) => this.view.dispatch(replaceDiagnostics(this.view.state, true, toCmDiagnostics(d, this.view.state.doc.length))),
      report: (state: TypeState, text, tone) => {
        this.root.dataset.types = state;
        // From the first click to the first answer (npm run perf reports it), loading TypeScript included.
        if ((state === 'clean' || state === 'errors') && firstClick !== undefined && !this.root.dataset.typesFirstMs)
          this.root.dataset.typesFirstMs = (performance.now() - firstClick).toFixed(0);
        status.textContent = text;
        status.dataset.tone = tone;
      },
    });
    button.hidden = false;
    button.addEventListener('click', () => {
      firstClick ??= performance.now();
      this.typesAfterPause.cancel();
      void this.types?.check();
    });
  }

  /** Drops the type checker's marks and answer (the code they were about is gone). */
  private clearTypes(): void {
    if (!this.types) return;
    this.typesAfterPause.cancel();
    this.types.cancel();
    this.view.dispatch(replaceDiagnostics(this.view.state, true, []));
  }

  /**
   * Brings restored code to the reader: the listing scrolls into view and the editor is marked as holding code
   * from the link (or saved edits) until the reader edits or runs it.
   */
  private showRestored(from: 'link' | 'saved'): void {
    this.ui.editor.dataset.restored = from;
    if (from === 'link') this.root.scrollIntoView({ block: 'start' });
    const clear = () => delete this.ui.editor.dataset.restored;
    this.ui.run.addEventListener('click', clear, { once: true });
    this.ui.editor.addEventListener('input', clear, { once: true });
  }

  /** Shared code from the hash first, then saved edits, then the original. */
  private initialCode(): { code: string; notice?: string; tone?: 'ok' | 'warn'; from?: 'link' | 'saved' } {
    const shared = readSharedCode(location.hash, this.listing);
    if (shared.kind === 'code') {
      return { code: shared.code, notice: 'Code restored from the shared link. It has not run: press Run when you are ready.', tone: 'ok', from: 'link' };
    }
    const problem = sharedCodeProblem(shared, this.filename);
    const refused = problem ? `${problem}, so ` : '';
    const saved = store.load(this.listing);
    if (saved && saved.code !== this.original) {
      const changed = saved.original && saved.original !== fingerprint(this.original) ? ' The listing has changed since; Reset shows the new one.' : '';
      return {
        code: saved.code,
        notice: refused ? `${refused}your saved edits are shown.` : `Your edits from your last visit are restored. Reset brings back the original.${changed}`,
        tone: refused ? 'warn' : 'ok',
        from: 'saved',
      };
    }
    return refused ? { code: this.original, notice: `${refused}the original listing is shown.`, tone: 'warn' } : { code: this.original };
  }

  private fromHash(): void {
    const shared = readSharedCode(location.hash, this.listing);
    if (shared.kind === 'code' && shared.code !== this.code) {
      this.setCode(shared.code);
      this.clearTypes();
      this.notice('Code restored from the shared link. It has not run: press Run when you are ready.', 'ok');
      this.showRestored('link');
    } else {
      const problem = sharedCodeProblem(shared, this.filename);
      if (problem) this.notice(`${problem}; the editor is unchanged.`, 'warn');
    }
  }

  get code(): string {
    return this.view.state.doc.toString();
  }

  private setCode(code: string): void {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: code } });
  }

  private persist(text: string): void {
    if (text === this.original) {
      store.clear(this.listing);
      return;
    }
    if (!store.save(this.listing, text, this.original))
      this.notice('Your browser does not let this page store edits: they last until you leave the page. Copy link keeps them.', 'warn');
  }

  private notice(text: string, tone: 'ok' | 'warn' = 'ok'): void {
    this.ui.notice.textContent = text;
    this.ui.notice.dataset.tone = tone;
    this.ui.notice.hidden = !text;
  }

  private status(text: string, tone: 'ok' | 'warn' | 'danger' | '' = ''): void {
    this.ui.status.textContent = text;
    this.ui.status.dataset.tone = tone;
  }

  /**
   * Appends a row to the output. Callers pass console text and errors through the run's OutputGate; this is the
   * last stop: past that many rows only the run's closing notes (`final`) are added.
   */
  private line(text: string, kind: string, error?: LiveError, final = false): void {
    const out = this.ui.output;
    if (!final && out.childElementCount >= defaultLimits.maxLines + this.gate.maxErrors + 4) return;
    out.hidden = false;
    const row = el('div', { class: `live-line live-${kind}` });
    if (error?.pos) {
      const { line, column } = error.pos;
      const go = el('button', { type: 'button', class: 'live-goto' }, positionLabel(error.pos));
      go.addEventListener('click', () => this.goTo(line, column));
      row.append(go, text.slice(positionLabel(error.pos).length));
    } else row.textContent = text;
    out.append(row);
  }

  focus(): void {
    this.view.focus();
  }

  /** Moves the cursor to a 1-based line and column and focuses the editor. */
  goTo(line: number, column: number): void {
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
    this.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    this.view.focus();
  }

  /** Marks an error found outside a run (a Check of an exercise) at its line; null clears the mark. */
  markError(error: LiveError | null): void {
    this.mark(error);
  }

  /** Marks an error's line in the editor (CodeMirror diagnostics); null clears the marks. */
  private mark(error: LiveError | null): void {
    const diagnostics: Diagnostic[] = [];
    if (error?.pos) {
      const doc = this.view.state.doc;
      const line = doc.line(Math.min(Math.max(1, error.pos.line), doc.lines));
      const from = Math.min(line.from + Math.max(0, error.pos.column - 1), line.to);
      // The token at the position when there is one, else the rest of the line.
      const word = /^[\w$]+/.exec(doc.sliceString(from, line.to))?.[0].length ?? 0;
      const to = word ? from + word : from < line.to ? line.to : from;
      diagnostics.push({ from: from === to && from > line.from ? from - 1 : from, to, severity: 'error', message: describeError(error) });
    }
    this.view.dispatch(replaceDiagnostics(this.view.state, false, diagnostics));
  }

  run(clickedAt?: number): void {
    this.save.flush();
    this.ui.output.replaceChildren();
    this.ui.output.hidden = true;
    this.ui.plots.replaceChildren();
    this.plots.clear();
    this.waiting.clear();
    this.mark(null);
    const generation = ++this.generation;
    // The run's real length, as the reader lives it: from Run to its last figure on the page.
    const startedAt = performance.now();
    const gate = (this.gate = new OutputGate(defaultLimits));
    this.figureBudget = new FigureBudget();
    this.figureQueue = Promise.resolve();
    this.figureError = null;
    const seconds = `${this.timeoutMs / 1000} s`;
    this.status(`Running… (stops after ${seconds})`);
    (this.ui.stop as HTMLButtonElement).disabled = false;
    this.root.dataset.state = 'running';
    let first = true;
    const firstOutput = () => {
      if (!first) return;
      first = false;
      if (clickedAt !== undefined) this.root.dataset.firstOutputMs = (performance.now() - clickedAt).toFixed(0);
    };
    const end = (state: string) => {
      (this.ui.stop as HTMLButtonElement).disabled = true;
      this.root.dataset.state = state;
    };
    const run: RunState = { generation, startedAt, failed: false, end };
    const stop = (msg: string, state: string) => {
      this.line(msg, 'note', undefined, true);
      this.status(msg, 'warn');
      end(state);
    };
    this.controller.run(this.code, this.filename, {
      message: (m) => {
        switch (m.type) {
          case 'console': {
            firstOutput();
            const { text, notice } = gate.console(m.text);
            if (text !== null) this.line(text, m.level);
            if (notice !== null) this.line(notice, 'note');
            break;
          }
          case 'truncated': {
            const notice = gate.truncated(clip(m.notice, 200));
            if (notice !== null) this.line(notice, 'note');
            break;
          }
          case 'plot':
            firstOutput();
            this.plot(m.name, m.spec, generation);
            break;
          case 'error':
            firstOutput();
            this.showError(m, run);
            break;
          case 'done':
            this.finish(m.ok, run);
            break;
        }
      },
      stopped: (reason, afterMs, detail) => {
        if (reason === 'timeout')
          stop(`Stopped: the run went past its ${seconds} budget and was ended after ${(afterMs / 1000).toFixed(1)} s. The editor still works; the next run starts fresh.`, 'stopped');
        else if (reason === 'flood') stop(`Stopped: the run sent ${detail ?? 'too much'} to the page, more than a run may. The next run starts fresh.`, 'stopped');
        else stop('Stopped.', 'stopped');
      },
      exited: (detail, afterMs) => {
        const why = detail ? ` (${clip(detail, 300)})` : '';
        stop(`Stopped: the runner ended without finishing${why} after ${(afterMs / 1000).toFixed(1)} s. The next run starts fresh.`, 'error');
      },
      crashed: (message) => {
        this.line(`The runner failed: ${clip(message, 300)}`, 'error', undefined, true);
        this.status(`The runner failed: ${message}. Press Run to try again.`, 'danger');
        end('error');
      },
    });
  }

  /** Shows an error of the run in the output (once), marks its line, and says in the status where to look. */
  private showError(m: Extract<WorkerMessage, { type: 'error' }>, run: RunState): void {
    const gate = this.gate;
    const error: LiveError = { ...m.error, name: clip(String(m.error.name), 100), message: clip(m.error.message, gate.maxErrorChars) };
    const shown = gate.error();
    if (shown === 'show') this.line(describeError(error), 'error', error);
    else if (shown === 'notice') this.line(gate.errorsNotice, 'note');
    if (!run.failed) {
      this.mark(error);
      const where = error.pos ? ` on line ${error.pos.line}` : '';
      this.status(m.phase === 'syntax' ? `Did not run: the code has a syntax error${where} (see below).` : `Stopped by an error${where} (see below).`, 'danger');
    }
    run.failed = true;
  }

  /** The run's top level is done: once its figures are drawn, report its real length, or what failed. */
  private finish(workerOk: boolean, run: RunState): void {
    const ok = workerOk && !run.failed;
    void this.figureQueue.then(() => {
      if (run.generation !== this.generation) return;
      if (this.figureError) {
        this.status(`Error: figure '${this.figureError}' could not be drawn (see below).`, 'danger');
        run.end('error');
        return;
      }
      const ms = performance.now() - run.startedAt;
      if (ok) this.status(`Finished in ${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms.`, 'ok');
      run.end(ok ? 'done' : 'error');
    });
  }

  /**
   * Takes a figure from the run: checked again here (defence in depth) and counted against the run's figure
   * budget before anything is drawn; its place is taken at once so figures keep the order the listing showed them
   * in; drawing waits its turn, one figure per task, so the page answers between figures.
   */
  private plot(unsafeName: string, unsafeSpec: PlotSpec, generation: number): void {
    let name: string;
    let spec: PlotSpec;
    try {
      const checked = checkPlot(unsafeName, unsafeSpec);
      const over = this.figureBudget.admit(checked.cost);
      if (over) throw new RangeError(over);
      ({ name, spec } = checked);
    } catch (e) {
      if (this.gate.error() === 'show') this.line(`show(): ${clip((e as Error).message, this.gate.maxErrorChars)}`, 'error');
      return;
    }
    if (!this.plots.has(name)) {
      const box = el('figure', { class: 'live-figure', 'data-figure': name });
      this.ui.plots.append(box);
      this.plots.set(name, box);
    }
    const queued = this.waiting.has(name);
    this.waiting.set(name, spec);
    if (queued) return; // the waiting draw will use this newer spec
    this.figureQueue = this.figureQueue.then(async () => {
      await new Promise((r) => setTimeout(r, 0));
      const latest = this.waiting.get(name);
      this.waiting.delete(name);
      if (generation !== this.generation || !latest) return;
      await this.draw(name, latest, generation);
    });
  }

  private async draw(name: string, spec: PlotSpec, generation: number): Promise<void> {
    const Plot = await import('@observablehq/plot');
    const target = this.plots.get(name);
    if (generation !== this.generation || !target) return;
    try {
      const { node, removed } = drawFigure({ name, spec, width: figureWidth(this.ui.plots.clientWidth, spec), Plot, document });
      target.replaceWith(node);
      this.plots.set(name, node);
      if (removed) this.line(`show('${name}'): ${removed} unsafe parts of the figure were removed.`, 'note');
    } catch (e) {
      target.remove();
      this.plots.delete(name);
      this.figureError ??= name;
      if (this.gate.error() === 'show') this.line(`show('${name}'): ${clip(String((e as Error)?.message), this.gate.maxErrorChars)}`, 'error');
    }
  }

  reset(): void {
    this.controller.stop();
    this.setCode(this.original);
    this.clearTypes();
    this.save.cancel();
    store.clear(this.listing);
    if (location.hash.includes(`${hashKey(this.listing)}=`)) history.replaceState(null, '', withoutCode(location.hash, this.listing) || location.pathname + location.search);
    this.notice('Original code restored (Control+Z undoes the reset).', 'ok');
  }

  async copyLink(): Promise<void> {
    const hash = withCode(location.hash, this.listing, this.code);
    history.replaceState(null, '', hash);
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      this.notice('Link copied. Opening it shows this code without running it.', 'ok');
    } catch {
      this.notice('The link is in the address bar: copy it from there. Opening it shows this code without running it.', 'ok');
    }
  }
}
