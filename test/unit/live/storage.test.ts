import { afterEach, describe, expect, it, vi } from 'vitest';
import { debounce, EditStore, fingerprint, storageKey, type StorageLike } from '../../../src/lib/live/storage.ts';

class MapStorage implements StorageLike {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

const throwing: StorageLike = {
  getItem() {
    throw new DOMException('denied', 'SecurityError');
  },
  setItem() {
    throw new DOMException('full', 'QuotaExceededError');
  },
  removeItem() {
    throw new DOMException('denied', 'SecurityError');
  },
};

describe('EditStore', () => {
  it('saves, loads and clears an edit with the fingerprint of its original', () => {
    const s = new MapStorage();
    const store = new EditStore(s);
    expect(store.load('hvp-demo')).toBeNull();
    expect(store.save('hvp-demo', 'edited', 'original')).toBe(true);
    expect(s.map.has(storageKey('hvp-demo'))).toBe(true);
    const e = store.load('hvp-demo')!;
    expect(e.code).toBe('edited');
    expect(e.original).toBe(fingerprint('original'));
    expect(e.savedAt).toBeGreaterThan(0);
    // A second store (the page after a reload) sees it.
    expect(new EditStore(s).load('hvp-demo')?.code).toBe('edited');
    store.clear('hvp-demo');
    expect(store.load('hvp-demo')).toBeNull();
  });

  it('falls back to memory when localStorage throws, and says so', () => {
    const store = new EditStore(throwing);
    expect(store.persistent).toBe(true);
    expect(store.save('a', 'x', 'o')).toBe(false);
    expect(store.persistent).toBe(false);
    expect(store.load('a')?.code).toBe('x');
    expect(() => store.clear('a')).not.toThrow();
    expect(store.load('a')).toBeNull();
  });

  it('falls back to memory when there is no storage at all', () => {
    const store = new EditStore(null);
    expect(store.persistent).toBe(false);
    expect(store.save('a', 'x', 'o')).toBe(false);
    expect(store.load('a')?.code).toBe('x');
  });

  it('recovers when storage works again (quota freed)', () => {
    const s = new MapStorage();
    let full = true;
    const flaky: StorageLike = { ...s, getItem: (k) => s.getItem(k), removeItem: (k) => s.removeItem(k), setItem: (k, v) => (full ? throwing.setItem(k, v) : s.setItem(k, v)) };
    const store = new EditStore(flaky);
    expect(store.save('a', 'one', 'o')).toBe(false);
    full = false;
    expect(store.save('a', 'two', 'o')).toBe(true);
    expect(store.persistent).toBe(true);
    expect(store.load('a')?.code).toBe('two');
  });

  it('ignores values it did not write', () => {
    const s = new MapStorage();
    s.setItem(storageKey('a'), 'not json');
    s.setItem(storageKey('b'), JSON.stringify({ code: 42 }));
    s.setItem(storageKey('c'), 'null');
    const store = new EditStore(s);
    expect(store.load('a')).toBeNull();
    expect(store.load('b')).toBeNull();
    expect(store.load('c')).toBeNull();
  });

  it('fingerprints are stable and distinguish edits', () => {
    expect(fingerprint('abc')).toBe(fingerprint('abc'));
    expect(fingerprint('abc')).not.toBe(fingerprint('abd'));
    expect(fingerprint('')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('debounce', () => {
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the quiet period, and flush() calls at once', () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const d = debounce((s: string) => calls.push(s), 400);
    d('a');
    d('b');
    vi.advanceTimersByTime(399);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['b']);
    d('c');
    d.flush();
    expect(calls).toEqual(['b', 'c']);
    d.flush();
    expect(calls).toEqual(['b', 'c']);
    d('d');
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['b', 'c']);
  });
});
