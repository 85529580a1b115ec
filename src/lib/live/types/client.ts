/**
 * The page's side of the type checker: starts the worker on the first request (never before), sends requests and
 * matches answers by id. Small on purpose: it ships in the editor's chunk, while TypeScript stays in the worker's.
 * A worker that fails to load rejects what is pending with a message for the reader, and the next request starts a
 * new one.
 */
import { isTypeResponse, type TypeRequest, type TypeResponse } from './protocol.ts';

/** What the client needs of a Worker (a fake in the Node tests). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message' | 'error', listener: (e: Event) => void): void;
}

/** Starts the type-checking worker (its own chunk, from this site: the page's `worker-src 'self'`). */
export function spawnTypeWorker(): WorkerLike {
  return new Worker(new URL('./types.worker.ts', import.meta.url), { type: 'module', name: 'types' });
}

const answers = { check: 'diagnostics', complete: 'completions', hover: 'hover', details: 'details' } as const;
type Answer<T extends TypeRequest['type']> = Extract<TypeResponse, { type: (typeof answers)[T] }>;
type Pending = { expect: TypeResponse['type']; resolve: (r: TypeResponse) => void; reject: (e: Error) => void };
type RequestBody = TypeRequest extends infer R ? (R extends TypeRequest ? Omit<R, 'id'> : never) : never;

export class TypeClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  constructor(private spawn: () => WorkerLike = spawnTypeWorker) {}

  /** Whether the worker has been started (the compiler is loaded or loading). */
  get started(): boolean {
    return this.worker !== null;
  }

  /** Sends a request; resolves with its answer, rejects with the worker's message or when the worker fails. */
  request<R extends RequestBody>(body: R): Promise<Answer<R['type']>> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const expect = answers[body.type];
    return new Promise<TypeResponse>((resolve, reject) => {
      this.pending.set(id, { expect, resolve, reject });
      worker.postMessage({ ...body, id });
    }) as Promise<Answer<R['type']>>;
  }

  /** Ends the worker; what is pending is rejected. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll('the type checker was stopped');
  }

  private start(): WorkerLike {
    const worker = this.spawn();
    this.worker = worker;
    worker.addEventListener('message', (e) => {
      const data = (e as MessageEvent).data;
      if (!isTypeResponse(data)) return;
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.type === 'failed') p.reject(new Error(data.message));
      else if (data.type !== p.expect) p.reject(new Error(`the type checker answered '${data.type}' to a '${p.expect}' request`));
      else p.resolve(data);
    });
    worker.addEventListener('error', (e) => {
      if (this.worker !== worker) return;
      e.preventDefault?.();
      worker.terminate();
      this.worker = null;
      this.failAll('the type checker could not load or stopped working');
    });
    return worker;
  }

  private failAll(message: string): void {
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
  }
}
