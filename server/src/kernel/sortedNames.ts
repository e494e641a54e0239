// A sorted set of names with prefix search: kernel function names for
// completion (56,000 of them, of which a few dozen go over the wire) and for
// "is this a function of this kernel". A sorted array costs less memory than
// a Set and answers a prefix in a binary search.

export class SortedNames {
  private readonly names: string[];

  /** Takes the array (sorted and deduplicated in place). */
  constructor(names: string[]) {
    names.sort();
    let n = 0;
    for (let i = 0; i < names.length; i++) if (i === 0 || names[i] !== names[n - 1]) names[n++] = names[i];
    names.length = n;
    this.names = names;
  }

  get size(): number {
    return this.names.length;
  }

  has(name: string): boolean {
    const i = this.lowerBound(name);
    return i < this.names.length && this.names[i] === name;
  }

  /** Up to `limit` names starting with `prefix`, in order. */
  withPrefix(prefix: string, limit: number): string[] {
    const out: string[] = [];
    for (let i = this.lowerBound(prefix); i < this.names.length && out.length < limit && this.names[i].startsWith(prefix); i++) out.push(this.names[i]);
    return out;
  }

  [Symbol.iterator](): Iterator<string> {
    return this.names[Symbol.iterator]();
  }

  /** The first index whose name is not below `name`. */
  private lowerBound(name: string): number {
    let lo = 0;
    let hi = this.names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.names[mid] < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Up to `limit` names from sorted lists, merged in order, each once. */
export function mergePrefixed(lists: string[][], limit: number): string[] {
  const all = lists.flat().sort();
  const out: string[] = [];
  for (const name of all) {
    if (out.length >= limit) break;
    if (out[out.length - 1] !== name) out.push(name);
  }
  return out;
}
