// Lexer for the SystemTap language. Works on UTF-16 offsets (JS strings), so
// ranges convert directly to LSP positions. Never throws: malformed input
// becomes an `invalid` token plus an entry in `errors`.

import { SyntaxError } from './diagnostic';

export type TokenKind =
  | 'identifier' // foo, also keywords (see KEYWORDS)
  | 'dollar' // $var, $$vars, $1, $#
  | 'at' // @cast, @var, @1, @#, @macro
  | 'number'
  | 'string'
  | 'operator'
  | 'embedded' // %{ ... %}
  | 'pp' // %( %? %: %)
  | 'invalid'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** True when whitespace or a comment separates this token from the previous one. */
  spaceBefore: boolean;
  /**
   * Set on tokens that come from a macro body: `start`/`end` are then the
   * range of the macro use in this file, and this is where the token really is.
   */
  macroOrigin?: { start: number; end: number; file?: string };
}

export interface Comment {
  text: string;
  start: number;
  end: number;
}

export const KEYWORDS = new Set([
  'probe',
  'global',
  'function',
  'private',
  'if',
  'else',
  'for',
  'foreach',
  'in',
  'limit',
  'return',
  'delete',
  'while',
  'break',
  'continue',
  'next',
  'try',
  'catch',
  'string',
  'long',
]);

// Longest first, so greedy matching picks `<<<` before `<<` before `<`.
const OPERATORS = [
  '<<<', '<<=', '>>=',
  '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '%=',
  '&=', '|=', '^=', '.=', '<<', '>>', '->', '=~', '!~',
  '{', '}', '(', ')', '[', ']', ';', ',', '.', ':', '?', '+', '-', '*', '/', '%',
  '&', '|', '^', '!', '~', '=', '<', '>',
];

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: SyntaxError[];
}

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
// stap lets `$` continue any identifier: `$var$`, `$$parms$$`, `$$$$provider`.
const isIdentPart = (c: string) => /[A-Za-z0-9_$]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: SyntaxError[] = [];
  let i = 0;
  let spaceBefore = true;
  const n = text.length;

  // A `#!` interpreter line is a comment to stap.
  const push = (kind: TokenKind, start: number, end: number) => {
    tokens.push({ kind, text: text.slice(start, end), start, end, spaceBefore });
    spaceBefore = false;
  };

  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      spaceBefore = true;
      continue;
    }
    const start = i;
    // Comments: #..., //..., /* ... */
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < n && text[i] !== '\n') i++;
      comments.push({ text: text.slice(start, i), start, end: i });
      spaceBefore = true;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      // stap accepts this (the comment runs to the end of the file), so only warn.
      if (close < 0) errors.push({ message: "unterminated comment: '/*' has no closing '*/'", start, end: start + 2, severity: 'warning' });
      comments.push({ text: text.slice(start, i), start, end: i });
      spaceBefore = true;
      continue;
    }
    if (c === '%' && text[i + 1] === '{') {
      const close = text.indexOf('%}', i + 2);
      if (close < 0) {
        errors.push({ message: 'unterminated embedded C, expected \'%}\'', start, end: start + 2 });
        i = n;
      } else {
        i = close + 2;
      }
      push('embedded', start, i);
      continue;
    }
    if (c === '%' && (text[i + 1] === '(' || text[i + 1] === '?' || text[i + 1] === ':' || text[i + 1] === ')')) {
      i += 2;
      push('pp', start, i);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i])) i++;
      push('identifier', start, i);
      continue;
    }
    if (c === '$' || c === '@') {
      i++;
      if (text[i] === '#') {
        i++;
      } else {
        while (i < n && isIdentPart(text[i])) i++;
      }
      if (i === start + 1 && c === '@') {
        errors.push({ message: `invalid character '${c}'`, start, end: i });
        push('invalid', start, i);
      } else {
        push(c === '$' ? 'dollar' : 'at', start, i);
      }
      continue;
    }
    if (isDigit(c)) {
      // Like stap: take every letter and digit, then check the whole (`12ab`, `09`, `0x`).
      while (i < n && /[A-Za-z0-9]/.test(text[i])) i++;
      if (numberValue(text.slice(start, i)) === undefined) {
        errors.push({ message: `number invalid or out of range: '${text.slice(start, i)}'`, start, end: i });
      }
      push('number', start, i);
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === '\n') break;
        i++;
        if (d === '"') {
          closed = true;
          break;
        }
      }
      if (!closed) {
        errors.push({ message: 'unterminated string literal', start, end: Math.min(i, n) });
      }
      push('string', start, Math.min(i, n));
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      push('operator', start, i);
      continue;
    }
    // Anything else: one code point of junk.
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    errors.push({ message: `invalid character '${text.slice(start, i)}'`, start, end: i });
    push('invalid', start, i);
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n, spaceBefore: true });
  return { tokens, comments, errors };
}

const MAX_NUMBER = (1n << 64n) - 1n;

/** The value of a number literal (decimal, 0x hex, 0 octal), or undefined when stap rejects it. */
export function numberValue(text: string): bigint | undefined {
  let value: bigint;
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) value = BigInt(text);
  else if (/^0[0-7]*$/.test(text)) value = BigInt('0o' + (text.slice(1) || '0'));
  else if (/^[1-9][0-9]*$/.test(text)) value = BigInt(text);
  else return undefined;
  return value <= MAX_NUMBER ? value : undefined;
}

export const isKeyword = (t: Token) => t.kind === 'identifier' && KEYWORDS.has(t.text);
