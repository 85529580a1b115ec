/**
 * `npm run perf`: builds the site with a /course/ base, serves it, drives headless Chromium, and prints every
 * budget of test/support/budgets.ts with the measured figure and met/missed. Writes docs/perf.json (figures,
 * machine, load average) and regenerates docs/perf.md. Exits 0 unless `--strict` is given and a budget is missed:
 * speed is reported, not tested, because a busy machine is slow without anything being wrong.
 *
 * Options: --strict, --quick (one repeat of everything, for trying the script), --no-build (measure dist/ as is).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { Browser, Page } from 'playwright-core';
import { BUDGETS, verdict, type Budget } from '../test/support/budgets.ts';
import { liveCodeBundles } from '../test/support/bundles.ts';
import { chromiumFlags, findChromium, launch } from '../test/support/chromium.ts';
import { pageWeight } from '../test/support/dist.ts';
import { startPreview } from '../test/support/preview.ts';
import { mamlTrainingSeconds } from '../test/support/mamlTraining.ts';

const args = new Set(process.argv.slice(2));
const REPEATS = args.has('--quick') ? 1 : 5;
const LIGHTHOUSE_RUNS = args.has('--quick') ? 1 : 3;
const BASE = '/course/';
const CHAPTER = 'calc-16-hessian-vector/';
/**
 * The figures whose redraws are measured, per chapter. By default the first text field is changed 20 times (by
 * 0.25 to 0.7 around its value); `field` and `value(i)` choose another field and a sequence of new values (never
 * repeated, so no cached computation makes a redraw look cheaper than a reader's first change).
 */
const FIGURE_PAGES: { chapter: string; figures: { name: string; field?: string; value?: (i: number) => string }[] }[] = [
  { chapter: CHAPTER, figures: [{ name: 'quad' }, { name: 'race' }, { name: 'hvp' }] },
  {
    chapter: 'calc-17-higher-order-gradients/',
    figures: [
      // A new T redraws the curve and differentiates through T steps (up to 100).
      { name: 'hyper', field: 'T', value: (i) => String(1 + (i % 100)) },
      // A new λ runs the forward pass through 200 unrolled steps and four CG solves.
      { name: 'implicit', field: 'loglam', value: (i) => String(Number((-2 + 0.01 * (i % 300)).toFixed(2))) },
    ],
  },
];
const CHAPTER_17 = 'calc-17-higher-order-gradients/';
const LISTING = '[data-island="live-code"][data-listing="hvp-demo"]';

/** A robust summary of repeated measurements: median with the range. */
interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}
const stat = (xs: number[]): Stat => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
};

/** One row of the report: a budget (or a per-figure use of one) and what was measured. */
interface Row {
  id: string;
  what: string;
  value: number;
  spread?: string;
  budget: Budget;
}

