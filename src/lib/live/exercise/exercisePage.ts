/**
 * The Check button of an `<Exercise>`, loaded on its first press: opens the exercise's editor (the LiveCode
 * machinery, without running), runs the reader's code in a fresh runner worker with the exercise's checks, and shows
 * one line per check, the summary, and the solved mark. Everything the worker sent is shown as text, never markup.
 */
import { RunController } from '../controller.ts';
import { mount } from '../editor.ts';
import type { LiveError } from '../errors.ts';
import { spawnRunner } from '../spawn.ts';
import { defaultStorage } from '../storage.ts';
import type { CheckResult } from './checks.ts';
import { feedback, type CheckOutcome } from './feedback.ts';
import { markSolved } from './progress.ts';
import { renderProgress } from './progressMarks.ts';

const controllers = new WeakMap<HTMLElement, RunController>();

function part<T extends HTMLElement>(root: HTMLElement, name: string): T {
  const e = root.querySelector<T>(`[data-exercise-part="${name}"]`);
  if (!e) throw new Error(`exercise: missing [data-exercise-part="${name}"]`);
  return e;
}

/** One result row: a passed/failed word (not only a colour or a glyph), the check's label and its message. */
function row(r: CheckResult): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.passed = String(r.passed);
  const verdict = document.createElement('span');
  verdict.className = 'exercise-verdict';
  verdict.textContent = r.passed ? '✓ Passed' : '✗ Failed';
  const label = document.createElement('span');
  label.className = 'exercise-label';
  label.textContent = r.label;
  li.append(verdict, ' ', label);
  if (r.message) {
    const message = document.createElement('span');
    message.className = 'exercise-message';
    message.textContent = r.message;
    li.append(message);
  }
  return li;
}

/** Checks the code in the exercise's editor (opened first if needed) and shows the verdicts. */
export async function check(root: HTMLElement): Promise<void> {
  const chapter = root.dataset.chapter!;
  const id = root.dataset.exercise!;
  const live = root.querySelector<HTMLElement>('[data-island="live-code"]');
  if (!live) throw new Error('exercise: missing its listing');
  const status = part(root, 'status');
  const list = part<HTMLUListElement>(root, 'results');
  const timeoutMs = Number(live.dataset.timeout) || 3000;
  root.dataset.state = 'checking';
  status.dataset.tone = '';
  status.textContent = `Checking… (stops after ${timeoutMs / 1000} s)`;
  let editor: Awaited<ReturnType<typeof mount>>;
  try {
    editor = await mount(live, { run: false });
  } catch (e) {
    status.textContent = `The editor could not load (${(e as Error).message}). Check your connection and try again.`;
    status.dataset.tone = 'danger';
    root.dataset.state = 'failed';
    return;
  }
  let controller = controllers.get(root);
  if (!controller) {
    controller = new RunController({ spawn: () => spawnRunner(`${id}-check`), timeoutMs });
    controllers.set(root, controller);
  }
  let results: CheckResult[] | null = null;
  let problem: string | null = null;
  let error: LiveError | null = null;
  const finish = (ended: CheckOutcome['ended']) => {
    const f = feedback({ results, problem, error, ended });
    editor.markError(error);
    list.replaceChildren(...(results ?? []).map(row));
    list.hidden = !results?.length;
    status.textContent = f.summary;
    status.dataset.tone = f.tone;
    if (f.solved) {
      if (!markSolved(defaultStorage(), { chapter, id, now: Date.now() })) status.textContent += ' (This browser does not let the page remember it.)';
      renderProgress(document);
    }
    root.dataset.state = f.solved ? 'solved' : 'failed';
    // How many checks have finished on this page (a new verdict is visible to tests and tools by this count).
    root.dataset.checked = String((Number(root.dataset.checked) || 0) + 1);
  };
  controller.run(
    editor.code,
    live.dataset.filename ?? `${id}.ts`,
    {
      message: (m) => {
        if (m.type === 'checks' && results === null) ({ results, problem } = m);
        else if (m.type === 'error' && !error) error = m.error;
        else if (m.type === 'done') finish({ kind: 'done', ok: m.ok });
      },
      stopped: (reason, _ms, detail) => finish(reason === 'timeout' ? { kind: 'timeout', seconds: timeoutMs / 1000 } : { kind: reason, detail }),
      exited: (detail) => finish({ kind: 'exited', detail }),
      crashed: (message) => finish({ kind: 'crashed', detail: message }),
    },
    { check: `${chapter}/${id}` },
  );
}
