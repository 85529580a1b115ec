import { describe, expect, it } from 'vitest';
import { chromiumCandidates, chromiumFlags, flagsFor, isHeadlessShell } from '../../support/chromium.ts';

describe('which Chromium the tests and perf drive', () => {
  it('CHROME_PATH comes first; tests then prefer the headless shell, perf the full browser', () => {
    expect(chromiumCandidates({ CHROME_PATH: '/opt/chrome' }, 'tests')).toEqual(['/opt/chrome', '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser']);
    expect(chromiumCandidates({}, 'reader')).toEqual(['/usr/bin/chromium', '/usr/bin/chromium-browser']);
    expect(chromiumCandidates({ CHROME_PATH: '' }, 'tests')[0]).toBe('/usr/bin/chromium-headless-shell');
  });

  it('the headless shell gets no --headless= mode; a browser keeps every flag', () => {
    expect(isHeadlessShell('/usr/bin/chromium-headless-shell')).toBe(true);
    expect(isHeadlessShell('/home/me/chrome-headless-shell/linux64/chrome-headless-shell')).toBe(true);
    expect(isHeadlessShell('/usr/bin/chromium')).toBe(false);
    expect(flagsFor('/usr/bin/chromium-headless-shell')).toEqual(chromiumFlags.filter((f) => f !== '--headless=new'));
    expect(flagsFor('/usr/bin/chromium')).toEqual(chromiumFlags);
  });
});
