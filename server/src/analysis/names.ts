// Nearest-name suggestions for typos: `STAP_ARG_skbb` -> `skb`, `execnme` -> `execname`,
// `STAP_ARG_dve` -> `dev`.

/** The candidate nearest by edit distance, if near enough to be a typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    // Only a candidate nearer than the best so far, and near enough to be a typo, matters;
    // one that keeps no letter of the name (`y` for `a`) is a guess, not a correction.
    const bound = Math.min(bestDistance - 1, allowedDistance(name.length, c.length), Math.max(name.length, c.length) - 1);
    if (Math.abs(c.length - name.length) > bound) continue;
    const d = editDistance(lower, c.toLowerCase(), bound);
    if (d <= bound) [best, bestDistance] = [c, d];
  }
  return best;
}

/** How many edits still make a typo: a third of the longer name, at least one. */
function allowedDistance(a: number, b: number): number {
  return Math.max(1, Math.floor(Math.max(a, b) / 3));
}

/**
 * Edits between two names, where an edit inserts, deletes or replaces one
 * character or swaps two neighbours (optimal string alignment): `dve` is one
 * slip of the fingers from `dev`, not two. Some number above `bound` as soon
 * as the distance must exceed it.
 */
export function editDistance(a: string, b: string, bound = Infinity): number {
  let previous: number[] = []; // the row before `row`, for swaps
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, previous[j - 2] + 1);
      next[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // No later row goes below this row's least value (a swap reaches back a row, but costs one): the bound is out of reach.
    if (rowMin > bound) return bound + 1;
    previous = row;
    row = next;
  }
  return row[b.length];
}
