// The member chain written before a `->` or `.`, read backwards from the
// text: `$skb->dev`, `$p->cb[2]`, `@entry($skb)->sk`, `@cast(p, "sk_buff")`,
// `(s)->x` in the script, `skb->dev` in C. Completion and hover ask while the
// code is half-typed, when the tree has no node for it; the text always says.

/** What a chain starts from. */
export type ChainBase = { kind: 'target'; name: string } | { kind: 'variable'; name: string } | { kind: 'cast'; typeName: string; module?: string } | { kind: 'entry'; inner: MemberChain };

export interface MemberChain {
  base: ChainBase;
  /** Member names and '[]' for an index, in order. */
  steps: string[];
}

/** Chains longer than this (or nested deeper) are not followed. */
const MAX_STEPS = 64;

const isWordChar = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);

/** The chain whose text ends at `end` (just before the `->` or `.` being completed), undefined when it is none. */
export function chainBefore(text: string, end: number, depth = 0): MemberChain | undefined {
  if (depth > 4) return undefined;
  const steps: string[] = [];
  let i = skipSpaceBack(text, end);
  for (let n = 0; n < MAX_STEPS; n++) {
    const c = text[i - 1];
    if (c === ']') {
      const open = matchBack(text, i - 1, '[', ']');
      if (open === undefined) return undefined;
      steps.unshift('[]');
      i = skipSpaceBack(text, open);
      continue;
    }
    if (c === ')') {
      const open = matchBack(text, i - 1, '(', ')');
      if (open === undefined) return undefined;
      const nameEnd = skipSpaceBack(text, open);
      let nameStart = nameEnd;
      while (isWordChar(text[nameStart - 1])) nameStart--;
      const name = text.slice(nameStart, nameEnd);
      const inside = text.slice(open + 1, i - 1);
      if (text[nameStart - 1] === '@' && name === 'cast') {
        const base = castBase(inside);
        return base && { base, steps };
      }
      if (text[nameStart - 1] === '@' && name === 'entry') {
        const inner = chainBefore(text, i - 1, depth + 1);
        return inner && { base: { kind: 'entry', inner }, steps };
      }
      if (name !== '') return undefined; // a call: its value has no known type
      // C's `((struct sock *)p)->`: the cast says the type.
      const cCast = /^\s*\(\s*((?:struct|union)\s+[A-Za-z_]\w*)\s*\*\s*\)/.exec(inside);
      if (cCast) return { base: { kind: 'cast', typeName: cCast[1].replace(/\s+/, ' ') }, steps };
      const inner = chainBefore(text, i - 1, depth + 1);
      return inner && { base: inner.base, steps: [...inner.steps, ...steps] };
    }
    if (!isWordChar(c)) return undefined;
    let start = i;
    while (isWordChar(text[start - 1])) start--;
    const word = text.slice(start, i);
    if (/^[0-9]/.test(word)) return undefined;
    if (text[start - 1] === '$') return text[start - 2] === '$' ? undefined : { base: { kind: 'target', name: word }, steps };
    const before = skipSpaceBack(text, start);
    const op = text.slice(before - 2, before);
    if (op === '->' || (text[before - 1] === '.' && text[before - 2] !== '.')) {
      steps.unshift(word);
      i = skipSpaceBack(text, before - (op === '->' ? 2 : 1));
      continue;
    }
    // `(T *)p`: a cast, not the variable's own type.
    if (text[before - 1] === ')') return undefined;
    return { base: { kind: 'variable', name: word }, steps };
  }
  return undefined;
}

/** `p, "sk_buff"` or `p, "struct sk_buff", "kernel"`: the type and module strings. */
function castBase(args: string): ChainBase | undefined {
  const m = /,\s*"([^"\\]*)"\s*(?:,\s*"([^"\\]*)"\s*)?$/.exec(args);
  return m ? { kind: 'cast', typeName: m[1], module: m[2] } : undefined;
}

function skipSpaceBack(text: string, i: number): number {
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}

/** The offset of the bracket that `close` (at `at`) closes; strings are stepped over. */
function matchBack(text: string, at: number, open: string, close: string): number | undefined {
  let depth = 0;
  for (let i = at; i >= 0 && at - i < 4096; i--) {
    const c = text[i];
    if (c === '"') {
      let j = i - 1;
      while (j >= 0 && !(text[j] === '"' && text[j - 1] !== '\\')) j--;
      i = j;
      continue;
    }
    if (c === close) depth++;
    else if (c === open && --depth === 0) return i;
  }
  return undefined;
}
