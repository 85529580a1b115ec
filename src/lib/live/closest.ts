/**
 * "Did you mean …?" for unknown option names: the valid name at the smallest edit distance (Levenshtein), or
 * null when none is close enough to be a plausible typo.
 */

/** distance(a, b) = the fewest single-character insertions, deletions and substitutions turning a into b. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** closest(name, valid) = the valid name nearest to name, if within max(2, ⌊|name|/2⌋) edits; else null. */
export function closest(name: string, valid: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const v of valid) {
    const d = editDistance(name, v);
    if (d < bestD) [best, bestD] = [v, d];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 2)) ? best : null;
}

/** The sentence an unknown-key error ends with: ` — did you mean 'title'?` or the list of valid names. */
export function suggestion(name: string, valid: readonly string[]): string {
  const c = closest(name, valid);
  return c ? ` — did you mean '${c}'?` : ` (valid: ${valid.join(', ')})`;
}