function build(): number {
  const t0 = performance.now();
  const r = spawnSync(resolve('node_modules/.bin/astro'), ['build'], { env: { ...process.env, BASE_PATH: BASE }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`astro build failed (exit ${r.status})`);
  return (performance.now() - t0) / 1000;
}

function bytes(): Record<string, number> {
  const page = pageWeight(`${CHAPTER}index.html`);
  const live = liveCodeBundles(`${CHAPTER}index.html`);
  const boot = live.rows.find((r) => r.when === 'page load')!;
  return {
    chapterInitialJs: page.jsGzip / 1024,
    liveBootstrap: boot.gz / 1024,
    chapterHtmlCss: (page.htmlGzip + page.cssGzip) / 1024,
    editorAndTranspiler: live.editorAndTranspiler / 1024,
    plot: live.plot / 1024,
    typeCheckerGz: live.typeCheckerGz / 1024,
  };
}

async function lighthouseRuns(url: string): Promise<{ performance: Stat; accessibility: Stat; metrics: string }> {
  const perf: number[] = [];
  const a11y: number[] = [];
  let metrics = '';
  for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
    const chrome = await chromeLauncher.launch({ chromePath: findChromium(process.env, 'reader')!, chromeFlags: chromiumFlags });
    try {
      const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] });
      const lhr = result!.lhr;
      perf.push(Math.round((lhr.categories.performance.score ?? 0) * 100));
      a11y.push(Math.round((lhr.categories.accessibility.score ?? 0) * 100));
      const m = (id: string) => lhr.audits[id]?.displayValue ?? 'n/a';
      // An accessibility score under 100 names the audits that failed, with the first elements each flagged.
      const failed = lhr.categories.accessibility.auditRefs
        .map((ref) => lhr.audits[ref.id])
        .filter((a) => a && a.score !== null && a.score < 1)
        .map((a) => {
          const items = ((a.details as { items?: { node?: { selector?: string } }[] } | undefined)?.items ?? []).slice(0, 3);
          return `${a.id} (${items.map((it) => it.node?.selector ?? '?').join('; ')})`;
        });
      metrics = `Lighthouse ${lhr.lighthouseVersion}: FCP ${m('first-contentful-paint')}, LCP ${m('largest-contentful-paint')}, TBT ${m('total-blocking-time')}, CLS ${m('cumulative-layout-shift')} (last run)${failed.length ? `; accessibility audits failed: ${failed.join(', ')}` : ''}`;
    } finally {
      chrome.kill();
    }
  }
  return { performance: stat(perf), accessibility: stat(a11y), metrics };
}

const nextFrame = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));

/** Per figure: redraw times (the figure's own `fig:<name>` measures) over 20 changes of one of its text fields. */
async function redraws(browser: Browser, base: string): Promise<Record<string, Stat>> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
  const page = await context.newPage();
  const out: Record<string, Stat> = {};
  for (const { chapter, figures } of FIGURE_PAGES) {
    await page.goto(base + chapter, { waitUntil: 'networkidle' });
    for (const { name, field, value } of figures) {
      await page.locator(`[data-figure="${name}"]`).scrollIntoViewIfNeeded();
      await page.waitForSelector(`[data-figure="${name}"][data-hydrated="true"]`, { timeout: 60_000 });
      const input = page.locator(`[data-figure="${name}"] input[type="text"]${field ? `[name="${field}"]` : ''}`).first();
      const original = Number(await input.inputValue());
      await page.evaluate(() => performance.clearMeasures());
      for (let i = 0; i < 20 * REPEATS; i++) {
        await input.fill(value ? value(i) : String(original + (i % 2 ? 0.5 : 0.25) * (1 + (i % 5) / 10)));
        await nextFrame(page);
      }
      const ms = await page.evaluate((n) => performance.getEntriesByName(`fig:${n}`, 'measure').map((m) => m.duration), name);
      if (ms.length === 0) throw new Error(`figure ${name} recorded no redraws`);
      out[name] = stat(ms);
    }
  }
  await context.close();
  return out;
}

/** Click on "Edit & run" to first output: cold (new context) and warm (reload, HTTP cache kept), interleaved. */
async function firstOutput(browser: Browser, url: string): Promise<{ cold: Stat; warm: Stat }> {
  const cold: number[] = [];
  const warm: number[] = [];
  const once = async (page: Page) => {
    await page.locator(`${LISTING} [data-live="edit"]`).click();
    const ms = await page.waitForFunction((sel) => document.querySelector<HTMLElement>(sel)?.dataset.firstOutputMs, LISTING, { timeout: 60_000 });
    return Number(await ms.jsonValue());
  };
  for (let i = 0; i < REPEATS; i++) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'networkidle' });
    cold.push(await once(page));
    await page.evaluate(() => localStorage.clear());
    await page.reload({ waitUntil: 'networkidle' });
    warm.push(await once(page));
    await context.close();
  }
  return { cold: stat(cold), warm: stat(warm) };
}

