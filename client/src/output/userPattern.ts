// The user's own regular expression, for the lines the automatic grouping
// misses: each match is a sample, each named group (else each numbered group)
// a field. Pure: no VS Code here.

export interface UserPattern {
  source: string;
  regex: RegExp;
  fields: string[];
}

/** The pattern, or the reason it is not one (a message to show). */
export function compileUserPattern(source: string): UserPattern | string {
  if (source.trim() === '') return 'The pattern is empty.';
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (e) {
    return `Not a regular expression: ${(e as Error).message}`;
  }
  const groupCount = new RegExp(`${source}|`).exec('')!.length - 1;
  if (groupCount === 0) return 'The pattern needs a group around each number to plot, e.g. (\\d+) or (?<reads>\\d+).';
  const named = [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]);
  const fields = named.length > 0 ? named : Array.from({ length: groupCount }, (_, i) => `group ${i + 1}`);
  return { source, regex, fields };
}

/** The fields' values in a line, or undefined when the pattern does not match it (a group that is not a number is null). */
export function matchUserPattern(pattern: UserPattern, line: string): (number | null)[] | undefined {
  const m = pattern.regex.exec(line);
  if (!m) return undefined;
  const raw = m.groups && Object.keys(m.groups).length > 0 ? pattern.fields.map((f) => m.groups![f]) : m.slice(1);
  return raw.map((text) => {
    if (text === undefined) return null;
    const value = Number(text.trim());
    return text.trim() !== '' && Number.isFinite(value) ? value : null;
  });
}
