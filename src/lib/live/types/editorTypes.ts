/**
 * TypeScript's answers in CodeMirror: diagnostics (kept apart from the run's error mark, so either can change
 * without dropping the other), completions and hover docs for the course library. Completions and hover ask the
 * worker only once it has been started by "Check types" (or a pause in editing on desktop): they never load it.
 */
import type { CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { forEachDiagnostic, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import type { EditorState, Extension, TransactionSpec } from '@codemirror/state';
import { hoverTooltip, type Tooltip } from '@codemirror/view';
import type { TypeClient } from './client.ts';
import type { TypeDiagnostic } from './protocol.ts';

/** The `source` of the type checker's diagnostics in the editor. */
export const TYPE_SOURCE = 'TypeScript';

/** Our diagnostics as CodeMirror's, clamped to the document. */
export function toCmDiagnostics(diagnostics: readonly TypeDiagnostic[], docLength: number): Diagnostic[] {
  return diagnostics.map((d) => ({
    from: Math.min(d.from, docLength),
    to: Math.min(d.to, docLength),
    severity: d.severity,
    source: TYPE_SOURCE,
    message: `${d.message} (TS${d.code})`,
  }));
}

/**
 * Replaces the diagnostics of one kind (the type checker's when `types`, else the run's) and keeps the others at
 * their current positions.
 */
export function replaceDiagnostics(state: EditorState, types: boolean, fresh: readonly Diagnostic[]): TransactionSpec {
  const keep: Diagnostic[] = [];
  forEachDiagnostic(state, (d, from, to) => {
    if ((d.source === TYPE_SOURCE) !== types) keep.push({ ...d, from, to });
  });
  return setDiagnostics(state, [...keep, ...fresh]);
}

/** TypeScript's ScriptElementKind → CodeMirror's completion type (its icon). */
export function completionType(kind: string): string {
  const map: Record<string, string> = {
    method: 'method', property: 'property', getter: 'property', setter: 'property', function: 'function', 'local function': 'function',
    const: 'constant', let: 'variable', var: 'variable', 'local var': 'variable', parameter: 'variable', class: 'class',
    interface: 'interface', type: 'type', enum: 'enum', keyword: 'keyword', module: 'namespace', alias: 'variable',
  };
  return map[kind] ?? 'text';
}

export interface TypeAssistOptions {
  client: Pick<TypeClient, 'request' | 'started'>;
  filename: string;
}

/** Completions from the language service, after `.` or a word, or on Ctrl+Space; null until the worker runs. */
export function typeCompletions({ client, filename }: TypeAssistOptions): CompletionSource {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    if (!client.started) return null;
    const word = ctx.matchBefore(/[\w$]*/);
    const afterDot = ctx.state.sliceDoc(Math.max(0, (word?.from ?? ctx.pos) - 1), word?.from ?? ctx.pos) === '.';
    if (!ctx.explicit && !afterDot && (!word || word.from === word.to)) return null;
    let answer;
    try {
      answer = await client.request({ type: 'complete', filename, source: ctx.state.doc.toString(), pos: ctx.pos });
    } catch {
      return null;
    }
    if (ctx.aborted || answer.items.length === 0) return null;
    const source = ctx.state.doc.toString();
    // The declaration and doc comment beside the selected option, asked for when it is selected.
    const info = (name: string) => async () => {
      const r = await client.request({ type: 'details', filename, source, pos: ctx.pos, name }).catch(() => null);
      return r?.details ? { dom: docBox(r.details) } : null;
    };
    return { from: answer.from, options: answer.items.map((i) => ({ label: i.label, type: completionType(i.kind), info: info(i.label) })), validFor: /^[\w$]*$/ };
  };
}

/** A declaration and its doc comment, as text (never markup). */
function docBox(info: { signature: string; doc: string }): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'live-hover';
  // A div, not a <pre>: the page's rules for listings (padding, skipped rendering off-screen) are not for tooltips.
  const sig = document.createElement('div');
  sig.className = 'live-hover-signature';
  sig.textContent = info.signature;
  dom.append(sig);
  if (info.doc) {
    const doc = document.createElement('div');
    doc.className = 'live-hover-doc';
    doc.textContent = info.doc;
    dom.append(doc);
  }
  return dom;
}

/** Hover docs: the declaration and its doc comment. */
export function typeHover({ client, filename }: TypeAssistOptions): Extension {
  return hoverTooltip(async (view, pos): Promise<Tooltip | null> => {
    if (!client.started) return null;
    let answer;
    try {
      answer = await client.request({ type: 'hover', filename, source: view.state.doc.toString(), pos });
    } catch {
      return null;
    }
    const info = answer.info;
    if (!info || info.to > view.state.doc.length) return null;
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create: () => ({ dom: docBox(info) }),
    };
  });
}
