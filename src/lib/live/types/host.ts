/**
 * A TypeScript language service over an in-memory file system: the course library's sources under `/src/lib/…`,
 * TypeScript's own lib files under `/lib/`, and the reader's listing at `/src/content/chapters/listing/<file>`, where
 * its relative imports (`../../../lib/autodiff/index.ts`) land on the library as they do in the repository.
 *
 * The listing's imports resolve exactly as the runner resolves them (modules.ts: relative paths and the `course/*`
 * aliases to the barrels); anything else is "Cannot find module", as it is when the listing runs. The library's
 * own imports resolve with TypeScript's bundler resolution. TypeScript is passed in (`ts`), so this module costs
 * nothing until the worker has loaded the compiler, and Node tests pass the same package.
 */
import type * as TS from 'typescript';
import { resolveSpecifier, unknownModuleMessage, type ModuleName } from '../modules.ts';
import { toTypeDiagnostics } from './diagnostics.ts';
import type { CompletionItem, EntryDetails, HoverInfo, TypeDiagnostic } from './protocol.ts';

export interface TypeServiceOptions {
  /** The `typescript` package. */
  ts: typeof TS;
  /** The library's sources by path from the repository root, `/src/lib/autodiff/tensor.ts` → text. */
  library: Record<string, string>;
  /** TypeScript lib files by name, `lib.es5.d.ts` → text: `lib.es2022.d.ts`, `lib.webworker.d.ts` and what they reference. */
  libs: Record<string, string>;
}

/** Where the reader's listing lives in the in-memory file system (its chapter-relative imports reach `/src/lib`). */
export const LISTING_DIR = '/src/content/chapters/listing/';

/** The file each importable library module is, in the in-memory file system. */
const moduleFiles: Record<ModuleName, string> = {
  autodiff: '/src/lib/autodiff/index.ts',
  optim: '/src/lib/optim/index.ts',
  linalg: '/src/lib/linalg/index.ts',
  meta: '/src/lib/meta/index.ts',
  show: '/src/lib/live/show.ts',
};

/** The libs listings are checked against: the language up to ES2022 and a worker's globals (where listings run). */
export const LIB_ENTRY_POINTS = ['lib.es2022.d.ts', 'lib.webworker.d.ts'];

/** TypeScript's codes for an import it cannot resolve (2591, 2592: a Node module without @types/node). */
const unresolvedImportCodes = new Set([2307, 2591, 2592, 2792]);

export interface TypeService {
  /** The listing's syntactic and semantic diagnostics, in order. */
  check(filename: string, source: string): TypeDiagnostic[];
  /** What may be typed at `pos` (at most 200 items starting with the word before `pos`), and where that word starts. */
  complete(filename: string, source: string, pos: number): { from: number; items: CompletionItem[] };
  /** The declaration and doc comment of the name at `pos`, or null. */
  hover(filename: string, source: string, pos: number): HoverInfo | null;
  /** The declaration and doc comment of the completion `name` offered at `pos`, or null. */
  details(filename: string, source: string, pos: number, name: string): EntryDetails | null;
}

/** The listing's path, text and version (bumped on every change, so the service re-checks it). */
interface Listing {
  path: string;
  text: string;
  version: number;
}

/** The options listings are checked with: strict, ES2022 in a worker, bundler resolution, every file a module. */
function compilerOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowImportingTsExtensions: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: LIB_ENTRY_POINTS,
  };
}

/**
 * A LanguageServiceHost over `files` and the listing. The listing's imports resolve as the runner's (modules.ts);
 * the library's own with TypeScript's resolution over the same files.
 */
