// Lexer for the SystemTap language. Works on UTF-16 offsets (JS strings), so
// ranges convert directly to LSP positions. Never throws: malformed input
// becomes an `invalid` token plus an entry in `errors`.

import { quoted, SyntaxError } from './diagnostic';
import { declarationLineAfter } from './recovery';

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

/**
 * The length of the operator starting with these characters, longest match
 * first (`<<<` before `<<` before `<`, `>>>` before `>>`); 0 when there is none. `//`, `/*` and
 * `%{ %( %? %: %)` are taken care of before.
 */
function operatorLength(c: number, c2: number, c3: number): number {
  switch (c) {
    case 60 /* < */:
      if (c2 === 60) return c3 === 60 /* < */ || c3 === 61 /* = */ ? 3 : 2;
      return c2 === 61 ? 2 : 1;
    case 62 /* > */:
      if (c2 === 62) return c3 === 61 /* = */ || c3 === 62 /* > */ ? 3 : 2;
      return c2 === 61 ? 2 : 1;
    case 61 /* = */:
    case 33 /* ! */:
      return c2 === 61 /* = */ || c2 === 126 /* ~ */ ? 2 : 1;
    case 38 /* & */:
    case 124 /* | */:
    case 43 /* + */:
      return c2 === c || c2 === 61 ? 2 : 1;
    case 45 /* - */:
      return c2 === 45 || c2 === 61 || c2 === 62 /* > */ ? 2 : 1;
    case 42 /* * */:
    case 47 /* / */:
    case 37 /* % */:
    case 94 /* ^ */:
    case 46 /* . */:
      return c2 === 61 ? 2 : 1;
    case 123 /* { */:
    case 125 /* } */:
    case 40 /* ( */:
    case 41 /* ) */:
    case 91 /* [ */:
    case 93 /* ] */:
    case 59 /* ; */:
    case 44 /* , */:
    case 58 /* : */:
    case 63 /* ? */:
    case 126 /* ~ */:
      return 1;
    default:
      return 0;
  }
}

/**
 * The text of each operator, by its characters' codes (see operatorKey): a
 * token's text is then one shared string, not a new one per token. Operators
 * are half of all tokens.
 */
const OPERATOR_TEXTS = new Map<number, string>();
const operatorKey = (c: number, c2: number, c3: number, length: number) => (length === 1 ? c : length === 2 ? c | (c2 << 8) : c | (c2 << 8) | (c3 << 16));
for (const op of [
  ...'{}()[];,:?~<>=!&|+-*/%^.',
  ...['<<', '<=', '>>', '>=', '==', '=~', '!=', '!~', '&&', '&=', '||', '|=', '++', '+=', '--', '-=', '->', '*=', '/=', '%=', '^=', '.='],
  ...['<<<', '<<=', '>>=', '>>>'],
]) {
  OPERATOR_TEXTS.set(operatorKey(op.charCodeAt(0), op.charCodeAt(1), op.charCodeAt(2), op.length), op);
}

export interface LexResult {
  tokens: Token[];
  comments: Comment[];
  errors: SyntaxError[];
}

// Character classes by code, for ASCII; everything else is in none of them.
const IDENT_START = 1; // [A-Za-z_]
const DIGIT = 2; // [0-9]
const DOLLAR = 4; // stap lets `$` continue any identifier: `$var$`, `$$parms$$`
const CLASSES = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) CLASSES[c] |= IDENT_START;
  if (/[0-9]/.test(ch)) CLASSES[c] |= DIGIT;
  if (ch === '$') CLASSES[c] |= DOLLAR;
}
const isIdentStart = (c: number) => c < 128 && (CLASSES[c] & IDENT_START) !== 0;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlnum = (c: number) => c < 128 && (CLASSES[c] & (IDENT_START | DIGIT)) !== 0;
const isIdentPart = (c: number) => c < 128 && CLASSES[c] !== 0;

/** Every token has the same shape, which keeps the code that reads them fast. */
export function makeToken(kind: TokenKind, text: string, start: number, end: number, spaceBefore: boolean, macroOrigin?: Token['macroOrigin']): Token {
  return { kind, text, start, end, spaceBefore, macroOrigin };
}

