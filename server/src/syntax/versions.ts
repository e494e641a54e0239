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

const compiled = new Map<string, RegExp | undefined>();

/** fnmatch(3) without flags: `*`, `?` and `[...]` classes. */
export function globMatch(pattern: string, text: string): boolean {
  if (!/[*?[]/.test(pattern)) return pattern === text;
  if (!compiled.has(pattern)) compiled.set(pattern, globToRegExp(pattern));
  const re = compiled.get(pattern);
  return re ? re.test(text) : pattern === text;
}

function globToRegExp(pattern: string): RegExp | undefined {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += '[' + body.replace(/\\/g, '\\\\') + ']';
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$', 's');
  } catch {
    return undefined;
  }
}
