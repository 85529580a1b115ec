import { describe, expect, it } from 'vitest';
import { blocked, blockedNavigator, lockDown } from '../../../src/lib/live/lockdown.ts';

/** A stand-in for a worker's global: postMessage and close on a prototype, as an engine may put them. */
class Scope {
  sent: unknown[] = [];
  closed = false;
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  close() {
    this.closed = true;
  }
}
class DedicatedScope extends Scope {}

describe('lockDown', () => {
  it('makes postMessage and close throw, on the object and on every prototype that defines them', () => {
    const scope = new DedicatedScope();
    const post = scope.postMessage.bind(scope); // what the runner captures first
    lockDown(scope);
    expect(() => scope.postMessage({ type: 'done' })).toThrow(new TypeError(blocked.postMessage));
    expect(() => scope.close()).toThrow(new TypeError(blocked.close));
    expect(() => Scope.prototype.postMessage.call(scope, {})).toThrow(TypeError);
    expect(() => Object.getPrototypeOf(Object.getPrototypeOf(scope)).close.call(scope)).toThrow(TypeError);
    expect(scope.sent).toEqual([]);
    expect(scope.closed).toBe(false);
    // The captured function still reaches the page.
    post('from the runner');
    expect(scope.sent).toEqual(['from the runner']);
  });

  it('cannot be undone by assigning, deleting or redefining', () => {
    const scope = new Scope();
    lockDown(scope);
    const s = scope as unknown as Record<string, unknown>;
    expect(() => {
      'use strict';
      s.postMessage = () => {};
    }).toThrow(TypeError);
    expect(() => delete s.postMessage).toThrow(TypeError);
    expect(() => Object.defineProperty(scope, 'close', { value: () => {} })).toThrow(TypeError);
    expect(() => delete (Scope.prototype as unknown as Record<string, unknown>).postMessage).toThrow(TypeError);
    expect(() => scope.postMessage(1)).toThrow(blocked.postMessage);
    // Locking twice is harmless.
    expect(() => lockDown(scope)).not.toThrow();
  });

  it('covers members that live on the object itself (a [Global] scope has them there)', () => {
    const sent: unknown[] = [];
    const scope = { postMessage: (m: unknown) => sent.push(m), close: () => sent.push('closed') };
    expect(lockDown(scope).sort()).toEqual(['close', 'postMessage']);
    expect(() => scope.postMessage(1)).toThrow(TypeError);
    expect(() => scope.close()).toThrow(TypeError);
    expect(sent).toEqual([]);
  });

  it('hides navigator.locks (on the navigator and its prototype) from what runs after it', async () => {
    class Locks {
      request = async (name: string) => name;
    }
    class WorkerNavigatorLike {
      get locks() {
        return new Locks();
      }
    }
    const scope = { navigator: new WorkerNavigatorLike(), postMessage() {}, close() {} };
    const captured = scope.navigator.locks; // what the runner keeps
    expect(lockDown(scope)).toContain('navigator.locks');
    expect(() => scope.navigator.locks).toThrow(new TypeError(blockedNavigator.locks));
    const getter = Object.getOwnPropertyDescriptor(WorkerNavigatorLike.prototype, 'locks')!.get!;
    expect(() => getter.call(scope.navigator)).toThrow(TypeError);
    expect(() => Object.defineProperty(scope.navigator, 'locks', { value: captured })).toThrow(TypeError);
    await expect(captured.request('life')).resolves.toBe('life');
  });
});