/** Click on "Check types" (editor open, TypeScript not loaded yet) to the first diagnostics, each in a new context. */
async function firstDiagnostics(browser: Browser, url: string): Promise<Stat> {
  const ms: number[] = [];
  for (let i = 0; i < Math.min(REPEATS, 3); i++) {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.locator(`${LISTING} [data-live="edit"]`).click();
    await page.waitForSelector(`${LISTING}[data-state="done"]`, { timeout: 60_000 });
    await page.locator(`${LISTING} [data-live="types"]`).click();
    const t = await page.waitForFunction((sel) => document.querySelector<HTMLElement>(sel)?.dataset.typesFirstMs, LISTING, { timeout: 180_000 });
    ms.push(Number(await t.jsonValue()));
    await context.close();
  }
  return stat(ms);
}

const fmtValue = (v: number, unit: Budget['unit']) => (unit === 'KB' ? v.toFixed(1) : unit === 's' ? v.toFixed(1) : unit === 'ms' ? v.toFixed(v < 10 ? 2 : 0) : v.toFixed(0));
const fmtSpread = (s: Stat, unit: Budget['unit']) => `${fmtValue(s.min, unit)}–${fmtValue(s.max, unit)}, n = ${s.n}`;

function rows(m: Awaited<ReturnType<typeof measure>>): Row[] {
  const b = (id: string) => BUDGETS.find((x) => x.id === id)!;
  const out: Row[] = [];
  for (const [id, value] of Object.entries(m.bytes)) out.push({ id, what: b(id).what, value, budget: b(id) });
  out.push({ id: 'buildSeconds', what: b('buildSeconds').what, value: m.buildSeconds, budget: b('buildSeconds') });
  for (const [id, s] of [['lighthousePerformance', m.lighthouse.performance], ['lighthouseAccessibility', m.lighthouse.accessibility]] as const)
    out.push({ id, what: b(id).what, value: s.median, spread: fmtSpread(s, 'score'), budget: b(id) });
  for (const [fig, s] of Object.entries(m.redraw)) {
    out.push({ id: `redrawMedianMs.${fig}`, what: `redraw of figure "${fig}", median`, value: s.median, spread: fmtSpread(s, 'ms'), budget: b('redrawMedianMs') });
    out.push({ id: `redrawMaxMs.${fig}`, what: `redraw of figure "${fig}", max`, value: s.max, budget: b('redrawMaxMs') });
  }
  out.push({ id: 'firstOutputColdMs', what: b('firstOutputColdMs').what, value: m.firstOutput.cold.median, spread: fmtSpread(m.firstOutput.cold, 'ms'), budget: b('firstOutputColdMs') });
  out.push({ id: 'firstOutputWarmMs', what: b('firstOutputWarmMs').what, value: m.firstOutput.warm.median, spread: fmtSpread(m.firstOutput.warm, 'ms'), budget: b('firstOutputWarmMs') });
  out.push({ id: 'mamlTrainSeconds', what: b('mamlTrainSeconds').what, value: m.mamlTrain.median, spread: fmtSpread(m.mamlTrain, 's'), budget: b('mamlTrainSeconds') });
  out.push({ id: 'typesFirstMs', what: b('typesFirstMs').what, value: m.typesFirst.median, spread: fmtSpread(m.typesFirst, 'ms'), budget: b('typesFirstMs') });
  return out;
}

async function measure() {
  const load = { before: loadavg() };
  const buildSeconds = args.has('--no-build') ? NaN : build();
  const preview = await startPreview({ outDir: 'dist', base: BASE, port: 4392 });
  const url = preview.url + CHAPTER;
  try {
    const browser = await launch('reader');
    try {
      // Interleaved with Lighthouse so a burst of load does not fall on one measurement only.
      const redraw = await redraws(browser, preview.url);
      const firstOut = await firstOutput(browser, url);
      const mamlTrain = stat(await mamlTrainingSeconds(browser, preview.url + CHAPTER_17, Math.min(REPEATS, 3)));
      const typesFirst = await firstDiagnostics(browser, url);
      const lh = await lighthouseRuns(url);
      return { buildSeconds, bytes: bytes(), lighthouse: lh, redraw, firstOutput: firstOut, mamlTrain, typesFirst, load: { ...load, after: loadavg() } };
    } finally {
      await browser.close();
    }
  } finally {
    preview.stop();
  }
}

