import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeBrowser, previewUrl } from '../support/browser.ts';
import { keptPagesForFile } from '../support/keptPages.ts';

const chapter = 'src/content/chapters/calc-16-hessian-vector';

describeBrowser('collapsed source blocks (PyTorch twins, exercise solutions)', () => {
  const kept = keptPagesForFile();

  it('fetch their file on first opening and show its text, highlighted, with no console error', async () => {
    const { page, problems } = await kept.open(previewUrl('calc-16-hessian-vector/'), {}, 'networkidle');
    const cases = [
      { block: 'details.lazy-source[data-torch-for="hvp-demo"]', open: [] as string[], file: `${chapter}/pytorch/hvp_demo.py` },
      { block: 'details.lazy-source[data-solution-for="exercise-power"]', open: ['#exercise-exercise-power details.exercise-solution > summary'], file: `${chapter}/exercise-power.solution.ts` },
    ];
    for (const c of cases) {
      const block = page.locator(c.block);
      expect(await block.getAttribute('data-state')).toBeNull();
      for (const s of c.open) await page.locator(s).click();
      await block.locator(':scope > summary').click();
      await expect.poll(() => block.getAttribute('data-state')).toBe('shown');
      const code = block.locator('pre[data-lazy-code] > code');
      expect(await code.textContent()).toBe(readFileSync(c.file, 'utf8').replace(/\n$/, ''));
      expect(await code.locator('span').count()).toBeGreaterThan(5);
    }
    expect(problems).toEqual({ console: [], failed: [], external: [] });
  });
});
