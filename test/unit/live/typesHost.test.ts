import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { librarySources, tsLibs } from '../../../src/lib/live/types/files.ts';
import { createTypeService, readerSignature, type TypeService } from '../../../src/lib/live/types/host.ts';
import { describeTypeDiagnostic } from '../../../src/lib/live/types/diagnostics.ts';
import { unknownModuleMessage } from '../../../src/lib/live/modules.ts';

const chapters = ['calc-16-hessian-vector', 'calc-17-higher-order-gradients'];

/** The code a chapter page lets readers edit (LiveCode listings, exercise starters and solutions), from its index.mdx: [id, source]. */
function shippedListings(chapter: string): [string, string][] {
  const dir = `src/content/chapters/${chapter}/`;
  const mdx = readFileSync(`${dir}index.mdx`, 'utf8');
  // Listings and starters are ?raw imports; solutions are ?url&no-inline (fetched only when the reader asks).
  const files = new Map([...mdx.matchAll(/^import (\w+) from '\.\/([\w.-]+\.ts)\?(?:raw|url&no-inline)';$/gm)].map((m) => [m[1], m[2]]));
  const listings = [...mdx.matchAll(/<LiveCode id="([\w-]+)" code=\{(\w+)\}/g)].map((m) => [m[1], m[2]] as const);
  const exercises = [...mdx.matchAll(/<Exercise id="([\w-]+)" starter=\{(\w+)\} solution=\{(\w+)\}/g)].flatMap((m) => [
    [m[1], m[2]] as const,
    [`${m[1]}.solution`, m[3]] as const,
  ]);
  return [...listings, ...exercises].map(([id, name]) => {
    const file = files.get(name);
    if (!file) throw new Error(`${chapter}: ${id} uses ${name}, which is not a ?raw or ?url import of a .ts file`);
    return [id, readFileSync(dir + file, 'utf8')];
  });
}

let service: TypeService;
beforeAll(() => {
  service = createTypeService({ ts, library: librarySources(), libs: tsLibs() });
});

describe('the type checker against the chapters\' listings', () => {
  const listings = chapters.flatMap((c) => shippedListings(c).map(([id, src]) => [c, id, src] as const));

  it('finds the listings of both chapters', () => {
    expect(listings.filter(([c]) => c === chapters[0]).length).toBeGreaterThanOrEqual(9);
    expect(listings.filter(([c]) => c === chapters[1]).length).toBeGreaterThanOrEqual(13);
  });

  it.each(listings)('%s/%s type-checks clean', (_chapter, id, src) => {
    expect(service.check(`${id}.ts`, src).map(describeTypeDiagnostic)).toEqual([]);
  });

  it('reports a planted error in a chapter listing at its line and column, with TypeScript\'s message', () => {
    const src = readFileSync('src/content/chapters/calc-16-hessian-vector/hvp-demo.ts', 'utf8');
    const lines = src.split('\n');
    const at = lines.findIndex((l) => /\.mul\(/.test(l));
    expect(at).toBeGreaterThanOrEqual(0);
    lines[at] = lines[at].replace('.mul(', '.mull(');
    const planted = lines.join('\n');
    const d = service.check('hvp-demo.ts', planted);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: at + 1, column: lines[at].indexOf('mull(') + 1, code: 2551, severity: 'error' });
    expect(d[0].message).toBe("Property 'mull' does not exist on type 'Tensor'. Did you mean 'mul'?");
    expect(planted.slice(d[0].from, d[0].to)).toBe('mull');
  });

  it('reports an argument of the wrong type with the elaboration TypeScript gives', () => {
    const src = "import { hvp, tensor } from 'course/autodiff';\nconst x = tensor([1, 2]);\nhvp((t) => t.sum(), x, 'v');\n";
    const [d, ...rest] = service.check('a.ts', src);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ line: 3, column: 24, code: 2345 });
    expect(d.message).toBe("Argument of type 'string' is not assignable to parameter of type 'TensorLike'.");
    expect(src.slice(d.from, d.to)).toBe("'v'");
  });

  it('resolves imports as the runner does: aliases and relative paths, never other modules', () => {
    const ok = "import { tensor } from 'course/autodiff';\nimport { dot } from '../../lib/linalg';\nimport { show } from 'course/plot';\nimport { cg } from '../../../src/lib/meta/index.js';\nimport { SGD } from 'course/optim';\nvoid [tensor, dot, show, cg, SGD];\n";
    expect(service.check('b.ts', ok)).toEqual([]);
    const deep = "import { Tensor } from '../../../lib/autodiff/tensor.ts';\nimport fs from 'node:fs';\nvoid [Tensor, fs];\n";
    const d = service.check('c.ts', deep);
    expect(d.map((x) => x.line)).toEqual([1, 2]);
    // In the runner's words, not TypeScript's (which would suggest installing @types/node).
    expect(d[0].message).toBe(unknownModuleMessage('../../../lib/autodiff/tensor.ts'));
    expect(d[1].message).toBe(unknownModuleMessage('node:fs'));
  });

  it('checks against a worker\'s globals: console and timers yes, document no; top-level await in any listing', () => {
    const d = service.check('d.ts', "await new Promise((r) => setTimeout(r, 1));\nconsole.log(performance.now());\ndocument.title = 'x';\n");
    expect(d.map((x) => [x.line, x.code])).toEqual([[3, 2584]]);
  });

  it('reports syntax errors too', () => {
    const d = service.check('e.ts', 'const x = ;\n');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ line: 1, column: 11, code: 1109, message: 'Expression expected.' });
  });
});

