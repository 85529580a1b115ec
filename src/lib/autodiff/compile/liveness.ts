/** Liveness on the final schedule (used by passes 8 and 9). */
import type { Tape } from './tape.ts';

/**
 * lastUse: the last schedule position reading each value or any value viewing it; outChain: every
 * output and every value an output is a view of (never freed, always stored).
 */
export function liveness(tape: Tape): { lastUse: Map<number, number>; outChain: Set<number> } {
  const lastUse = new Map<number, number>();
  tape.instrs.forEach((ins, k) => {
    for (let id of ins.ins) {
      for (;;) {
        lastUse.set(id, k);
        const v = tape.views.get(id);
        if (v === undefined) break;
        id = v.base;
      }
    }
  });
  const outChain = new Set<number>();
  for (let id of tape.outIds) for (;;) { outChain.add(id); const v = tape.views.get(id); if (v === undefined) break; id = v.base; }
  return { lastUse, outChain };
}
