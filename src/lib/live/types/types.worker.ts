/// <reference lib="webworker" />
/**
 * The type-checking worker: TypeScript's language service over the course library (host.ts), answering the page's
 * requests (protocol.ts) one at a time. Loaded only when the reader asks for types (client.ts): this chunk carries
 * the TypeScript compiler (about 1.7 MB gzipped), the library's sources and the lib files. No reader code runs here;
 * it is only parsed and checked.
 */
import ts from 'typescript';
import { librarySources, tsLibs } from './files.ts';
import { createTypeService, type TypeService } from './host.ts';
import { parseRequest, type TypeRequest, type TypeResponse } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const post = (m: TypeResponse) => self.postMessage(m);
let service: TypeService | null = null;

/** The answer to one request; the service is built on the first one. */
function answer(req: TypeRequest): TypeResponse {
  service ??= createTypeService({ ts, library: librarySources(), libs: tsLibs() });
  switch (req.type) {
    case 'check':
      return { type: 'diagnostics', id: req.id, diagnostics: service.check(req.filename, req.source) };
    case 'complete':
      return { type: 'completions', id: req.id, ...service.complete(req.filename, req.source, req.pos) };
    case 'hover':
      return { type: 'hover', id: req.id, info: service.hover(req.filename, req.source, req.pos) };
    case 'details':
      return { type: 'details', id: req.id, details: service.details(req.filename, req.source, req.pos, req.name) };
  }
}

self.addEventListener('message', (e: MessageEvent<unknown>) => {
  const id = typeof (e.data as { id?: unknown })?.id === 'number' ? (e.data as { id: number }).id : 0;
  try {
    post(answer(parseRequest(e.data)));
  } catch (err) {
    post({ type: 'failed', id, message: err instanceof Error ? err.message : String(err) });
  }
});
