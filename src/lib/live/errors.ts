/**
 * Error locations in the reader's own source. Syntax errors come from the transpiler with a character offset;
 * runtime errors carry a stack whose frames name the run's `sourceURL`, at a line shifted by the function
 * wrapper, in the transpiled code, which the transpiler's source map takes back to the TypeScript the reader wrote.
 * Lines and columns here are 1-based, as editors show them.
 */

export interface SourcePos {
  line: number;
  column: number;
}

export interface LiveError {
  name: string;
  message: string;
  /** Where in the reader's source, when known. */
  pos?: SourcePos;
}

/** pos(source, offset) = the 1-based line and column of a character offset. */
export function offsetToPos(source: string, offset: number): SourcePos {
  const before = source.slice(0, Math.max(0, Math.min(offset, source.length)));
  const nl = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - nl };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One decoded segment: generated column (0-based) → original line and column (0-based). */
export interface Segment {
  genColumn: number;
  srcLine: number;
  srcColumn: number;
}

/** Decodes a v3 source map's `mappings` (single source) into segments per generated line. */
export function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segs: Segment[] = [];
    let genColumn = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        if (digit < 0) throw new Error(`bad source map character ${ch}`);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genColumn += fields[0];
      if (fields.length >= 4) {
        srcLine += fields[2];
        srcColumn += fields[3];
        segs.push({ genColumn, srcLine, srcColumn });
      }
    }
    lines.push(segs);
  }
  return lines;
}

/**
 * originalPosition(map, pos) = where a generated 1-based position came from: the last segment at or before the
 * column on that line (the token it falls in), keeping the offset inside the token. Falls back to the same line
 * when the map says nothing (the transpiler keeps line numbers).
 */
export function originalPosition(map: Segment[][], pos: SourcePos): SourcePos {
  const segs = map[pos.line - 1] ?? [];
  const col0 = pos.column - 1;
  let i = -1;
  while (i + 1 < segs.length && segs[i + 1].genColumn <= col0) i++;
  if (i < 0) return segs.length ? { line: segs[0].srcLine + 1, column: segs[0].srcColumn + 1 } : pos;
  const best = segs[i];
  const next = segs[i + 1];
  // Inside a token the transpiler copied, keep the offset; inside one it rewrote (`tensor` → `_m.tensor`),
  // point at the start of the original token.
  const copied = !next || (next.srcLine === best.srcLine && next.genColumn - best.genColumn === next.srcColumn - best.srcColumn);
  return { line: best.srcLine + 1, column: best.srcColumn + 1 + (copied ? col0 - best.genColumn : 0) };
}

/**
 * The first stack frame that points into the run's code, named by `sourceURL`, as a 1-based position in the
 * transpiled code (the wrapper's `lineOffset` removed). V8 writes `at f (live-3.js:12:5)`, Firefox and Safari
 * `f@live-3.js:12:5`.
 */
export function frameInSource(stack: string, sourceURL: string, lineOffset: number): SourcePos | null {
  const escaped = sourceURL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  if (!m) return null;
  const line = Number(m[1]) - lineOffset;
  return line >= 1 ? { line, column: Number(m[2]) } : null;
}

/**
 * The transpiler's message in the reader's words: `Error transforming x.ts: Unexpected token, expected ";"` →
 * `expected ';'`; a bare `Unexpected token` names the character found there (`unexpected ';'`).
 */
export function syntaxMessage(raw: string, source: string, offset?: number): string {
  let m = raw.replace(/^Error transforming [^:]*:\s*/, '').replace(/\s*\(\d+:\d+\)\s*$/, '');
  const expected = /^Unexpected token, expected "(.+)"$/.exec(m);
  if (expected) return `expected '${expected[1]}'`;
  if (m === 'Unexpected token') {
    const at = offset === undefined ? undefined : source.slice(offset).match(/^\S/)?.[0];
    return offset !== undefined && offset >= source.trimEnd().length ? 'unexpected end of the code' : at ? `unexpected '${at}'` : 'unexpected token';
  }
  m = m.replace(/^Unterminated string constant$/, 'unterminated string (a closing quote is missing)');
  return m.charAt(0).toLowerCase() + m.slice(1);
}

/**
 * Formats an error the way the output panel shows it, position first: `Line 3, column 11: expected ';'` for a
 * syntax error, `Line 3, column 5: TypeError: x is not a function` at run time, without a position when unknown.
 */
export function describeError(e: LiveError): string {
  const what = e.name === 'SyntaxError' && e.pos ? e.message : `${e.name}: ${e.message}`;
  return e.pos ? `${positionLabel(e.pos)}: ${what}` : what;
}

/** `Line 3, column 11`. */
export function positionLabel(pos: SourcePos): string {
  return `Line ${pos.line}, column ${pos.column}`;
}

/** Turns anything thrown into a name and a message (code can throw strings, numbers, null). */
export function errorParts(thrown: unknown): { name: string; message: string; stack: string } {
  try {
    return errorPartsOf(thrown);
  } catch {
    // A Proxy that throws on every trap, a getter that throws, a toString that throws: still an error to report.
    return { name: 'Uncaught', message: 'a value that is not an Error (it could not be described)', stack: '' };
  }
}

function errorPartsOf(thrown: unknown): { name: string; message: string; stack: string } {
  if (thrown instanceof Error || (thrown && typeof thrown === 'object' && 'message' in thrown)) {
    const e = thrown as Error;
    return { name: String(e.name ?? 'Error'), message: String(e.message), stack: String(e.stack ?? '') };
  }
  let text: string;
  try {
    text = typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown);
  } catch {
    text = String(thrown);
  }
  return { name: 'Uncaught', message: text, stack: '' };
}
