/**
 * Edits survive a reload: each listing's code is kept in localStorage under `live-code:v1:<listing>`, together
 * with a fingerprint of the original it was edited from. When localStorage is missing, full or throws (private
 * modes, disabled storage, quota), edits fall back to memory for the life of the page and the caller is told.
 */

export interface StoredEdit {
  code: string;
  /** Fingerprint of the original listing the edit started from (to tell the reader when it has changed). */
  original: string;
  savedAt: number;
}

/** The subset of the Web Storage API used here (so tests can pass a fake). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const storageKey = (listing: string) => `live-code:v1:${listing}`;

/** A short stable fingerprint (FNV-1a, 32 bit, hex) of a string. */
export function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Finds the page's localStorage without throwing (reading the property itself can throw). */
export function defaultStorage(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export class EditStore {
  private memory = new Map<string, string>();
  /** False once storage has failed; edits then live in memory only. */
  persistent: boolean;

  constructor(private storage: StorageLike | null = defaultStorage()) {
    this.persistent = storage !== null;
  }

  private get(key: string): string | null {
    if (this.memory.has(key)) return this.memory.get(key)!;
    if (!this.storage) return null;
    try {
      return this.storage.getItem(key);
    } catch {
      this.persistent = false;
      return null;
    }
  }

  /** The saved edit of a listing, or null (also for unreadable or foreign values). */
  load(listing: string): StoredEdit | null {
    const raw = this.get(storageKey(listing));
    if (raw === null) return null;
    try {
      const v = JSON.parse(raw) as unknown;
      if (v && typeof v === 'object' && typeof (v as StoredEdit).code === 'string') {
        const e = v as StoredEdit;
        return { code: e.code, original: String(e.original ?? ''), savedAt: Number(e.savedAt) || 0 };
      }
    } catch {
      // fall through
    }
    return null;
  }

  /** Saves an edit; returns whether it reached persistent storage. */
  save(listing: string, code: string, original: string): boolean {
    const key = storageKey(listing);
    const value = JSON.stringify({ code, original: fingerprint(original), savedAt: Date.now() } satisfies StoredEdit);
    if (this.storage) {
      try {
        this.storage.setItem(key, value);
        this.memory.delete(key);
        this.persistent = true;
        return true;
      } catch {
        this.persistent = false;
      }
    }
    this.memory.set(key, value);
    return false;
  }

  /** Forgets the edit of a listing (Reset). */
  clear(listing: string): void {
    const key = storageKey(listing);
    this.memory.delete(key);
    if (!this.storage) return;
    try {
      this.storage.removeItem(key);
    } catch {
      this.persistent = false;
    }
  }
}

/**
 * debounce(fn, ms) = a function that calls fn(...lastArgs) ms after the last call, plus flush() to call it now
 * (before unload) and cancel().
 */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: A | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending) {
      const args = pending;
      pending = null;
      fn(...args);
    }
  };
  const call = (...args: A) => {
    pending = args;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(flush, ms);
  };
  return Object.assign(call, { flush, cancel: () => ((pending = null), timer !== null && clearTimeout(timer), (timer = null)) });
}
