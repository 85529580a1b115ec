/**
 * A WebAssembly module shipped as base64 (a `*Bytes.ts` file written by `npm run wasm`), compiled at its first use
 * and then kept.
 */

/** () ↦ the module, compiled once; null where WebAssembly or its SIMD is unavailable (old engine, a policy forbidding it). */
export function lazyModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
        compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}
