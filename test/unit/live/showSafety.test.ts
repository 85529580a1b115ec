import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it } from 'vitest';
import { FigureBudget, runLimits } from '../../../src/lib/live/budget.ts';
import { closest, editDistance } from '../../../src/lib/live/closest.ts';
import { captionText, drawFigure, figureWidth } from '../../../src/lib/live/drawFigure.ts';
import { isSafeText } from '../../../src/lib/live/plotOptions.ts';
import { checkPlot, specLimits, toPlotOptions, type PlotSpec } from '../../../src/lib/live/plotSpec.ts';
import { sanitizeFigure } from '../../../src/lib/live/sanitize.ts';
import { setShowSink, show } from '../../../src/lib/live/show.ts';
import { writeFigure } from '../../../src/lib/live/showNode.ts';

const dot = (options: Record<string, unknown>, data: unknown[] = [{ x: 0, y: 0, u: 'javascript:alert(1)' }]) => ({ marks: [{ mark: 'dot', data, options: { x: 'x', y: 'y', ...options } }] });

describe('show() specs: allow-lists', () => {
  it('refuse the red-team payload and its variants: links, targets, render hooks, URL-valued strings', () => {
    const cases: [unknown, RegExp][] = [
      [dot({ r: 150, href: 'u' }), /marks\[0\]\.options\.href is not allowed: figures cannot contain links/],
      [dot({ 'xlink:href': 'u' }), /unknown option 'xlink:href'/],
      [dot({ target: '_blank' }), /options\.target is not allowed/],
      [dot({ render: 'x' }), /options\.render is not allowed/],
      [dot({ fill: 'JAVASCRIPT:alert(1)' }, [{ x: 0, y: 0 }]), /options\.fill must be plain text .*no URLs/],
      [dot({ fill: ' \tjavascript:alert(1)' }, [{ x: 0, y: 0 }]), /no URLs/],
      [dot({ fill: 'url(https://evil.example/p.svg#a)' }, [{ x: 0, y: 0 }]), /no URLs/],
      [dot({ title: 'u' }), /data must be plain values/], // the data value itself is a javascript: URL
      [dot({ title: 'u' }, [{ x: 0, y: 0, u: 'data:text/html,<b>' }]), /data must be plain values/],
      [dot({ className: 'evil' }, [{ x: 0, y: 0 }]), /className is not allowed/],
      [{ ...dot({}, [{ x: 0, y: 0 }]), style: 'background:url(x)' }, /unknown plot option 'style'/],
    ];
    for (const [spec, re] of cases) expect(() => checkPlot('f', spec), String(re)).toThrow(re);
  });

  it('name the closest valid option for a typo, in marks, scales and at the top level', () => {
    expect(() => checkPlot('f', { tittle: 'x', marks: [{ mark: 'line' }] })).toThrow("unknown plot option 'tittle' — did you mean 'title'?");
    expect(() => checkPlot('f', { marks: [{ mark: 'line', options: { strok: 'red' } }] })).toThrow("unknown option 'strok' for line — did you mean 'stroke'?");
    expect(() => checkPlot('f', { marks: [{ mark: 'line' }], x: { lable: 'x₁' } })).toThrow("unknown scale option 'lable' — did you mean 'label'?");
    expect(() => checkPlot('f', { marks: [{ mark: 'lin' }] })).toThrow("did you mean 'line'?");
    expect(() => checkPlot('f', { marks: [{ mark: 'line', option: {} }] })).toThrow("unknown key 'option' — did you mean 'options'?");
    // Contour-only options are unknown on other marks.
    expect(() => checkPlot('f', { marks: [{ mark: 'line', options: { thresholds: 5 } }] })).toThrow(/unknown option 'thresholds' for line/);
    expect(closest('zzzzzz', ['title', 'width'])).toBeNull();
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('bound what a figure costs before anything is drawn', () => {
    const pts = (n: number) => Array.from({ length: n }, (_, i) => ({ x: i, y: i }));
    expect(() => checkPlot('f', dot({}, pts(specLimits.maxElements + 1)))).toThrow(/would draw 2001 elements; at most 2000/);
    expect(checkPlot('f', dot({}, pts(specLimits.maxElements))).cost).toEqual({ points: 2000, elements: 2000, contourWork: 0 });
    // A line is one path per series: five times the points for the same cost.
    expect(checkPlot('f', { marks: [{ mark: 'line', data: pts(10_000), options: { x: 'x', y: 'y' } }] }).cost.elements).toBe(2000);
    const grid = pts(400).map((p) => ({ ...p, v: p.x }));
    expect(() => checkPlot('f', { marks: [{ mark: 'contour', data: grid, options: { x: 'x', y: 'y', fill: 'v', pixelSize: 0.01, thresholds: 2000 } }] })).toThrow(
      /pixelSize must be a number from 1 to 100/,
    );
    expect(() => checkPlot('f', { marks: [{ mark: 'contour', data: grid, options: { x: 'x', y: 'y', fill: 'v', thresholds: 2000 } }] })).toThrow(/thresholds/);
    expect(() => checkPlot('f', { width: 2000, height: 2000, marks: [{ mark: 'contour', data: grid, options: { x: 'x', y: 'y', fill: 'v', pixelSize: 1, thresholds: 50 } }] })).toThrow(
      /contour grid is too fine/,
    );
    expect(() => checkPlot('f', { ...dot({ r: 150 }, [{ x: 0, y: 0 }]) })).toThrow(/r must be/);
    expect(() => checkPlot('f', { width: 1e6, marks: [{ mark: 'frame' }] })).toThrow(/width must be a number from 50 to 2000/);
    expect(() => checkPlot('f', { marks: [{ mark: 'frame' }], x: { ticks: 1e6 } })).toThrow(/x\.ticks/);
  });

  it('accept the chapter\'s own figures', () => {
    const grid = Array.from({ length: 61 * 61 }, (_, i) => ({ value: i }));
    const contours = { mark: 'contour', data: grid, options: { width: 61, height: 61, x1: -3, x2: 3, y1: -3, y2: 3, value: 'value', fill: 'value', thresholds: 15, stroke: 'currentColor', strokeOpacity: 0.25 } };
    const c = checkPlot('contours', { title: 'f(x) = ½xᵀAx + bᵀx', marks: [contours], color: { scheme: 'blues', reverse: true }, x: { label: 'x₁' }, y: { label: 'x₂' }, aspectRatio: 1 });
    expect(c.cost.contourWork).toBe(61 * 61 * 15);
    const path = [{ x: 2.5, y: -2, k: 0, method: 'SGD', label: 'start' }];
    expect(() =>
      checkPlot('paths', {
        marks: [
          { mark: 'line', data: path, options: { x: 'x', y: 'y', z: 'method', stroke: 'method', marker: 'dot' } },
          { mark: 'text', data: path, options: { x: 'x', y: 'y', text: 'label', fill: 'method', dx: 12, dy: -10, textAnchor: 'start' } },
          { mark: 'dot', data: path, options: { x: 'x', y: 'y', r: 6, symbol: 'star', fill: 'currentColor' } },
        ],
      }),
    ).not.toThrow();
  });

  it('plain text is refused when it looks like a URL, whatever the case or leading space', () => {
    for (const bad of ['javascript:x', 'JavaScript:x', ' \t\njavascript:x', 'java\tscript:x', 'data:text/html,x', 'url(x)', 'URL (x)', 'a\u0001b'])
      expect(isSafeText(bad), bad).toBe(false);
    for (const ok of ['f(x) − f*', 'x₁', 'SGD (lr 0.1)', 'red', '#ff0000']) expect(isSafeText(ok), ok).toBe(true);
  });
});

describe('sanitizeFigure (the second line)', () => {
  it('removes links, event attributes, scripts and outside url() from whatever Plot drew', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    // Bypass the spec checks on purpose: what if a link reached Plot?
    const spec = { marks: [{ mark: 'dot', data: [{ x: 0, y: 0, u: 'javascript:alert(1)' }], options: { x: 'x', y: 'y', href: 'u', target: '_top' } }] } as unknown as PlotSpec;
    const node = Plot.plot(toPlotOptions(spec, Plot, { document }));
    expect(node.outerHTML).toMatch(/<a [^>]*href="javascript:alert\(1\)"/);
    const svg = node as unknown as Element;
    const extra = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    extra.setAttribute('onclick', 'alert(1)');
    extra.setAttribute('fill', 'url(https://evil.example/x.svg#p)');
    extra.setAttribute('clip-path', 'url(#plot-clip-1)');
    extra.innerHTML = '<script>alert(1)</script><foreignObject><div>x</div></foreignObject><use href=" JAVASCRIPT:alert(1)"></use><use href="#ok"></use><animate attributeName="href" to="javascript:alert(1)"></animate>';
    svg.append(extra);
    const removed = sanitizeFigure(svg);
    expect(removed).toBeGreaterThanOrEqual(6);
    const html = svg.outerHTML;
    expect(html).not.toMatch(/javascript|<a[\s>]|onclick|<script|foreignObject|<animate|evil\.example/i);
    expect(html).toContain('url(#plot-clip-1)');
    expect(html).toContain('href="#ok"');
    expect(svg.querySelectorAll('circle').length).toBe(0); // the dot was inside the removed link
  });

  it('removes nothing from figures drawn from checked specs', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const spec: PlotSpec = {
      title: 'Paths',
      marks: [
        { mark: 'line', data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], options: { x: 'x', y: 'y', marker: 'dot', stroke: 'red' } },
        { mark: 'frame' },
      ],
      x: { label: 'x₁' },
    };
    const { node, removed } = drawFigure({ name: 'p', spec: checkPlot('p', spec).spec, width: 328, Plot, document: document as unknown as Document });
    expect(removed).toBe(0);
    expect(node.tagName.toLowerCase()).toBe('figure');
    expect(node.querySelector('svg')?.getAttribute('width')).toBe('328');
    expect(node.querySelector('figcaption')?.textContent).toBe('Paths');
    expect(node.querySelector('h2, h3')).toBeNull();
  });
});

