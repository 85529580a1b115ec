import fc from 'fast-check';

/**
 * Property tests draw from one fixed seed, so `npm test` checks the same cases on every machine and a
 * failure reproduces. `FC_SEED=<integer>` picks another seed; `FC_SEED=random` (what `npm run test:fuzz`
 * sets) draws a fresh one per property, and fast-check prints it with any counterexample.
 */
export const DEFAULT_FC_SEED = 20261202;

/** The seed to configure, or null for fresh random seeds; throws on anything else. */
export function fastCheckSeed(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return DEFAULT_FC_SEED;
  if (raw === 'random') return null;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or 'random', got '${raw}'`);
  return seed;
}

const seed = fastCheckSeed(process.env.FC_SEED);
if (seed !== null) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
