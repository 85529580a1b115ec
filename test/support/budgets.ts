/**
 * Every budget of the site in one table: bytes (deterministic, also asserted by `npm test`) and speed (measured
 * by `npm run perf` only, never asserted by a test, since a busy machine is slow without anything being wrong).
 * `docs/perf.md` is generated from these entries and the latest measurement.
 */
export interface Budget {
  /** Key in docs/perf.json. */
  id: string;
  /** What is measured, as the table shows it. */
  what: string;
  unit: 'KB' | 'ms' | 's' | 'score';
  /** `max`: the figure must be at most `limit`; `min`: at least. */
  kind: 'max' | 'min';
  limit: number;
  /** Whether `npm test` asserts it too (byte sizes are the same on every machine). */
  tested: boolean;
  /** Why this budget, in a sentence or two. */
  why: string;
}

const KB = 1024;

/** Byte budgets in bytes, for the tests that assert them. */
export const BYTES = {
  chapterInitialJs: 15 * KB,
  liveBootstrap: 2 * KB,
  editorAndTranspiler: 250 * KB,
  chapterHtmlCss: 100 * KB,
  plot: 140 * KB,
} as const;

export const BUDGETS: Budget[] = [
  {
    id: 'chapterInitialJs', what: 'JS at the top of the chapter (gzip)', unit: 'KB', kind: 'max', limit: BYTES.chapterInitialJs / KB, tested: true,
    why: 'Everything a reader downloads before touching anything: the island bootstraps only. Figures, Plot and the editor load later, on approach or on click.',
  },
  {
    id: 'liveBootstrap', what: 'live-code bootstrap (gzip)', unit: 'KB', kind: 'max', limit: BYTES.liveBootstrap / KB, tested: true,
    why: 'The only live-code script that ships with the page; it waits for the click on "Edit & run".',
  },
  {
    id: 'chapterHtmlCss', what: 'chapter HTML + CSS (gzip, fonts excluded)', unit: 'KB', kind: 'max', limit: BYTES.chapterHtmlCss / KB, tested: true,
    why: 'The chapter reads completely from its HTML and CSS (math typeset at build time, static SVG figures); this keeps a long chapter quick on a phone.',
  },
  {
    id: 'editorAndTranspiler', what: 'editor + transpiler on "Edit & run" (gzip)', unit: 'KB', kind: 'max', limit: BYTES.editorAndTranspiler / KB, tested: true,
    why: 'CodeMirror, the live-code UI and the TypeScript-stripping runner worker: what the first click costs before any output.',
  },
  {
    id: 'plot', what: 'Observable Plot chunk (gzip)', unit: 'KB', kind: 'max', limit: BYTES.plot / KB, tested: true,
    why: 'Plot with d3 is the largest library a figure loads; the budget catches a second copy or an accidental full d3.',
  },
  {
    id: 'typeCheckerGz', what: 'type checker on "Check types" (gzip)', unit: 'KB', kind: 'max', limit: 1700, tested: false,
    why: 'TypeScript, the library\'s sources and the lib files, in their own worker chunk: loaded only when a reader asks for types, never with the page or on "Edit & run" (a build test holds that), so its size is reported, not tested.',
  },
  {
    id: 'buildSeconds', what: 'npm run build (wall)', unit: 's', kind: 'max', limit: 30, tested: false,
    why: 'Authors rebuild often; the build typesets every formula and renders every static figure.',
  },
  {
    id: 'lighthousePerformance', what: 'Lighthouse mobile performance (median)', unit: 'score', kind: 'min', limit: 95, tested: false,
    why: "Lighthouse 12's mobile preset (simulated slow 4G, 4× CPU slowdown) on the chapter page, median of the runs.",
  },
  {
    id: 'lighthouseAccessibility', what: 'Lighthouse mobile accessibility', unit: 'score', kind: 'min', limit: 100, tested: false,
    why: 'The same run\'s accessibility score; axe-core checks in `npm test` hold the same rules on every page and state.',
  },
  {
    id: 'redrawMedianMs', what: 'figure redraw after a control change, median (worst figure)', unit: 'ms', kind: 'max', limit: 100, tested: false,
    why: 'From a changed field to the new picture (the figure\'s own performance.measure); under 100 ms reads as immediate.',
  },
  {
    id: 'redrawMaxMs', what: 'figure redraw, max (worst figure)', unit: 'ms', kind: 'max', limit: 250, tested: false,
    why: 'The slowest single redraw, so that no control feels stuck.',
  },
  {
    id: 'firstOutputColdMs', what: 'click "Edit & run" → first output, cold (median)', unit: 'ms', kind: 'max', limit: 5000, tested: false,
    why: 'A fresh browser: the editor, the worker, the transpiler and the library are fetched, then the listing runs.',
  },
  {
    id: 'firstOutputWarmMs', what: 'click "Edit & run" → first output, warm (median)', unit: 'ms', kind: 'max', limit: 1500, tested: false,
    why: 'The same after a reload, with the chunks in the HTTP cache: what a returning reader waits.',
  },
  {
    id: 'mamlTrainSeconds', what: 'MAML figure: Train → trained, default settings (median)', unit: 's', kind: 'max', limit: 10, tested: false,
    why: 'Meta-training MAML, first-order MAML and Reptile in the figure\'s worker until the fit clearly beats the untrained start on unseen tasks: a reader waits for it.',
  },
  {
    id: 'typesFirstMs', what: 'click "Check types" → first diagnostics, cold (median)', unit: 'ms', kind: 'max', limit: 8000, tested: false,
    why: 'A fresh browser: the type checker\'s chunk is fetched and compiled, the language service reads the library, then answers. Running code never waits for it.',
  },
];

/** met / missed for a measured figure. */
export function verdict(b: Budget, value: number): 'met' | 'missed' {
  return (b.kind === 'max' ? value <= b.limit : value >= b.limit) ? 'met' : 'missed';
}