describe('figure drawing helpers', () => {
  it('draw at the width the page has, at most the spec\'s, at least 200 px', () => {
    expect(figureWidth(328, {})).toBe(328);
    expect(figureWidth(900, { width: 500 })).toBe(500);
    expect(figureWidth(120, {})).toBe(200);
    expect(figureWidth(0, {})).toBe(640); // not laid out yet
    expect(captionText({ title: 'A', caption: 'C' })).toBe('A — C');
    expect(captionText({})).toBe('');
  });

  it('count a run\'s figures against its budget', () => {
    const b = new FigureBudget();
    for (let i = 0; i < runLimits.maxFigures; i++) expect(b.admit({ points: 1, elements: 1, contourWork: 0 })).toBeNull();
    expect(b.admit({ points: 1, elements: 1, contourWork: 0 })).toMatch(/at most 16 figures per run/);
    const c = new FigureBudget();
    for (let i = 0; i < 2; i++) expect(c.admit({ points: 2000, elements: 2000, contourWork: 0 })).toBeNull();
    expect(c.admit({ points: 1001, elements: 1001, contourWork: 0 })).toMatch(/more than 5000 elements/);
    expect(c.admit({ points: 1000, elements: 1000, contourWork: 0 })).toBeNull();
  });
});

describe('show() and writeFigure', () => {
  afterEach(() => setShowSink(null));

  it('keep the sink out of reach: no global carries it', async () => {
    const got: string[] = [];
    setShowSink((n) => void got.push(n));
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('course.live.show')]).toBeUndefined();
    expect(Object.getOwnPropertySymbols(globalThis).map(String).filter((s) => /course/.test(s))).toEqual([]);
    await show('a', { marks: [{ mark: 'frame' }] });
    expect(got).toEqual(['a']);
  });

  it('writeFigure validates the name it writes under, whatever its caller checked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'show-'));
    const spec: PlotSpec = { marks: [{ mark: 'lineY', data: [1, 2] }] };
    for (const name of ['../escaped', '..', '.', 'a/b', 'a\\b', '', 'x'.repeat(65), '/etc/passwd'])
      await expect(writeFigure(name, spec, dir), name).rejects.toThrow(/writeFigure: name .* must be/);
    await expect(writeFigure('ok', { marks: [{ mark: 'dot', options: { href: 'u' } }] } as unknown as PlotSpec, dir)).rejects.toThrow(/href is not allowed/);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(join(dir, '..')).includes('escaped.svg')).toBe(false);
  });
});