describe('completions and hover for the library\'s API', () => {
  it('completes a tensor\'s methods after tensor(...).', () => {
    const src = "import { tensor } from 'course/autodiff';\nconst y = tensor([1, 2]).";
    const { from, items } = service.complete('f.ts', src, src.length);
    expect(from).toBe(src.length);
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['mul', 'add', 'sum', 'backward', 'item']));
    expect(items.find((i) => i.label === 'mul')?.kind).toBe('method');
  });

  it('narrows completions to the word typed so far and reports where it starts', () => {
    const src = "import { tensor } from 'course/autodiff';\nconst y = tensor([1, 2]).ma";
    const { from, items } = service.complete('f.ts', src, src.length);
    expect(from).toBe(src.length - 2);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.label.toLowerCase().startsWith('ma'))).toBe(true);
    expect(items.map((i) => i.label)).toContain('matmul');
  });

  it('completes the barrel\'s exports inside an import', () => {
    const src = "import { hv } from 'course/autodiff';";
    const { items } = service.complete('g.ts', src, src.indexOf('hv') + 2);
    expect(items.map((i) => i.label)).toContain('hvp');
  });

  it('shows a library function\'s signature and doc comment on hover', () => {
    const src = "import { hvp } from 'course/autodiff';\nhvp;\n";
    const pos = src.lastIndexOf('hvp') + 1;
    const info = service.hover('h.ts', src, pos);
    expect(info).not.toBeNull();
    expect(src.slice(info!.from, info!.to)).toBe('hvp');
    expect(info!.signature).toMatch(/function hvp\(f: Fn, x: TensorLike, v: TensorLike, options\?: HvpOptions\): Tensor/);
    expect(info!.doc).toMatch(/^∇²f\(x\)·v without forming ∇²f\./);
  });

  it('gives a completion\'s declaration and doc comment (for keyboard and touch, beside the list)', () => {
    const src = "import { tensor } from 'course/autodiff';\nconst y = tensor([1, 2]).";
    const d = service.details('f.ts', src, src.length, 'sum');
    expect(d).not.toBeNull();
    expect(d!.signature).toMatch(/^\(method\) Tensor\.sum\(dim\?: number \| readonly number\[\] \| null/);
    expect(d!.doc).toMatch(/^Σ over all entries, or over `dim`/);
    const g = service.details('g.ts', "import { h } from 'course/autodiff';", "import { h".length, 'hvp');
    expect(g?.doc).toMatch(/^∇²f\(x\)·v without forming ∇²f\./);
    expect(service.details('f.ts', src, src.length, 'noSuchMethod')).toBeNull();
  });

  it('shows nothing on hover over white space', () => {
    expect(service.hover('h.ts', 'const a = 1;\n\n', 13)).toBeNull();
  });
});

describe('createTypeService', () => {
  it('names a missing lib file or library module', () => {
    const libs = tsLibs();
    const { ['lib.webworker.d.ts']: _, ...noWorker } = libs;
    expect(() => createTypeService({ ts, library: librarySources(), libs: noWorker })).toThrow('the lib file lib.webworker.d.ts is missing');
    const { ['/src/lib/meta/index.ts']: __, ...noMeta } = librarySources();
    expect(() => createTypeService({ ts, library: noMeta, libs })).toThrow("the library module 'meta' (/src/lib/meta/index.ts) is missing");
  });

  it('bundles the library without unresolved imports of its own', () => {
    const files = Object.keys(librarySources());
    expect(files).toEqual(expect.arrayContaining(['/src/lib/autodiff/tensor.ts', '/src/lib/live/show.ts', '/src/lib/live/plotSpec.ts']));
    const program = ts.createProgram({
      rootNames: ['/src/lib/autodiff/index.ts', '/src/lib/optim/index.ts', '/src/lib/linalg/index.ts', '/src/lib/meta/index.ts', '/src/lib/live/show.ts'],
      options: { noEmit: true, allowImportingTsExtensions: true, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, noLib: true },
      host: {
        ...ts.createCompilerHost({}),
        fileExists: (f) => f in librarySources(),
        readFile: (f) => librarySources()[f],
        getSourceFile: (f, v) => (f in librarySources() ? ts.createSourceFile(f, librarySources()[f], v) : undefined),
        getCurrentDirectory: () => '/',
        directoryExists: () => true,
        realpath: (p) => p,
      },
    });
    const unresolved = program
      .getSourceFiles()
      .flatMap((sf) => ts.getPreEmitDiagnostics(program, sf))
      .filter((d) => d.code === 2307 && !/@observablehq\/plot|showNode/.test(ts.flattenDiagnosticMessageText(d.messageText, '\n')))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(unresolved).toEqual([]);
  });
});

describe('signatures as readers know them', () => {
  it('shows Tensor methods on Tensor, without the this parameter', () => {
    expect(readerSignature('(method) TensorMethods.sum(this: Tensor, dim?: number): Tensor')).toBe('(method) Tensor.sum(dim?: number): Tensor');
    expect(readerSignature('(method) TensorMethods.item(this: Tensor): number')).toBe('(method) Tensor.item(): number');
    expect(readerSignature('function hvp(f: (x: Tensor) => Tensor): Tensor')).toBe('function hvp(f: (x: Tensor) => Tensor): Tensor');
  });
});
