/**
 * Where the runner finds an exercise's checks: every `src/content/chapters/<chapter>/<exercise>.check.ts`, loaded
 * on demand. Only the runner worker imports this module, so the checks are bundled as worker-side chunks that the
 * page itself never loads.
 */
import type { ExerciseChecks } from './checks.ts';

const loaders = import.meta.glob<{ default: ExerciseChecks<unknown> }>('../../../content/chapters/*/*.check.ts');

/** An exercise's key: `<chapter folder>/<exercise file name without .check.ts>`. */
export const exerciseKeyPattern = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/;

/** exerciseKeys() = every exercise that has checks, as `<chapter>/<exercise>`, sorted. */
export function exerciseKeys(): string[] {
  return Object.keys(loaders)
    .map((p) => /chapters\/([^/]+)\/([^/]+)\.check\.ts$/.exec(p))
    .filter((m): m is RegExpExecArray => !!m)
    .map((m) => `${m[1]}/${m[2]}`)
    .sort();
}

/** loadChecks(key) = the exercise's checks; an unknown or malformed key is an error naming it. */
export async function loadChecks(key: string): Promise<ExerciseChecks<unknown>> {
  if (typeof key !== 'string' || !exerciseKeyPattern.test(key)) throw new Error(`unknown exercise ${JSON.stringify(key)}: expected '<chapter>/<exercise>'`);
  const load = loaders[`../../../content/chapters/${key}.check.ts`];
  if (!load) throw new Error(`unknown exercise '${key}': no ${key}.check.ts in src/content/chapters`);
  const mod = await load();
  return mod.default;
}
