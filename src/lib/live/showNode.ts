/**
 * Node side of `show`: draws a spec to an SVG file with Observable Plot and linkedom, for `npm run demo:…`.
 * Never bundled into the page.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { checkPlot, toPlotOptions, type PlotSpec } from './plotSpec.ts';

/** The figure as a standalone SVG document (title and caption become <title> and <desc>). */
export function renderSvg(spec: PlotSpec): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const { title, subtitle, caption, ...rest } = spec;
  const el = Plot.plot(toPlotOptions({ ...rest }, Plot, { document }));
  const svg = el.tagName.toLowerCase() === 'svg' ? el : el.querySelector('svg');
  if (!svg) throw new Error('show: Plot produced no SVG');
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const meta = (tag: string, text?: string) => {
    if (!text) return;
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    node.textContent = text;
    svg.insertBefore(node, svg.firstChild);
  };
  meta('desc', [subtitle, caption].filter(Boolean).join(' — '));
  meta('title', title);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}

/**
 * Writes `<dir>/<name>.svg`, dir = $SHOW_DIR or out/figures; returns the path. Checks here, where the file is
 * written, whatever the caller checked: the name is a plain file name (no `/`, `\`, `..`) whose file lies inside
 * dir, and the spec passes checkPlot.
 */
export async function writeFigure(name: string, spec: PlotSpec, dir = process.env.SHOW_DIR || join('out', 'figures')): Promise<string> {
  if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name) || /^\.+$/.test(name) || name.includes('..'))
    throw new TypeError(`writeFigure: name ${JSON.stringify(name)} must be 1–64 letters, digits, '-', '_' or '.', without '..'`);
  const checked = checkPlot(name, spec);
  const file = join(dir, `${name}.svg`);
  if (!resolve(file).startsWith(resolve(dir) + sep)) throw new TypeError(`writeFigure: ${JSON.stringify(name)} would be written outside ${dir}`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, renderSvg(checked.spec));
  console.log(`show: wrote ${relative(process.cwd(), file) || file}`);
  return file;
}
