/**
 * exerciseTitles() = `<chapter>/<exercise>` → title, for every exercise with checks. Build time only (the page
 * never imports the checks: they load into the runner worker when the reader presses Check).
 */
// Only the title is read here (site helpers import nothing from the live-code folder: README, Architecture).
const specs = import.meta.glob<{ title: string }>('../../content/chapters/*/*.check.ts', { eager: true, import: 'default' });

export function exerciseTitles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, spec] of Object.entries(specs)) {
    const m = /chapters\/([^/]+)\/([^/]+)\.check\.ts$/.exec(path);
    if (m) out[`${m[1]}/${m[2]}`] = spec.title;
  }
  return out;
}