export function lex(text: string): LexResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  const errors: SyntaxError[] = [];
  let i = 0;
  let spaceBefore = true;
  const n = text.length;
  let unclosedFrom = Infinity;
  const at = (k: number) => (k < n ? text.charCodeAt(k) : -1);

  const push = (kind: TokenKind, start: number, end: number) => {
    tokens.push(makeToken(kind, text.slice(start, end), start, end, spaceBefore));
    spaceBefore = false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace: space, \t \n \v \f \r
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      spaceBefore = true;
      continue;
    }
    const start = i;
    const c2 = at(i + 1);
    // Comments: #..., //..., /* ... */ (a `#!` line is a `#` comment too)
    if (c === 35 /* # */ || (c === 47 /* / */ && c2 === 47)) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? n : newline;
      comments.push({ text: text.slice(start, i), start, end: i });
      spaceBefore = true;
      continue;
    }
    if (c === 47 /* / */ && c2 === 42 /* * */) {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      // stap accepts this (the comment runs to the end of the file), so only warn.
      if (close < 0) errors.push({ message: "unterminated comment: '/*' has no closing '*/'", start, end: start + 2, severity: 'warning' });
      comments.push({ text: text.slice(start, i), start, end: i });
      spaceBefore = true;
      continue;
    }
    if (c === 37 /* % */) {
      if (c2 === 123 /* { */) {
        // Once no `%}` follows, none follows a later `%{` either: no need to search again.
        const close = i + 2 >= unclosedFrom ? -1 : text.indexOf('%}', i + 2);
        if (close < 0) {
          unclosedFrom = Math.min(unclosedFrom, i + 2);
          errors.push({ message: "unterminated embedded C, expected '%}'", start, end: start + 2 });
          // It would take in the rest of the file; it ends before the next declaration instead.
          const resume = declarationLineAfter(text, i + 2);
          i = resume < 0 ? n : resume;
        } else {
          i = close + 2;
        }
        push('embedded', start, i);
        continue;
      }
      if (c2 === 40 /* ( */ || c2 === 63 /* ? */ || c2 === 58 /* : */ || c2 === 41 /* ) */) {
        i += 2;
        push('pp', start, i);
        continue;
      }
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      push('identifier', start, i);
      continue;
    }
    if (c === 36 /* $ */ || c === 64 /* @ */) {
      i++;
      if (at(i) === 35 /* # */) {
        i++;
      } else {
        while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      }
      if (i === start + 1 && c === 64) {
        errors.push({ message: "invalid character '@'", start, end: i });
        push('invalid', start, i);
      } else {
        push(c === 36 ? 'dollar' : 'at', start, i);
      }
      continue;
    }
    if (isDigit(c)) {
      // Like stap: take every letter and digit, then check the whole (`12ab`, `09`, `0x`).
      i++;
      while (i < n && isAlnum(text.charCodeAt(i))) i++;
      if (!isValidNumber(text.slice(start, i))) {
        errors.push({ message: `number invalid or out of range: ${quoted(text.slice(start, i))}`, start, end: i });
      }
      push('number', start, i);
      continue;
    }
    if (c === 34 /* " */) {
      i++;
      let closed = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \\ */) {
          i += 2;
          continue;
        }
        if (d === 10) break;
        i++;
        if (d === 34) {
          closed = true;
          break;
        }
      }
      if (i > n) i = n;
      if (!closed) errors.push({ message: 'unterminated string literal', start, end: i });
      push('string', start, i);
      continue;
    }
    const c3 = at(i + 2);
    const op = operatorLength(c, c2, c3);
    if (op) {
      i += op;
      tokens.push(makeToken('operator', OPERATOR_TEXTS.get(operatorKey(c, c2, c3, op)) ?? text.slice(start, i), start, i, spaceBefore));
      spaceBefore = false;
      continue;
    }
    // Anything else: one code point of junk.
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1;
    errors.push({ message: `invalid character '${text.slice(start, i)}'`, start, end: i });
    push('invalid', start, i);
  }
  tokens.push(makeToken('eof', '', n, n, true));
  return { tokens, comments, errors };
}

const MAX_NUMBER = (1n << 64n) - 1n;

/** The value of a number literal (decimal, 0x hex, 0 octal), or undefined when stap rejects it. */
export function numberValue(text: string): bigint | undefined {
  if (text.length < 16 && /^(?:[1-9][0-9]*|0)$/.test(text)) return BigInt(text); // the usual case, no range check needed
  return checkedNumberValue(text);
}

/** Whether stap accepts a number literal: numberValue without making the value, for the lexer, which only checks. */
export function isValidNumber(text: string): boolean {
  const n = text.length;
  if (n < 16 && text.charCodeAt(0) !== 48 /* 0 */) {
    // A short decimal, the usual case: digits only, far within range.
    let k = 0;
    while (k < n && isDigit(text.charCodeAt(k))) k++;
    if (k === n) return true;
  }
  if (text === '0') return true;
  return checkedNumberValue(text) !== undefined;
}

function checkedNumberValue(text: string): bigint | undefined {
  let value: bigint;
  if (/^0[xX][0-9A-Fa-f]+$/.test(text)) value = BigInt(text);
  else if (/^0[0-7]*$/.test(text)) value = BigInt('0o' + (text.slice(1) || '0'));
  else if (/^[1-9][0-9]*$/.test(text)) value = BigInt(text);
  else return undefined;
  return value <= MAX_NUMBER ? value : undefined;
}

export const isKeyword = (t: Token) => t.kind === 'identifier' && KEYWORDS.has(t.text);
