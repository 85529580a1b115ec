import { describe, expect, it } from 'vitest';
import { readSource, sourceFile, urlPath } from '../../../src/lib/site/sourceUrl.ts';

describe('the URL a collapsed source block fetches', () => {
  it('a build’s hashed asset is fetched as text, in dev as in a build', () => {
    expect(sourceFile('/course/_astro/hvp_demo.B2x9xYz.py', 'py', 'x', false)).toEqual({ url: '/course/_astro/hvp_demo.B2x9xYz.py', format: 'text' });
    expect(sourceFile('/course/_astro/cg.solution.Dl7UJ_A9.ts', 'ts', 'x', false)).toEqual({ url: '/course/_astro/cg.solution.Dl7UJ_A9.ts', format: 'text' });
  });

  it('the dev server’s source paths with a query are accepted; .ts is fetched raw, .py as served', () => {
    expect(sourceFile('/src/content/chapters/c/pytorch/cg_hvp.py?no-inline', 'py', 'x', true)).toEqual({ url: '/src/content/chapters/c/pytorch/cg_hvp.py?no-inline', format: 'text' });
    expect(sourceFile('/src/content/chapters/c/exercise-cg.solution.ts?no-inline', 'ts', 'x', true)).toEqual({ url: '/src/content/chapters/c/exercise-cg.solution.ts?raw', format: 'raw-module' });
    expect(urlPath('/a/b.py?x=1#y')).toBe('/a/b.py');
  });

  it('anything but a URL of a file with that extension is an error naming what was wrong', () => {
    expect(() => sourceFile('data:text/x-python;base64,AAAA', 'py', 'LazySource: src for a.py', false)).toThrow('LazySource: src for a.py must be the URL of a .py file (import it with ?url&no-inline), got "data:text/x-python;base64,AAAA"');
    expect(() => sourceFile('/a/b.ts', 'py', 'src', false)).toThrow(/must be the URL of a \.py file/);
    expect(() => sourceFile('/a/b.py.txt?x.py', 'py', 'src', true)).toThrow(/must be the URL of a \.py file/);
    expect(() => sourceFile(undefined, 'ts', 'Exercise "e": solution', false)).toThrow('Exercise "e": solution must be the URL of a .ts file (import it with ?url&no-inline), got "undefined"');
  });

  it('reads the text as is, or unwraps the dev server’s raw module (quotes, backslashes, newlines, unicode intact)', () => {
    const text = 'const s = "a\\\\b";\n// ∇f — "quoted"\n';
    expect(readSource(text, 'text')).toBe(text);
    expect(readSource(`export default ${JSON.stringify(text)}`, 'raw-module')).toBe(text);
    expect(readSource(`export default ${JSON.stringify(text)}\n//# sourceMappingURL=x`, 'raw-module')).toBe(text);
    expect(() => readSource('const x = 1;', 'raw-module')).toThrow('the dev server did not answer with the file as a module');
  });
});
