import { describe, expect, it } from 'vitest';
import { htmlPages, loadPage } from '../support/dist.ts';

describe('wide math and tables as built', () => {
  it('puts every display formula and every table in a focusable, labelled scroll region', () => {
    const bare: string[] = [];
    let count = 0;
    for (const file of htmlPages()) {
      const doc = loadPage(file);
      for (const el of doc.querySelectorAll('.katex-display, table')) {
        count++;
        const region = el.parentElement;
        const ok =
          region?.classList.contains('scroll-x') &&
          region.getAttribute('role') === 'group' &&
          region.getAttribute('tabindex') === '0' &&
          (region.getAttribute('aria-label') ?? '').trim().length > 0;
        if (!ok) bare.push(`${file}: ${el.tagName.toLowerCase()} ${(el.textContent ?? '').slice(0, 60)}`);
      }
    }
    expect(count).toBeGreaterThan(5);
    expect(bare).toEqual([]);
  });
});
