// Version and pattern comparisons with the semantics stap's preprocessor uses:
// glibc strverscmp for `kernel_v >= "2.6.32"`, fnmatch for `arch == "i?86"`.

/** Like strverscmp(3) for the common case: digit runs compare as numbers. */
export function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/**
 * fnmatch(3) with flags 0, as glibc does it: `*`, `?`, bracket expressions
 * (`[abc]`, `[!abc]` or `[^abc]`, ranges `a-z`, `]` first in the list is a
 * member, `[:alpha:]` classes, `[=a=]` and `[.a.]` as the C locale has them)
 * and backslash escapes. An unterminated `[` is an ordinary character (glibc
 * 2.36 and later). The pattern is compiled to a list of elements and
 * matched with one saved position for the last `*`: at most
 * O(pattern * text) steps, where a regular expression with one `.*` per star
 * backtracks exponentially.
 */
export function globMatch(pattern: string, text: string): boolean {
  if (!/[*?[\\]/.test(pattern)) return pattern === text;
  let elements = compiled.get(pattern);
  if (!elements) {
    elements = compileGlob(pattern);
    if (compiled.size >= 256) compiled.clear();
    compiled.set(pattern, elements);
  }
  return matchElements(elements, text);
}

/** One bracket expression member: a range of code units, or a character class. */
type Member = { lo: number; hi: number } | ((c: number) => boolean);

type Element =
  | { kind: 'star' }
  | { kind: 'any' }
  | { kind: 'char'; code: number }
  /**
   * `bad`: the list is ill-formed after `members`, glibc fails when it gets
   * there. `trap`: members before this index fail too, as glibc fails to skip
   * the rest of the list after them.
   */
  | { kind: 'set'; negate: boolean; members: Member[]; bad: boolean; trap: number }
  /** A pattern glibc never matches at this point (a trailing backslash). */
  | { kind: 'fail' };

const compiled = new Map<string, Element[]>();

const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLower = (c: number) => c >= 97 && c <= 122;
const isAlpha = (c: number) => isUpper(c) || isLower(c);
const isGraph = (c: number) => c > 32 && c < 127;
/** The C locale's character classes, as `[:NAME:]` names them. */
const CHARACTER_CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: isAlpha,
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: isDigit,
  graph: isGraph,
  lower: isLower,
  print: (c) => c === 32 || isGraph(c),
  punct: (c) => isGraph(c) && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: isUpper,
  xdigit: (c) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};
/** glibc gives up on longer class names. */
const CLASS_NAME_MAX = 256;

function compileGlob(pattern: string): Element[] {
  const out: Element[] = [];
  const n = pattern.length;
  let i = 0;
  while (i < n) {
    const c = pattern[i];
    if (c === '*') {
      if (out[out.length - 1]?.kind !== 'star') out.push({ kind: 'star' }); // `**` is `*`
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '\\') {
      out.push(i + 1 < n ? { kind: 'char', code: pattern.charCodeAt(i + 1) } : { kind: 'fail' });
      i += 2;
    } else if (c === '[') {
      const set = compileBracket(pattern, i + 1);
      if (set) {
        out.push(set.element);
        i = set.next;
      } else {
        out.push({ kind: 'char', code: 91 }); // unterminated: an ordinary `[`
        i++;
      }
    } else {
      out.push({ kind: 'char', code: pattern.charCodeAt(i) });
      i++;
    }
  }
  return out;
}

