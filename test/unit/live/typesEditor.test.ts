import { EditorState } from '@codemirror/state';
import { forEachDiagnostic, type Diagnostic } from '@codemirror/lint';
import { describe, expect, it } from 'vitest';
import { completionType, replaceDiagnostics, toCmDiagnostics, TYPE_SOURCE } from '../../../src/lib/live/types/editorTypes.ts';
import type { TypeDiagnostic } from '../../../src/lib/live/types/protocol.ts';

const all = (state: EditorState) => {
  const out: [string, number, number][] = [];
  forEachDiagnostic(state, (d, from, to) => out.push([d.source ?? 'run', from, to]));
  return out.sort((a, b) => a[1] - b[1]);
};
const apply = (state: EditorState, types: boolean, fresh: Diagnostic[]) => state.update(replaceDiagnostics(state, types, fresh)).state;
const typeDiag = (from: number, to: number): TypeDiagnostic => ({ from, to, line: 1, column: from + 1, code: 2551, severity: 'error', message: 'm' });

describe('type diagnostics in CodeMirror', () => {
  it('keeps the run\'s error mark and the type checker\'s apart: replacing one keeps the other', () => {
    let state = EditorState.create({ doc: 'const a = b.mull(1);\nthrow 1;\n' });
    state = apply(state, false, [{ from: 21, to: 26, severity: 'error', message: 'runtime' }]);
    state = apply(state, true, toCmDiagnostics([typeDiag(12, 16)], state.doc.length));
    expect(all(state)).toEqual([
      [TYPE_SOURCE, 12, 16],
      ['run', 21, 26],
    ]);
    state = apply(state, false, []);
    expect(all(state)).toEqual([[TYPE_SOURCE, 12, 16]]);
    state = apply(state, false, [{ from: 0, to: 5, severity: 'error', message: 'again' }]);
    state = apply(state, true, []);
    expect(all(state)).toEqual([['run', 0, 5]]);
  });

  it('keeps the other kind where the edits moved it', () => {
    let state = EditorState.create({ doc: 'const a = b.mull(1);\n' });
    state = apply(state, true, toCmDiagnostics([typeDiag(12, 16)], state.doc.length));
    state = state.update({ changes: { from: 0, insert: '// note\n' } }).state;
    state = apply(state, false, []);
    expect(all(state)).toEqual([[TYPE_SOURCE, 20, 24]]);
  });

  it('clamps spans to the document and names the code in the message', () => {
    const [d] = toCmDiagnostics([{ ...typeDiag(3, 50), message: "Property 'mull' does not exist" }], 10);
    expect(d).toMatchObject({ from: 3, to: 10, source: TYPE_SOURCE, severity: 'error', message: "Property 'mull' does not exist (TS2551)" });
  });

  it('gives completions CodeMirror\'s icons by TypeScript\'s kind', () => {
    expect(completionType('method')).toBe('method');
    expect(completionType('const')).toBe('constant');
    expect(completionType('let')).toBe('variable');
    expect(completionType('interface')).toBe('interface');
    expect(completionType('something new')).toBe('text');
  });
});
