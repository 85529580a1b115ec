/**
 * One listing's "Check types": asks the worker about the editor's current text, and shows the answer only if the
 * text is still the one that was checked (if the reader typed meanwhile, it checks again). Tells the reader what
 * happens in a status line and the page's tests in a state. Independent of CodeMirror, so it is tested in Node.
 */
import { describeTypeDiagnostic } from './diagnostics.ts';
import type { TypeClient } from './client.ts';
import type { TypeDiagnostic } from './protocol.ts';

/** `idle`: nothing to show; `loading`: the compiler is being fetched; `clean`/`errors`: the current text's answer; `failed`: no answer. */
export type TypeState = 'idle' | 'loading' | 'checking' | 'clean' | 'errors' | 'failed';

export interface CheckSessionOptions {
  client: Pick<TypeClient, 'request' | 'started'>;
  filename: string;
  /** The editor's text now. */
  source: () => string;
  /** Shows diagnostics of the current text in the editor. */
  show: (diagnostics: TypeDiagnostic[]) => void;
  /** Tells the reader (an aria-live region) and the page (a state attribute). */
  report: (state: TypeState, text: string, tone: '' | 'ok' | 'warn' | 'danger') => void;
}

/** How many times a check starts over when the text keeps changing under it. */
const MAX_TRIES = 3;

/** The status line for a checked listing: none, one, or the count and the first. */
export function summarize(diagnostics: readonly TypeDiagnostic[]): string {
  if (diagnostics.length === 0) return 'No type errors.';
  const first = describeTypeDiagnostic(diagnostics[0]);
  if (diagnostics.length === 1) return `1 type error, marked in the editor. ${first}`;
  return `${diagnostics.length} type errors, marked in the editor. The first: ${first}`;
}

export class CheckSession {
  private generation = 0;

  constructor(private options: CheckSessionOptions) {}

  /** Drops the answer of a check in progress and clears the status (the code it was about is gone). */
  cancel(): void {
    this.generation++;
    this.options.report('idle', '', '');
  }

  /** Checks the current text; a newer check makes an older one's answer moot. */
  async check(): Promise<void> {
    const { client, filename, source, show, report } = this.options;
    const generation = ++this.generation;
    if (client.started) report('checking', 'Checking types…', '');
    else report('loading', 'Loading TypeScript to check types (a large download, once per visit; running code does not wait for it)…', '');
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const text = source();
      let diagnostics: TypeDiagnostic[];
      try {
        ({ diagnostics } = await client.request({ type: 'check', filename, source: text }));
      } catch (e) {
        if (generation === this.generation) report('failed', `Types could not be checked: ${(e as Error).message}. Running code does not need the type checker.`, 'danger');
        return;
      }
      if (generation !== this.generation) return;
      if (text === source()) {
        show(diagnostics);
        report(diagnostics.some((d) => d.severity === 'error') ? 'errors' : 'clean', summarize(diagnostics), diagnostics.length ? 'danger' : 'ok');
        return;
      }
      report('checking', 'Checking types again: the code changed during the check…', '');
    }
    report('failed', 'The code kept changing during the check: press Check types when you pause.', 'warn');
  }
}
