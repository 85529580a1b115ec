/**
 * Pass 5, schedule: list scheduling in tape order that keeps extending the current elementwise run,
 * so that e.g. the whole backward chain of Rosenbrock joins the loop of its forward pass.
 */
import { addToRun, canJoin, loopLen, newRun } from './runs.ts';
import { type Instr, type Tape } from './tape.ts';

/** For each instruction: how many instructions it waits for, and who waits for it. */
function dependencies(tape: Tape): { pending: number[]; users: number[][] } {
  const producer = new Map<number, number>();
  tape.instrs.forEach((ins, k) => producer.set(ins.out, k));
  const users: number[][] = tape.instrs.map(() => []);
  const pending = tape.instrs.map((ins, k) => {
    const deps = new Set<number>();
    for (let i of ins.ins) {
      // The producer of an operand, or of the value it is a view of.
      for (;;) {
        const p = producer.get(i);
        if (p !== undefined) { deps.add(p); break; }
        const v = tape.views.get(i);
        if (v === undefined) break;
        i = v.base;
      }
    }
    for (const p of deps) users[p].push(k);
    return deps.size;
  });
  return { pending, users };
}

/** Contract: the instructions in a topological order in which fusable instructions of one loop length form runs as long as possible. */
export function schedule(tape: Tape, fusion: boolean): void {
  const kept = tape.instrs;
  const { pending, users } = dependencies(tape);
  const ready: number[] = [];
  const insertReady = (k: number): void => {
    let lo = 0, hi = ready.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (ready[mid] < k) lo = mid + 1; else hi = mid; }
    ready.splice(lo, 0, k);
  };
  pending.forEach((c, k) => { if (c === 0) ready.push(k); });
  const sched: Instr[] = [];
  let cur = newRun(-1);
  while (ready.length > 0) {
    let pick = fusion ? ready.findIndex((k) => canJoin(tape, kept[k], cur)) : -1;
    if (pick < 0) {
      // Start a new run; first run whatever cannot be fused, so more of the next run is ready.
      pick = Math.max(0, ready.findIndex((k) => loopLen(tape, kept[k]) < 0));
      cur = newRun(fusion ? loopLen(tape, kept[ready[0]]) : -1);
    }
    const k = ready.splice(pick, 1)[0];
    addToRun(tape, cur, kept[k]);
    sched.push(kept[k]);
    for (const u of users[k]) if (--pending[u] === 0) insertReady(u);
  }
  tape.instrs = sched;
}
