/**
 * The eager arena. While a transform's call runs (`grad`, `valueAndGrad`, `hvp`; the outermost call owns the
 * arena), every buffer of ARENA_MIN_ELEMENTS doubles or more is a view of one WebAssembly memory, and an
 * elementwise kernel whose arrays all live there runs in WebAssembly two doubles at a time (f64x2,
 * elementwiseKernels.wat): the same IEEE operations as the JavaScript loops, so the same bits, two to three times
 * faster. When the call ends the transform copies what it returns out of the arena (`escape`), every tensor made
 * on the arena during the call is released (its data becomes empty, so using it raises released.ts's error, never
 * reads numbers written by a later call), and the next call reuses the same warm memory, as PyTorch's allocator
 * hands back the blocks it just freed.
 *
 * The arena's memory is not detached at a reset (a new ArrayBuffer per call for a 64 MiB memory made V8 collect
 * garbage several times as often): a raw Float64Array taken from such a tensor inside f and kept after the call
 * is not protected and may read later numbers. Tensors are.
 *
 * Inside a call, buffers recycled by the backward pass or by the last readers go to the arena's own free lists;
 * a request that does not fit gets a plain array. If what f computed stays reachable after the call (an enclosing
 * reverse pass, forward-mode tangents), the arena is abandoned instead of reset: its tensors stay valid, and a
 * later call makes a new arena (after a pause that doubles with each abandon, so code that always keeps them
 * does not make a memory per call).
 */
import { ELEMENTWISE_KERNELS_WASM_BASE64 } from './elementwiseKernelsBytes.ts';
import { lazyModule } from './wasmModule.ts';
import type { ArenaPullback } from './arenaKernelTable.ts';
import type { WasmForm } from './elementwise.ts';

/** Buffers smaller than this stay plain arrays (per-call costs dominate there, and the arena stays compact). */
export const ARENA_MIN_ELEMENTS = 256;
/**
 * The arena's size: 64 MiB, as the pool's idle limit (past it, plain arrays and loops). Made whole at first
 * use, so a call never overflows into plain arrays below it; untouched pages cost address space, not memory.
 */
export const ARENA_BYTES = 64 * 2 ** 20;
const PAGE = 65536;

type Kernel = (...args: number[]) => void;

interface Arena {
  readonly memory: WebAssembly.Memory;
  readonly kernels: Record<string, Kernel>;
  /** memory.buffer (the memory never grows, so this buffer and its views stay attached). */
  readonly buffer: ArrayBuffer;
  /** Bytes handed out from the start of the memory this call. */
  used: number;
  /** The allocations of this call in address order: their byte offsets and whole views. */
  readonly starts: number[];
  readonly bases: Float64Array[];
  /** Recycled allocations by length. */
  readonly free: Map<number, Float64Array[]>;
  /** The tensors made on the arena this call (released at the reset). */
  readonly holders: Holder[];
}

/** A tensor, as far as the arena is concerned: its data is replaced by an empty array when it is released. */
export interface Holder { readonly data: Float64Array }
const RELEASED = new Float64Array(0);

let arena: Arena | null | undefined;
let open = false;
let suspended = 0;
let enabled = true;
/** Arenas abandoned so far, and how many calls still run without one: after the k-th abandon, the next 2ᵏ (at most 1024). */
let abandoned = 0;
let skip = 0;

/** The kernel module, compiled once; null without WebAssembly SIMD (then plain arrays and loops). */
const kernelModule = lazyModule(ELEMENTWISE_KERNELS_WASM_BASE64);

function makeArena(): Arena | null {
  const mod = kernelModule();
  if (mod === null) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: ARENA_BYTES / PAGE, maximum: ARENA_BYTES / PAGE });
    const kernels = new WebAssembly.Instance(mod, { env: { memory } }).exports as Record<string, Kernel>;
    return { memory, kernels, buffer: memory.buffer, used: 0, starts: [], bases: [], free: new Map(), holders: [] };
  } catch {
    return null; // no address space for another WebAssembly memory
  }
}

/**
 * Make this call the arena's owner: false if another call owns it or arenas are off. The memory itself is made at
 * the first request big enough for it (a call on small tensors never makes one).
 */
export function openArena(): boolean {
  if (open || suspended > 0 || !enabled || arena === null) return false;
  if (skip > 0) {
    skip--;
    return false;
  }
  open = true;
  return true;
}

/** End the owner's call: release every tensor made on the arena and start the next call from an empty arena. */
export function resetArena(): void {
  if (!open) return;
  open = false;
  const a = arena;
  if (a === undefined || a === null) return;
  for (const h of a.holders) (h as { data: Float64Array }).data = RELEASED;
  a.holders.length = 0;
  a.used = 0;
  a.starts.length = 0;
  a.bases.length = 0;
  a.free.clear();
}

/** Note a tensor whose data may live in the open arena (Tensor's constructor): released at the reset if it does. */
export function noteHolder(h: Holder): void {
  if (inArena(h.data)) arena!.holders.push(h);
}

/**
 * End the owner's call leaving its views valid (something outside still reads them): later calls get a new arena.
 * A call that took nothing from the arena leaves nothing to keep: it ends as a reset, with no pause.
 */
