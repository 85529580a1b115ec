/**
 * What a listing may import, and under which names. Listings are written to run under Node as they are, so they
 * import the course library by relative path from their chapter folder; in the page those specifiers (and short
 * aliases) name the same modules, bundled into the runner.
 */

export type ModuleName = 'autodiff' | 'optim' | 'linalg' | 'meta' | 'show';

const aliases: Record<string, ModuleName> = {
  'course/autodiff': 'autodiff',
  'course/optim': 'optim',
  'course/linalg': 'linalg',
  'course/meta': 'meta',
  'course/show': 'show',
  'course/plot': 'show',
};

/**
 * resolveSpecifier(s) = the library module an import specifier names, or null. Accepts any relative path ending
 * in `lib/<name>` (autodiff, optim, linalg, meta) with an optional `/index` and `.ts`/`.js` (`../../../lib/autodiff/index.ts`), `lib/live/show`,
 * and the aliases `course/autodiff`, `course/optim`, `course/linalg`, `course/meta`, `course/show` (also `course/plot`).
 */
export function resolveSpecifier(specifier: string): ModuleName | null {
  if (specifier in aliases) return aliases[specifier];
  const m = /^(?:\.\.?\/)+(?:src\/)?lib\/(autodiff|optim|linalg|meta)(?:\/index)?(?:\.[jt]s)?$/.exec(specifier);
  if (m) return m[1] as ModuleName;
  if (/^(?:\.\.?\/)+(?:src\/)?lib\/live\/show(?:\.[jt]s)?$/.test(specifier)) return 'show';
  return null;
}

/** The error a listing sees when it imports something the page cannot provide. */
export function unknownModuleMessage(specifier: string): string {
  return (
    `Cannot import '${specifier}' here: the page provides the course library only ` +
    `(lib/autodiff, lib/optim, lib/linalg, lib/meta, lib/live/show, or course/autodiff, course/optim, course/linalg, course/meta, course/show).`
  );
}
