import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPlot, toPlotOptions, type PlotSpec } from '../../../src/lib/live/plotSpec.ts';
import { setShowSink, show } from '../../../src/lib/live/show.ts';
import { renderSvg, writeFigure } from '../../../src/lib/live/showNode.ts';

const path = [
  { x: 2.5, y: -2, method: 'SGD' },
  { x: 1.2, y: -1.1, method: 'SGD' },
  { x: 1, y: -1, method: 'Newton' },
];
const spec: PlotSpec = {
  title: 'Paths',
  marks: [
    { mark: 'line', data: path, options: { x: 'x', y: 'y', stroke: 'method' } },
    { mark: 'dot', data: path, options: { x: 'x', y: 'y', fill: 'method' } },
    { mark: 'ruleY', data: [0] },
    { mark: 'frame' },
  ],
  x: { label: 'x₁' },
  color: { legend: true },
};

describe('plot specs', () => {
  it('accept plain data and copy it', () => {
    const c = checkPlot('paths', spec);
    expect(c.name).toBe('paths');
    expect(c.spec.marks).toHaveLength(4);
    expect(checkPlot('f', { marks: [{ mark: 'lineY', data: new Float64Array([1, 2, 3]) }] }).spec.marks[0].data).toBeInstanceOf(Float64Array);
  });

  it('reject what cannot cross to the page, with a readable message', () => {
    const bad: [unknown, unknown, RegExp][] = [
      ['has space', spec, /name must be/],
      ['', spec, /name must be/],
      ['f', null, /spec must be an object/],
      ['f', { marks: [] }, /non-empty/],
      ['f', { marks: [{ mark: 'script' }] }, /'script' is not one of/],
      ['f', { marks: [{ mark: 'line', data: path, options: { x: (d: { x: number }) => d.x } }] }, /no functions/],
      ['f', { marks: [{ mark: 'line', data: 'abc' }] }, /data must be an array/],
      ['f', { marks: [{ mark: 'line', data: [new Date()] }] }, /plain values/],
      ['f', { marks: [{ mark: 'line' }], onclick: 'x' }, /unknown plot option 'onclick'/],
      ['f', { marks: [{ mark: 'line', data: new Array(50_001).fill(0) }] }, /at most 50000/],
      ['f', { marks: [{ mark: 'line' }], width: Infinity }, /finite number/],
    ];
    for (const [name, s, re] of bad) expect(() => checkPlot(name, s), String(re)).toThrow(re);
  });

  it('become Observable Plot options that draw (here with linkedom)', () => {
    const { document } = parseHTML('<!doctype html><html><body></body></html>');
    const node = Plot.plot(toPlotOptions(spec, Plot, { document }));
    expect(node.outerHTML).toContain('<svg');
    expect(node.querySelectorAll('path').length).toBeGreaterThan(0);
  });
});

describe('show', () => {
  afterEach(() => setShowSink(null));

  it('sends checked figures to the installed sink (the worker posts them to the page)', async () => {
    const got: [string, PlotSpec][] = [];
    setShowSink((n, s) => void got.push([n, s]));
    await show('paths', spec);
    expect(got).toHaveLength(1);
    expect(got[0][0]).toBe('paths');
    await expect(show('bad name', spec)).rejects.toThrow(/name must be/);
  });

  it('writes an SVG file under Node when no sink is installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'show-'));
    const prev = process.env.SHOW_DIR;
    process.env.SHOW_DIR = dir;
    try {
      await show('paths', spec);
    } finally {
      if (prev === undefined) delete process.env.SHOW_DIR;
      else process.env.SHOW_DIR = prev;
    }
    const svg = readFileSync(join(dir, 'paths.svg'), 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\n<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain('<title>Paths</title>');
  });

  it('renders standalone SVG and writes it where asked', async () => {
    expect(renderSvg({ marks: [{ mark: 'lineY', data: [1, 3, 2] }] })).toContain('<path');
    const dir = mkdtempSync(join(tmpdir(), 'show-'));
    const file = await writeFigure('line', { marks: [{ mark: 'lineY', data: [1, 3, 2] }] }, dir);
    expect(file).toBe(join(dir, 'line.svg'));
  });
});
