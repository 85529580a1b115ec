import { describe, expect, it } from 'vitest';
import { checkSource, source16, type Checked } from './exerciseHarness.ts';

/** Code a reader could add to fool a checker that trusted the globals it finds after the reader's code ran. */
const tampers: Record<string, string> = {
  'Math methods': 'Math.abs = () => 0; Math.sqrt = () => 0; Math.max = () => 1e300; Math.min = () => 0; Math.hypot = () => 0;',
  'the Math global': 'globalThis.Math = new Proxy({}, { get: () => () => 0 });',
  'Object.is and friends': 'Object.is = () => true; Object.freeze = (o: unknown) => o; Object.keys = () => ["passed", "message"];',
  'Reflect': 'Reflect.getOwnPropertyDescriptor = () => ({ value: true, writable: true, enumerable: true, configurable: true }); Reflect.ownKeys = () => ["passed", "message"]; Reflect.apply = () => ({ passed: true, message: "" });',
  'JSON': 'JSON.stringify = () => \'{"passed":true}\'; JSON.parse = () => ({ passed: true, message: "" });',
  'Number': 'Number.isFinite = () => true; Number.prototype.toPrecision = function () { return "ok"; }; Number.prototype.toFixed = function () { return "ok"; };',
  'array methods and index setters': 'Array.prototype.every = () => true; Array.prototype.some = () => false; Array.prototype.push = () => 0; Object.defineProperty(Array.prototype, "0", { configurable: true, get: () => ({ label: "x", passed: true, message: "" }), set() {} });',
  'Function.prototype': 'Function.prototype.call = function () { return { passed: true, message: "" }; }; Function.prototype.apply = function () { return { passed: true, message: "" }; };',
  'Object.prototype pollution': 'Object.defineProperty(Object.prototype, "passed", { configurable: true, get: () => true, set() {} });',
  'WeakSet (the kit\'s failure marks)': 'WeakSet.prototype.has = () => false; WeakSet.prototype.add = function () { return this; };',
  'Float64Array': 'globalThis.Float64Array = class extends Array { constructor(n: number) { super(); this.length = n; } } as never;',
  'promises': 'Promise.prototype.then = function (ok: (v: unknown) => void) { ok({ passed: true, message: "" }); return this; };',
};

/** Ways to end a run a checker might mishandle. */
const endings: Record<string, string> = {
  'a top-level throw of a Proxy that throws on every trap': 'throw new Proxy({}, { get() { throw 1; }, getOwnPropertyDescriptor() { throw 1; }, has() { throw 1; }, ownKeys() { throw 1; }, getPrototypeOf() { throw 1; } });',
  'a top-level throw of an object whose toString throws': 'throw { toString() { throw new Error("no"); }, get message() { throw new Error("no"); } };',
  'a top-level throw of a symbol': 'throw Symbol("x");',
  'a never-resolving top-level await': 'await new Promise(() => {});',
};

/** The exercises, with a wrong but complete answer for each (so a fooled checker would show up as a pass). */
const exercises = [
  { key: 'exercise-mlp-hvp', wrong: () => source16('exercise-mlp-hvp.solution.ts').replace('return autograd.grad(g.dot(v), t)[0];', 'return autograd.grad(g.dot(v), t)[0].mul(2);') },
  { key: 'exercise-cg', wrong: () => source16('exercise-cg.solution.ts').replace('d[i] = r[i] + beta * d[i];', 'd[i] = r[i];') },
  { key: 'exercise-power', wrong: () => source16('exercise-power.solution.ts').replace('const next = dot(v, Hv);', 'const next = Math.sqrt(dot(Hv, Hv));') },
];

const allPassed = (c: Checked) => !!c.results && c.results.length > 0 && c.results.every((r) => r.passed);

describe('tampering cannot turn a wrong answer into a pass', () => {
  for (const { key, wrong } of exercises) {
    it(`${key}: the wrong answer fails untampered (so each tamper below has something to hide)`, async () => {
      const c = await checkSource(wrong(), `calc-16-hessian-vector/${key}`);
      expect(c.results?.some((r) => !r.passed)).toBe(true);
    });
    for (const [name, code] of Object.entries(tampers)) {
      it(`${key}: overwriting ${name}`, async () => {
        const c = await checkSource(`${wrong()}\n${code}\n`, `calc-16-hessian-vector/${key}`);
        expect(allPassed(c), JSON.stringify(c.results)).toBe(false);
        // The check itself ran: the verdicts are the checker's, not a crash.
        expect(c.results?.length).toBeGreaterThan(0);
      });
    }
    it(`${key}: the starter with every tamper at once`, async () => {
      const starter = source16(`${key}.ts`);
      const c = await checkSource(`${Object.values(tampers).join('\n')}\n${starter}`, `calc-16-hessian-vector/${key}`);
      expect(allPassed(c)).toBe(false);
    });
  }
});

describe('strange endings get a verdict or none, never a pass', () => {
  for (const [name, code] of Object.entries(endings)) {
    it(name, async () => {
      const c = await checkSource(`${source16('exercise-mlp-hvp.ts')}\n${code}`, 'calc-16-hessian-vector/exercise-mlp-hvp', 1500);
      expect(allPassed(c)).toBe(false);
    });
  }

  it('a never-resolving top level has no verdict at all (the page reports the spent budget)', async () => {
    const c = await checkSource(`${source16('exercise-mlp-hvp.solution.ts')}\nawait new Promise(() => {});`, 'calc-16-hessian-vector/exercise-mlp-hvp', 1500);
    expect(c.results).toBeNull();
  });

  it('an exported function that throws a Proxy gets a plain message, not a crash', async () => {
    const src = source16('exercise-mlp-hvp.ts').replace("throw new Error('TODO: differentiate gradient(theta, true)[1].dot(v) with respect to θ once more');", 'throw new Proxy({}, { get() { throw 1; }, getOwnPropertyDescriptor() { throw 1; } });');
    const c = await checkSource(src, 'calc-16-hessian-vector/exercise-mlp-hvp');
    expect(c.results?.[0]).toEqual({ label: 'hvpExact() returns H(θ)v', passed: false, message: 'hvpExact() threw: a value that is not an Error' });
  });

  it('an exported function that returns a never-resolving promise fails at once', async () => {
    const src = source16('exercise-mlp-hvp.solution.ts').replace('export function hvpExact(): Tensor {', 'export function hvpExact(): Promise<Tensor> { return new Promise(() => {}); }\nfunction unused(): Tensor {');
    const c = await checkSource(src, 'calc-16-hessian-vector/exercise-mlp-hvp');
    expect(c.results?.[0].message).toBe('hvpExact() returned a promise: return the value itself (the check does not await).');
  });

  it('an export whose getter throws', async () => {
    const src = `${source16('exercise-mlp-hvp.ts')}\nObject.defineProperty(exports, 'hvpExact', { get() { throw new Error('gotcha'); } });`;
    const c = await checkSource(src.replace('const exact = hvpExact();', 'const exact = (() => { throw new Error("stop"); })();'), 'calc-16-hessian-vector/exercise-mlp-hvp');
    expect(c.results?.[0].passed).toBe(false);
  });
});