function memoryHost(args: { ts: typeof TS; files: Map<string, string>; options: TS.CompilerOptions; listing: () => Listing }): TS.LanguageServiceHost {
  const { ts, files, options, listing } = args;
  const read = (path: string) => (path === listing().path ? listing().text : files.get(path));
  const exists = (path: string) => read(path) !== undefined;
  const dirs = new Set<string>();
  for (const path of [...files.keys(), LISTING_DIR]) for (let i = path.indexOf('/', 1); i !== -1; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  return {
    getCompilationSettings: () => options,
    getScriptFileNames: () => [listing().path],
    getScriptVersion: (path) => (path === listing().path ? String(listing().version) : '0'),
    getScriptSnapshot: (path) => {
      const text = read(path);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => '/',
    getDefaultLibFileName: () => '/lib/lib.es2022.d.ts',
    fileExists: exists,
    readFile: read,
    directoryExists: (dir) => dir === '/' || dirs.has(dir.replace(/\/$/, '')),
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => true,
    resolveModuleNameLiterals: (literals, containingFile) =>
      literals.map((lit) => {
        if (containingFile === listing().path) {
          const name = resolveSpecifier(lit.text);
          return { resolvedModule: name ? { resolvedFileName: moduleFiles[name], extension: ts.Extension.Ts } : undefined };
        }
        return ts.resolveModuleName(lit.text, containingFile, options, { fileExists: exists, readFile: read });
      }),
  };
}

/**
 * readerSignature(s) = a declaration as readers know it: the library declares Tensor's methods once in a
 * `TensorMethods` class merged into `Tensor`, so TypeScript shows `TensorMethods.sum(this: Tensor, dim?: …)`;
 * readers call `x.sum(dim?)` on a Tensor.
 */
export function readerSignature(s: string): string {
  return s.replace(/\bTensorMethods\./g, 'Tensor.').replace(/\(this: Tensor(?:, |\))/g, (m) => (m.endsWith(')') ? '()' : '('));
}

/** A declaration as TypeScript displays it, and its doc comment with the tags on lines of their own. */
function described(ts: typeof TS, info: { displayParts?: TS.SymbolDisplayPart[]; documentation?: TS.SymbolDisplayPart[]; tags?: TS.JSDocTagInfo[] }): EntryDetails {
  const text = (parts?: TS.SymbolDisplayPart[]) => ts.displayPartsToString(parts);
  const tags = (info.tags ?? []).map((t) => `@${t.name}${t.text ? ` ${text(t.text)}` : ''}`);
  return { signature: readerSignature(text(info.displayParts)), doc: [text(info.documentation), ...tags].filter(Boolean).join('\n') };
}

export function createTypeService({ ts, library, libs }: TypeServiceOptions): TypeService {
  for (const name of LIB_ENTRY_POINTS) if (!(name in libs)) throw new Error(`type service: the lib file ${name} is missing`);
  for (const [name, file] of Object.entries(moduleFiles))
    if (!(file in library)) throw new Error(`type service: the library module '${name}' (${file}) is missing`);
  const files = new Map<string, string>(Object.entries(library));
  for (const [name, text] of Object.entries(libs)) files.set(`/lib/${name}`, text);
  let listing: Listing = { path: `${LISTING_DIR}listing.ts`, text: '', version: 0 };

  const options = compilerOptions(ts);
  const host = memoryHost({ ts, files, options, listing: () => listing });
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());

  /** Makes `source` the listing's text (a new version only when it changed). */
  const open = (filename: string, source: string): string => {
    const path = LISTING_DIR + filename;
    if (path !== listing.path || source !== listing.text) listing = { path, text: source, version: listing.version + 1 };
    return path;
  };

  return {
    check(filename, source) {
      const path = open(filename, source);
      const found = toTypeDiagnostics([...service.getSyntacticDiagnostics(path), ...service.getSemanticDiagnostics(path)], source);
      return found.map((d) => {
        // "Cannot find module" (and its variants suggesting @types/node) in the runner's words.
        const literal = /^(['"])(.*)\1$/.exec(source.slice(d.from, d.to));
        return unresolvedImportCodes.has(d.code) && literal ? { ...d, message: unknownModuleMessage(literal[2]) } : d;
      });
    },
    complete(filename, source, pos) {
      const path = open(filename, source);
      const from = pos - (/[\w$]*$/.exec(source.slice(0, pos))?.[0].length ?? 0);
      const prefix = source.slice(from, pos).toLowerCase();
      const info = service.getCompletionsAtPosition(path, pos, { includeCompletionsWithInsertText: false });
      const items = (info?.entries ?? [])
        .filter((e) => e.name.toLowerCase().startsWith(prefix))
        .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name))
        .slice(0, 200)
        .map((e) => ({ label: e.name, kind: e.kind }));
      return { from, items };
    },
    hover(filename, source, pos) {
      const path = open(filename, source);
      const info = service.getQuickInfoAtPosition(path, pos);
      if (!info) return null;
      return { from: info.textSpan.start, to: info.textSpan.start + info.textSpan.length, ...described(ts, info) };
    },
    details(filename, source, pos, name) {
      const path = open(filename, source);
      const info = service.getCompletionEntryDetails(path, pos, name, {}, undefined, undefined, undefined);
      return info ? described(ts, info) : null;
    },
  };
}