/** The bracket expression whose list starts at `start` (after `[`), or undefined when no `]` ends it. */
function compileBracket(pattern: string, start: number): { element: Element; next: number } | undefined {
  const n = pattern.length;
  let j = start;
  const negate = pattern[j] === '!' || pattern[j] === '^';
  if (negate) j++;
  const members: Member[] = [];
  let bad = false;
  let trap = 0;
  let first = true;
  const add = (m: Member) => {
    if (!bad) members.push(m);
  };
  /** `[.c.]` at `k` (on `[`): its character, undefined when it has more than one, or 'unterminated'. */
  const collatingSymbol = (k: number): { char?: string; next: number } | 'unterminated' => {
    const close = pattern.indexOf('.]', k + 2);
    if (close < 0) return 'unterminated';
    return { char: close === k + 3 ? pattern[k + 2] : undefined, next: close + 2 };
  };
  for (;;) {
    if (j >= n) return undefined;
    let c = pattern[j];
    if (c === ']' && !first) return { element: { kind: 'set', negate, members, bad, trap }, next: j + 1 };
    first = false;
    let lowIsSymbol = false;
    if (c === '\\') {
      if (j + 1 >= n) return undefined;
      c = pattern[j + 1];
      j += 2;
    } else if (c === '[' && pattern[j + 1] === ':') {
      // `[:NAME:]`, NAME in a-y as glibc reads it; anything else makes `[` a member.
      let k = j + 2;
      let name = '';
      let isClass = true;
      for (;;) {
        if (pattern[k] === ':' && pattern[k + 1] === ']') break;
        const ch = pattern[k];
        if (ch === undefined || ch < 'a' || ch >= 'z') {
          isClass = false;
          break;
        }
        name += ch;
        k++;
      }
      if (isClass) {
        const test = name.length < CLASS_NAME_MAX && Object.hasOwn(CHARACTER_CLASSES, name) ? CHARACTER_CLASSES[name] : undefined;
        if (test) add(test);
        else bad = true;
        j = k + 2;
        continue;
      }
      j++;
    } else if (c === '[' && pattern[j + 1] === '=') {
      // `[=c=]`: in the C locale, the character itself. glibc reads a malformed
      // one as `[` and `=`, but then fails when it skips over it after a match.
      if (j + 4 < n && pattern[j + 3] === '=' && pattern[j + 4] === ']') {
        add({ lo: pattern.charCodeAt(j + 2), hi: pattern.charCodeAt(j + 2) });
        j += 5;
        continue;
      }
      trap = members.length;
      j++;
    } else if (c === '[' && pattern[j + 1] === '.') {
      // `[.c.]`: one character in the C locale.
      const symbol = collatingSymbol(j);
      if (symbol === 'unterminated') return { element: { kind: 'fail' }, next: n };
      if (symbol.char === undefined) bad = true;
      c = symbol.char ?? '';
      j = symbol.next;
      lowIsSymbol = true;
    } else {
      j++;
    }
    // `c` is a member, or a range's low end.
    if (pattern[j] === '-' && j + 1 < n && pattern[j + 1] !== ']') {
      let hi = pattern[j + 1];
      j += 2;
      if (hi === '\\') {
        if (j >= n) return undefined;
        hi = pattern[j++];
      } else if (hi === '[' && pattern[j] === '.') {
        const symbol = collatingSymbol(j - 1);
        if (symbol === 'unterminated') return { element: { kind: 'fail' }, next: n };
        if (symbol.char === undefined) bad = true;
        hi = symbol.char ?? '';
        j = symbol.next;
      }
      if (!bad) add({ lo: c.charCodeAt(0), hi: hi.charCodeAt(0) });
    } else if (lowIsSymbol && pattern[j] === '-' && j + 1 < n) {
      // glibc takes `[.c.]-]` for a range start, then reads `-` alone: c is no member.
    } else if (c !== '') {
      add({ lo: c.charCodeAt(0), hi: c.charCodeAt(0) });
    }
  }
}

function elementMatches(e: Element, c: number): boolean {
  switch (e.kind) {
    case 'any':
      return true;
    case 'char':
      return e.code === c;
    case 'set': {
      for (let i = 0; i < e.members.length; i++) {
        const m = e.members[i];
        if (typeof m === 'function' ? m(c) : m.lo <= c && c <= m.hi) return !e.negate && i >= e.trap;
      }
      return !e.bad && e.negate;
    }
    default:
      return false;
  }
}

/** Matches left to right; a mismatch goes back to just after the last `*`, which then takes one more character. */
function matchElements(elements: Element[], text: string): boolean {
  let e = 0;
  let t = 0;
  let starElement = -1;
  let starText = 0;
  while (t < text.length) {
    const element = elements[e];
    if (element?.kind === 'star') {
      starElement = e++;
      starText = t;
      continue;
    }
    if (element && elementMatches(element, text.charCodeAt(t))) {
      e++;
      t++;
      continue;
    }
    if (starElement < 0) return false;
    e = starElement + 1;
    t = ++starText;
  }
  while (elements[e]?.kind === 'star') e++;
  return e === elements.length;
}
