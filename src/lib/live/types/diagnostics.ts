/**
 * TypeScript's diagnostics in the reader's terms: character offsets → 1-based line and column of the listing,
 * message chains → one text. Pure: takes the shapes TypeScript returns, not the compiler, so the page and Node
 * tests use it without loading TypeScript.
 */
import type { TypeDiagnostic } from './protocol.ts';

/** TypeScript's `DiagnosticMessageChain`, the part we read. */
export interface MessageChain {
  messageText: string;
  next?: MessageChain[];
}

/** TypeScript's `Diagnostic`, the part we read. */
export interface TsDiagnosticLike {
  start?: number;
  length?: number;
  messageText: string | MessageChain;
  category: number;
  code: number;
}

/** TypeScript's `DiagnosticCategory`: Warning 0, Error 1, Suggestion 2, Message 3. */
const severities = ['warning', 'error', 'info', 'info'] as const;

/**
 * flatten(chain) = the chain's texts, each on its own line, indented two spaces per level (as `tsc` prints them).
 */
export function flattenMessage(text: string | MessageChain, depth = 0): string {
  if (typeof text === 'string') return text;
  const head = '  '.repeat(depth) + text.messageText;
  const rest = (text.next ?? []).map((n) => flattenMessage(n, depth + 1));
  return [head, ...rest].join('\n');
}

/** offset → { line, column }, both 1-based, in `source` (an offset past the end is clamped to it). */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const at = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < at; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: at - lineStart + 1 };
}

/**
 * The listing's diagnostics, ordered by position: `from`/`to` are offsets in `source` (an empty span is widened to
 * one character where the text allows, so the editor can mark it), `line`/`column` where it starts.
 */
export function toTypeDiagnostics(diagnostics: readonly TsDiagnosticLike[], source: string): TypeDiagnostic[] {
  return diagnostics
    .map((d) => {
      const from = Math.max(0, Math.min(d.start ?? 0, source.length));
      let to = Math.min(source.length, from + Math.max(0, d.length ?? 0));
      if (to === from && to < source.length) to++;
      const { line, column } = lineColumn(source, from);
      return { from, to, line, column, code: d.code, severity: severities[d.category] ?? 'error', message: flattenMessage(d.messageText) };
    })
    .sort((a, b) => a.from - b.from || a.to - b.to);
}

/** `Line 3, column 11: TS2551 Property 'mull' does not exist…` (first line of the message), for status and lists. */
export function describeTypeDiagnostic(d: TypeDiagnostic): string {
  return `Line ${d.line}, column ${d.column}: ${d.message.split('\n')[0]} (TS${d.code})`;
}
