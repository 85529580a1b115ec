import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, parseNumber, type NumberField, type Schema } from '../../../src/lib/figures/fields.ts';
import { readNamespace } from '../../../src/lib/figures/hash.ts';

const lr: NumberField = { kind: 'number', label: 'Learning rate', min: 0, max: 2, step: 0.01 };
const schema: Schema = {
  lr,
  hist: { kind: 'number', label: 'History', min: 1, max: 20, step: 1, integer: true },
  ls: { kind: 'bool', label: 'Line search' },
  f: { kind: 'enum', label: 'Function', options: [{ value: 'quad', label: 'Quadratic' }, { value: 'rosen', label: 'Rosenbrock' }] },
};
const defaults = { lr: 0.1, hist: 10, ls: true, f: 'quad' };

describe('number validation', () => {
  it('accepts numbers, Unicode minus and exponents', () => {
    expect(parseNumber(' 0.5 ', lr)).toEqual({ ok: true, value: 0.5 });
    expect(parseNumber('1e-1', lr)).toEqual({ ok: true, value: 0.1 });
    expect(parseNumber('−0', { ...lr, min: -1 })).toEqual({ ok: true, value: -0 });
  });
  it('explains empty fields, non-numbers, NaN, infinities and out-of-range values', () => {
    expect(parseNumber('', lr)).toEqual({ ok: false, message: 'Learning rate: enter a number.' });
    expect(parseNumber('abc', lr)).toMatchObject({ ok: false, message: expect.stringContaining('is not a number') });
    expect(parseNumber('NaN', lr).ok).toBe(false);
    expect(parseNumber('Infinity', lr).ok).toBe(false);
    expect(parseNumber('1e999', lr)).toMatchObject({ ok: false, message: expect.stringContaining('finite') });
    expect(parseNumber('0x10', lr).ok).toBe(false);
    expect(parseNumber('3', lr)).toMatchObject({ ok: false, message: 'Learning rate: enter a number from 0 to 2.' });
    expect(parseNumber('2.5', schema.hist as NumberField)).toMatchObject({ ok: false, message: 'History: enter a whole number.' });
  });
  it('never accepts a non-finite or out-of-range value', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseNumber(s, lr);
        if (r.ok) expect(Number.isFinite(r.value) && r.value >= 0 && r.value <= 2).toBe(true);
        else expect(r.message.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('state ↔ hash', () => {
  it('writes only what differs from the defaults, with a version, and reads it back', () => {
    const s = { ...defaults, lr: 0.25, ls: false };
    const h = encodeState('#code-a=1', 'race', schema, s, defaults);
    expect(h).toBe('#code-a=1&race.v=1&race.lr=0.25&race.ls=0');
    expect(decodeState(h, 'race', schema, defaults)).toEqual({ state: s, notice: null });
    expect(encodeState(h, 'race', schema, defaults, defaults)).toBe('#code-a=1');
  });
  it('round-trips random valid states', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.constantFrom('quad', 'rosen'), (l, hist, ls, f) => {
        const s = { lr: Number(l.toPrecision(12)), hist, ls, f };
        const back = decodeState(encodeState('', 'race', schema, s, defaults), 'race', schema, defaults);
        expect(back.notice).toBeNull();
        expect(back.state).toEqual({ ...s, lr: Object.is(s.lr, -0) ? 0 : s.lr });
      }),
    );
  });
  it('ignores a malformed or outdated namespace as a whole, with a notice', () => {
    for (const h of ['#race.lr=abc&race.hist=5', '#race.lr=0.2&race.bogus=1', '#race.v=0&race.lr=0.2', '#race.hist=2.5', '#race.f=nope', '#race.ls=maybe', '#race.lr=']) {
      const r = decodeState(h, 'race', schema, defaults);
      expect(r.state, h).toEqual(defaults);
      expect(r.notice, h).toMatch(/ignored/);
    }
    expect(decodeState('#other.x=1&code-1=zz', 'race', schema, defaults)).toEqual({ state: defaults, notice: null });
  });
});

describe('hash keys that are Object.prototype names', () => {
  const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'isPrototypeOf'];
  it('are unknown settings like any other: a notice, the defaults, no exception', () => {
    for (const k of names) {
      const h = `#race.${k}=1`;
      const r = decodeState(h, 'race', schema, defaults);
      expect(r.state, h).toEqual(defaults);
      expect(r.notice, h).toContain(`unknown setting “${k}”`);
      expect(Object.getPrototypeOf(r.state), h).toBe(Object.prototype);
    }
  });
  it('do not leak into the namespace read from the hash', () => {
    const params = readNamespace('#race.__proto__=1&race.constructor=2&race.lr=0.5', 'race');
    expect(Object.keys(params).sort()).toEqual(['__proto__', 'constructor', 'lr']);
    expect(params.lr).toBe('0.5');
    expect(params.constructor).toBe('2');
  });
  it('never read through to Object.prototype: `v` is the only key with a meaning of its own', () => {
    const r = decodeState('#race.lr=0.5', 'race', schema, defaults);
    expect(r).toEqual({ state: { ...defaults, lr: 0.5 }, notice: null });
  });
});
