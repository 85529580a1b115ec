import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromiumFlags, describeBrowser, findChromium, previewUrl } from '../support/browser.ts';

/**
 * Lighthouse 12.2.3 with its default (mobile, simulated throttling) configuration on the chapter page.
 * The scores are printed; the floors are asserted: performance ≥ 95, accessibility 100.
 */
describeBrowser('Lighthouse on the chapter (mobile preset)', () => {
  let chrome: chromeLauncher.LaunchedChrome;
  beforeAll(async () => {
    chrome = await chromeLauncher.launch({
      chromePath: findChromium()!,
      chromeFlags: chromiumFlags,
    });
  });
  afterAll(async () => {
    chrome?.kill();
  });

  it('scores performance ≥ 95 and accessibility 100', async () => {
    const result = await lighthouse(previewUrl('calc-16-hessian-vector/'), {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
    });
    const lhr = result!.lhr;
    const perf = Math.round((lhr.categories.performance.score ?? 0) * 100);
    const a11y = Math.round((lhr.categories.accessibility.score ?? 0) * 100);
    const metric = (id: string) => lhr.audits[id]?.displayValue ?? 'n/a';
    console.log(
      `\nLighthouse ${lhr.lighthouseVersion} (${lhr.configSettings.formFactor}, ${lhr.configSettings.throttlingMethod}) on the chapter:` +
        ` performance ${perf}, accessibility ${a11y};` +
        ` FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}`,
    );
    const failedA11y = Object.values(lhr.audits)
      .filter((a) => a.score === 0 && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id && r.weight > 0))
      .map((a) => `${a.id}: ${a.title}`);
    expect(failedA11y).toEqual([]);
    expect(a11y).toBe(100);
    expect(perf).toBeGreaterThanOrEqual(95);
  }, 180_000);
});