export function abandonArena(): void {
  if (!open) return;
  if (arena == null || arena.bases.length === 0) {
    resetArena();
    return;
  }
  open = false;
  arena = undefined;
  skip = 2 ** Math.min(++abandoned, 10);
}

/** Switch the arena on or off (off: buffers are plain arrays); returns the previous setting. */
export function setArena(on: boolean): boolean {
  const prev = enabled;
  enabled = on;
  return prev;
}

/** fn() with its new buffers outside the arena: for what outlives the owner's call (a leaf's .grad set inside f). */
export function outsideArena<T>(fn: () => T): T {
  suspended++;
  try {
    return fn();
  } finally {
    suspended--;
  }
}

/** Is an owner's call running with an arena? */
export const arenaOpen = (): boolean => open;

/** Does `a` live in the open arena? */
export const inArena = (a: Float64Array): boolean => open && arena != null && a.buffer === arena.buffer;

/** A buffer of n elements from the open arena (contents are garbage), or null: no open arena, too small, or no room. */
export function arenaTake(n: number): Float64Array | null {
  if (!open || suspended > 0 || n < ARENA_MIN_ELEMENTS) return null;
  if (arena === undefined) arena = makeArena();
  const a = arena;
  if (a === null) return null;
  const list = a.free.get(n);
  if (list !== undefined && list.length > 0) return list.pop()!;
  const bytes = (8 * n + 15) & ~15;
  if (a.used + bytes > a.buffer.byteLength) return null;
  const view = new Float64Array(a.buffer, a.used, n);
  a.starts.push(a.used);
  a.bases.push(view);
  a.used += bytes;
  return view;
}

/** Put an allocation of the open arena back in its free lists (true), or leave a buffer from elsewhere (false). */
export function arenaRecycle(b: Float64Array): boolean {
  if (!inArena(b)) return false;
  const list = arena!.free.get(b.length);
  if (list === undefined) arena!.free.set(b.length, [b]);
  else list.push(b);
  return true;
}

/**
 * What identifies the storage behind `data`, so that views of one buffer share a key: its ArrayBuffer, or
 * for a view into the arena (whose ArrayBuffer all its allocations share) the allocation containing it.
 */
export function storageKey(data: Float64Array): object {
  if (!inArena(data)) return data.buffer;
  if (data.length === 0) return data; // an empty view reads nothing: a key of its own
  const { starts, bases } = arena!;
  const at = data.byteOffset;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return bases[lo];
}

/**
 * The byte offset of `a` in the arena: its own if it lives there, else that of a copy in a temporary allocation
 * (pushed on `temps`, for `unstage`); -1 without room. A copy and a two-lane kernel take about half the time of
 * the JavaScript loop (f's input x, a tensor from outside the call, is read this way).
 */
function place(a: Float64Array, temps: Float64Array[]): number {
  if (inArena(a)) return a.byteOffset;
  const t = arenaTake(a.length);
  if (t === null) return -1;
  t.set(a);
  temps.push(t);
  return t.byteOffset;
}

/** Give back the temporary copies `place` made. */
function unstage(temps: readonly Float64Array[]): void {
  for (const t of temps) arenaRecycle(t);
}

/**
 * Run kernel `name` with the arrays `arrays` placed in the arena (numbers passed as they are) and then out's
 * offset and length: true if it ran, false if out is elsewhere or there is no room (the caller's loop runs).
 */
function runPlaced(name: string, args: readonly (Float64Array | number)[], o: Float64Array): boolean {
  if (!inArena(o)) return false;
  const temps: Float64Array[] = [];
  const at: number[] = [];
  for (const a of args) {
    const p = typeof a === 'number' ? a : place(a, temps);
    if (p === -1 && typeof a !== 'number') {
      unstage(temps);
      return false;
    }
    at.push(p);
  }
  arena!.kernels[name](...at, o.byteOffset, o.length);
  unstage(temps);
  return true;
}

/** out = form(a) in the arena's kernels if out lives there (true), else nothing (false). */
export function simdUnary(form: WasmForm, a: Float64Array, o: Float64Array): boolean {
  return a.length === o.length && runPlaced(form, [a], o);
}

/**
 * out = form(a, b) in the arena's kernels, each operand an array of out's length or a single value (true), if out
 * lives in the arena; else nothing (false: out elsewhere, or a general broadcast).
 */
export function simdBinary(form: WasmForm, a: Float64Array, b: Float64Array, o: Float64Array): boolean {
  const n = o.length;
  if (a.length === n && b.length === n) return runPlaced(`${form}_vv`, [a, b], o);
  if (b.length === 1 && a.length === n) return runPlaced(`${form}_vs`, [a, b[0]], o);
  if (a.length === 1 && b.length === n) return runPlaced(`${form}_sv`, [a[0], b], o);
  return false;
}

/** A one-pass pullback o = g·f′(u) (arenaKernelTable.ts) in the arena's kernels if o lives there. */
export function simdPullback(name: ArenaPullback, g: Float64Array, u: Float64Array, o: Float64Array): boolean {
  return g.length === o.length && u.length === o.length && runPlaced(`pullback_${name}`, [g, u], o);
}
