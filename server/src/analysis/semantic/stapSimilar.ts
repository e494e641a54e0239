// The "similar:" list stap prints after a name it does not know, computed as
// stap computes it (util.cxx, levenshtein_suggest): a score per candidate,
// the candidates in byte order, the lowest scores first (ties keep that
// order), at most five. The messages then read the same as stap's.

/**
 * stap's edit score: inserting, deleting or replacing a character costs 2
 * (replacing by the same letter in the other case, 1), except before the
 * first character of either string, where each costs 1 (stap's border row).
 */
export function stapEditScore(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const x = a[i - 1];
      const y = b[j - 1];
      const replace = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 1 : 2;
      next[j] = x === y ? row[j - 1] : Math.min(row[j - 1] + replace, row[j] + 2, next[j - 1] + 2);
    }
    row = next;
  }
  return row[b.length];
}

/** Byte order, as std::string compares: the order of a std::set<string>. */
export const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Up to `max` candidates nearest to `target`, in stap's order. */
export function stapSimilar(target: string, candidates: Iterable<string>, max = 5): string[] {
  const names = [...new Set(candidates)].filter((c) => c !== '').sort(byteOrder);
  const scored = names.map((name, order) => ({ name, order, score: stapEditScore(target, name) }));
  scored.sort((p, q) => p.score - q.score || p.order - q.order);
  return scored.slice(0, max).map((s) => s.name);
}
