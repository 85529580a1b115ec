import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:4412/course/calc-16-hessian-vector/';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new','--no-sandbox','--disable-gpu'] });
for (const scheme of ['light', 'dark']) for (const width of [360, 1280]) for (const js of [true, false]) {
  const ctx = await b.newContext({ viewport: { width, height: 900 }, colorScheme: scheme, javaScriptEnabled: js, deviceScaleFactor: 1, ...(width === 360 ? { isMobile: true, hasTouch: true } : {}) });
  const p = await ctx.newPage();
  await p.goto(base + (js ? '#race.v=1&race.lr=0.5' : ''), { waitUntil: 'load' });
  for (const name of ['quad', 'race', 'hvp']) {
    const fig = p.locator(`[data-figure="${name}"]`);
    await fig.scrollIntoViewIfNeeded();
    if (js) await p.waitForSelector(`[data-figure="${name}"][data-hydrated="true"]`, { timeout: 20000 });
    await p.waitForTimeout(1600);
    await fig.screenshot({ path: `/tmp/shots/${name}-${width}-${scheme}-${js ? 'js' : 'nojs'}.png` });
  }
  if (width === 360) {
    const regions = p.locator('main .scroll-x:has(.katex-display)');
    const n = await regions.count();
    for (let i = 0; i < Math.min(n, 8); i++) {
      const r = regions.nth(i);
      if (await r.evaluate((e) => e.scrollWidth > e.clientWidth)) { await r.scrollIntoViewIfNeeded(); await r.screenshot({ path: `/tmp/shots/math${i}-${scheme}-${js ? 'js' : 'nojs'}.png` }); }
    }
    await p.evaluate(() => scrollTo(0, 0));
    await p.screenshot({ path: `/tmp/shots/top-${width}-${scheme}-${js ? 'js' : 'nojs'}.png` });
  }
  await ctx.close();
}
await b.close();
