/**
 * Pass 8, steps: cut the schedule into what runs as one unit: a fused loop (a run of two or more
 * fusable instructions of one loop length), a matmul pair, or a single kernel.
 */
import type { ExtRef, FusedInstr } from './fuseLoop.ts';
import { liveness } from './liveness.ts';
import { addToRun, canJoin, loopLen, newRun } from './runs.ts';
import { type Instr, rootOf, type Tape } from './tape.ts';

type Matmul = Instr & { op: 'matmul' };

/** One unit of the program; k0..k1 are its positions in the schedule (for liveness). */
export type Step =
  | { kind: 'fused'; k0: number; k1: number; n: number; instrs: FusedInstr[]; ops: string[]; extIds: number[]; bases: number[]; ext: Map<number, ExtRef>; stored: number[] }
  | { kind: 'pair'; k0: number; k1: number; first: Matmul; second: Matmul }
  | { kind: 'single'; k0: number; k1: number; ins: Instr; bordersOnly: boolean };

/** The fused step of sched[k0..k1]: which values it reads (through their base buffers) and which it must store. */
function fusedStep(tape: Tape, run: Instr[], k0: number, k1: number, n: number, lastUse: ReadonlyMap<number, number>, outChain: ReadonlySet<number>): Step {
  // An accumulation reads and writes its accumulator's whole buffer (by offset), never a register.
  const instrs = run.map((i): FusedInstr => (i.op === 'accAdd' ? { ...i, ins: [rootOf(tape, i.ins[0]).base, i.ins[1]] } : i));
  const produced = new Set(instrs.filter((i) => i.op !== 'accAdd').map((i) => i.out));
  const extIds = [...new Set(instrs.flatMap((i) => i.ins).filter((i) => !produced.has(i)))];
  const accs = new Set(instrs.filter((f) => f.op === 'accAdd').map((f) => f.ins[0]));
  // Views are read through their base buffer at an offset, so x[1:] and x[:-1] share one array.
  const bases: number[] = [];
  const ext = new Map<number, ExtRef>();
  for (const id of extIds) {
    const { base, off } = rootOf(tape, id);
    let j = bases.indexOf(base);
    if (j < 0) { j = bases.length; bases.push(base); }
    ext.set(id, { buf: j, off, scalar: tape.size[id] === 1 && n !== 1 && !accs.has(id) });
  }
  const stored = run.filter((i) => i.op !== 'accAdd').map((i) => i.out).filter((id) => outChain.has(id) || (lastUse.get(id) ?? -1) > k1);
  return { kind: 'fused', k0, k1, n, instrs, ops: run.map((i) => i.op), extIds, bases, ext, stored };
}

/** Contract: consecutive steps cover the schedule exactly once, in order; fused steps only when `fusion` (code generation available). */
export function groupSteps(tape: Tape, pairs: ReadonlyMap<Instr, Instr>, bordersOnly: ReadonlySet<Instr>, fusion: boolean): Step[] {
  const sched = tape.instrs;
  const { lastUse, outChain } = liveness(tape);
  const steps: Step[] = [];
  for (let k = 0; k < sched.length;) {
    let e = k;
    const n = fusion ? loopLen(tape, sched[k]) : -1;
    if (n >= 0) {
      const run = newRun(n);
      addToRun(tape, run, sched[k]);
      while (e + 1 < sched.length && canJoin(tape, sched[e + 1], run)) addToRun(tape, run, sched[++e]);
    }
    const ins = sched[k];
    const partner = pairs.get(ins);
    if (e > k) {
      steps.push(fusedStep(tape, sched.slice(k, e + 1), k, e, n, lastUse, outChain));
      k = e + 1;
    } else if (partner !== undefined && ins.op === 'matmul' && partner.op === 'matmul') {
      steps.push({ kind: 'pair', k0: k, k1: k + 1, first: ins, second: partner });
      k += 2;
    } else {
      steps.push({ kind: 'single', k0: k, k1: k, ins, bordersOnly: bordersOnly.has(ins) });
      k++;
    }
  }
  return steps;
}
