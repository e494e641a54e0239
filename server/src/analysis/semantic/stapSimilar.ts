// The "similar:" list stap prints after a name it does not know, computed as
// stap computes it (util.cxx, levenshtein_suggest): a score per candidate,
// the candidates in byte order, the lowest scores first (ties keep that
// order), at most five. The messages then read the same as stap's.

/**
 * stap's edit score: inserting, deleting or replacing a character costs 2
 * (replacing by the same letter in the other case, 1), except before the
 * first character of either string, where each costs 1 (stap's border row).
 * Some number above `bound` as soon as the score must exceed it.
 */
export function stapEditScore(a: string, b: string, bound = Infinity): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1];
      const y = b[j - 1];
      const replace = x.toLowerCase() === y.toLowerCase() ? 1 : 2;
      next[j] = x === y ? row[j - 1] : Math.min(row[j - 1] + replace, row[j] + 2, next[j - 1] + 2);
      if (next[j] < least) least = next[j];
    }
    if (least > bound) return bound + 1;
    row = next;
  }
  return row[b.length];
}

/** Byte order, as std::string compares: the order of a std::set<string>. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Up to `max` candidates nearest to `target`, in stap's order. As in stap, a
 * candidate is scored only while it can still make the list: its score is at
 * least the difference of the lengths.
 */
export function stapSimilar(target: string, candidates: Iterable<string>, max = 5): string[] {
  const names = [...new Set(candidates)].filter((c) => c !== '').sort(byteOrder);
  // Kept sorted by score; among equal scores, in the order they came (byte order).
  const best: { name: string; score: number }[] = [];
  for (const name of names) {
    const worst = best.length >= max ? best[max - 1].score : Infinity;
    if (Math.abs(target.length - name.length) > worst) continue;
    const score = stapEditScore(target, name, worst);
    if (score > worst) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].score > score) at--;
    best.splice(at, 0, { name, score });
    if (best.length > max) best.length = max;
  }
  return best.map((b) => b.name);
}
