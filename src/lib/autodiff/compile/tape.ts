/**
 * The compiler's data: a tape of instructions over numbered values, and what the passes know about
 * those values (sizes, which value is a view into which). Every pass reads and updates one `Tape`.
 */
import type { AttrMap } from '../op.ts';
import type { Shape } from '../shape.ts';

/** Attributes of every tape instruction: the primitives', plus the two the accumulator pass introduces. */
export interface TapeAttrMap extends AttrMap {
  /** acc = 0: clears an accumulator (its output); no inputs. */
  accZero: Record<string, never>;
  /** acc[off + i] += t[i]: inputs [accumulator, t]; the output is the updated accumulator. */
  accAdd: { readonly off: number };
}
export type TapeOp = keyof TapeAttrMap;

/** One instruction per op, with that op's attributes (a union discriminated by `op`), plus `Extra`. */
export type TaggedInstr<Extra> = { [P in TapeOp]: { op: P; ins: number[]; attrs: TapeAttrMap[P]; out: number } & Extra }[TapeOp];
/** An instruction as traced: operand ids, their shapes, the output id and its shape. */
export type Instr = TaggedInstr<{ inShapes: Shape[]; outShape: Shape }>;

/** Value `id` lives inside value `base` from element `off` (a reshape, a slice, an accumulator's state). */
export interface View { readonly base: number; readonly off: number }

export interface Tape {
  /** The instructions, in the order the current pass leaves them. */
  instrs: Instr[];
  /** Element count of each value id (passes may add values). */
  readonly size: number[];
  /** Values that are views into other values. */
  readonly views: Map<number, View>;
  readonly inputIds: readonly number[];
  readonly outIds: readonly number[];
  /** Values not computed on the tape (closure tensors, literals, seeds), read live at run time. */
  readonly consts: ReadonlyMap<number, Float64Array>;
}

/** The value an id ultimately lives in and the element offset there: follows views to their end. */
export function rootOf(tape: Tape, id: number): View {
  let off = 0;
  for (let v = tape.views.get(id); v !== undefined; v = tape.views.get(id)) { off += v.off; id = v.base; }
  return { base: id, off };
}

/** A new value of n elements. */
export function newValue(tape: Tape, n: number): number {
  tape.size.push(n);
  return tape.size.length - 1;
}

/** n = ∏ shape[1:]: elements per row along axis 0. */
export const rowSize = (s: Shape): number => s.slice(1).reduce((a, c) => a * c, 1);