function machine() {
  const chromium = findChromium(process.env, 'reader');
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromium ? execFileSync(chromium, ['--version'], { encoding: 'utf8' }).trim() : 'none',
    platform: `${process.platform} ${process.arch}`,
  };
}

function table(rs: Row[]): string {
  const head = '| measure | figure | budget | verdict | spread |\n| --- | --- | --- | --- | --- |';
  const line = (r: Row) => {
    const u = r.budget.unit === 'score' ? '' : ` ${r.budget.unit}`;
    const lim = `${r.budget.kind === 'max' ? '≤' : '≥'} ${r.budget.limit}${u}`;
    const v = Number.isNaN(r.value) ? 'not measured' : `${fmtValue(r.value, r.budget.unit)}${u}`;
    const verdictText = Number.isNaN(r.value) ? '—' : verdict(r.budget, r.value);
    return `| ${r.what} | ${v} | ${lim} | ${verdictText} | ${r.spread ?? ''} |`;
  };
  return [head, ...rs.map(line)].join('\n');
}

function perfMd(rs: Row[], meta: { date: string; machine: ReturnType<typeof machine>; load: { before: number[]; after: number[] }; metrics: string }): string {
  const budgets = BUDGETS.map((b) => `- **${b.what}** (${b.kind === 'max' ? 'at most' : 'at least'} ${b.limit}${b.unit === 'score' ? '' : ' ' + b.unit}${b.tested ? '; also asserted by `npm test`' : ''}). ${b.why}`).join('\n');
  const m = meta.machine;
  return `# Performance budgets

\`npm run perf\` builds the site with a \`/course/\` base, serves it with \`astro preview\`, drives headless Chromium,
and prints the table below; it writes the figures to \`docs/perf.json\` and regenerates this page. Speed is never
asserted by \`npm test\` (a busy machine is slow without anything being wrong): only the byte budgets, which are the
same on every machine, are tests too. \`npm run perf -- --strict\` exits 1 when a budget is missed.

Timings are medians of repeated, interleaved measurements with their range; the load average before and after
the run says how busy the machine was. Redraws are the figures' own \`performance.measure\` entries over ${20 * REPEATS}
changes of a field each; first output is ${REPEATS} cold (new browser context) and ${REPEATS} warm (reload, chunks in the HTTP cache)
clicks on "Edit & run", interleaved; first diagnostics is ${Math.min(REPEATS, 3)} clicks on "Check types", each in a new context; the MAML figure trains ${Math.min(REPEATS, 3)} times with its defaults (Train → "trained"); Lighthouse runs ${LIGHTHOUSE_RUNS} times with its mobile preset.

## Latest measurement

${meta.date} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, ${m.chromium};
load average ${meta.load.before.map((x) => x.toFixed(2)).join(' / ')} before and ${meta.load.after.map((x) => x.toFixed(2)).join(' / ')} after (1 / 5 / 15 min).

${table(rs)}

${meta.metrics}

## The budgets

${budgets}
`;
}

const m = await measure();
const rs = rows(m);
const date = new Date().toISOString();
const meta = { date, machine: machine(), load: m.load, metrics: m.lighthouse.metrics };
console.log(`\n${table(rs)}\n\n${meta.metrics}\nload average ${m.load.before.map((x) => x.toFixed(2)).join(' ')} → ${m.load.after.map((x) => x.toFixed(2)).join(' ')}`);
writeFileSync(
  'docs/perf.json',
  JSON.stringify({ ...meta, figures: Object.fromEntries(rs.map((r) => [r.id, { value: r.value, spread: r.spread, budget: r.budget.limit, kind: r.budget.kind, unit: r.budget.unit, verdict: Number.isNaN(r.value) ? null : verdict(r.budget, r.value) }])) }, null, 2) + '\n',
);
writeFileSync('docs/perf.md', perfMd(rs, meta));
const missed = rs.filter((r) => !Number.isNaN(r.value) && verdict(r.budget, r.value) === 'missed');
console.log(missed.length ? `\n${missed.length} budget(s) missed: ${missed.map((r) => r.id).join(', ')}` : '\nEvery budget met.');
if (args.has('--strict') && missed.length) process.exit(1);
