/** Minimal types for jsdom (used at build time and in tests to give Plot a document); @types/jsdom is not installed. */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: Record<string, unknown>);
    readonly window: Window & typeof globalThis;
  }
}
