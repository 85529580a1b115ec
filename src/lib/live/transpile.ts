/**
 * TypeScript → JavaScript for a run: sucrase strips the types and turns `import`s into `require` calls (so the
 * runner decides what each specifier means), keeping line numbers, with a fine-grained source map for columns.
 */
import { transform } from 'sucrase';
import { decodeMappings, offsetToPos, syntaxMessage, type LiveError, type Segment } from './errors.ts';

export type Transpiled = { ok: true; code: string; map: Segment[][] } | { ok: false; error: LiveError };

export function transpile(source: string, filename = 'listing.ts'): Transpiled {
  try {
    const out = transform(source, {
      transforms: ['typescript', 'imports'],
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename.replace(/\.ts$/, '.js') },
      // Type-only imports vanish; value imports the listing never uses still run, as in Node.
      keepUnusedImports: true,
    });
    return { ok: true, code: out.code, map: out.sourceMap ? decodeMappings(out.sourceMap.mappings) : [] };
  } catch (e) {
    const err = e as Error & { pos?: number };
    // sucrase reports "Error transforming x.ts: Unexpected token (3:5)"; the position is taken from the character
    // offset instead, and the message is put in the reader's words.
    const offset = typeof err.pos === 'number' ? err.pos : undefined;
    const message = syntaxMessage(String(err.message ?? e), source, offset);
    const pos = offset !== undefined ? offsetToPos(source, offset) : undefined;
    return { ok: false, error: { name: 'SyntaxError', message, pos } };
  }
}
