import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspDirectives } from '../../../src/lib/live/csp.ts';
import { runnerModuleSource } from '../../../src/lib/live/spawn.ts';

describe('the Content-Security-Policy', () => {
  it('allows scripts only from the site (no inline, data: or blob: scripts), no other origins, no plugins', () => {
    expect(cspDirectives['default-src']).toEqual(["'self'"]);
    expect(cspDirectives['script-src']).toEqual(["'self'", "'unsafe-eval'"]);
    expect(cspDirectives['connect-src']).toEqual(["'self'"]);
    expect(cspDirectives['worker-src']).toEqual(["'self'", 'blob:']);
    expect(cspDirectives['object-src']).toEqual(["'none'"]);
    expect(cspDirectives['base-uri']).toEqual(["'self'"]);
    expect(contentSecurityPolicy).toMatch(/^default-src 'self'; script-src 'self' 'unsafe-eval'; /);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-inline'[^;]*;.*script|script-src[^;]*(unsafe-inline|data:|blob:|\*)/);
  });

  it('the runner is started from a blob: module importing it at an absolute URL', () => {
    expect(runnerModuleSource('/course/_astro/runner.worker-abc.js', 'https://x.github.io/course/calc/')).toBe(
      'import "https://x.github.io/course/_astro/runner.worker-abc.js";\n',
    );
    // A URL cannot break out of the string literal.
    expect(runnerModuleSource('/a";alert(1);"', 'https://x.org/')).toBe('import "https://x.org/a%22;alert(1);%22";\n');
  });
});
