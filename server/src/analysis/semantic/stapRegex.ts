// Whether stap's own regex engine accepts a pattern, as its parser reads it
// (stapregex-parse.cxx, stap 4.8): a POSIX-ERE-like syntax read from the
// literal's text as written, escapes and all, with stap's own limits and
// quirks (a repetition may not start a term nor follow an anchor, `{N}` stays
// under 12345, a stray `)` at the very end goes unnoticed). Only the parse
// is judged: the answer is stap's message and the position it gives, or
// undefined when the pattern parses.

export interface RegexProblem {
  message: string;
  /** Offset in the literal's text (between the quotes); none where stap gives none. */
  position?: number;
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly position?: number,
  ) {
    super(message);
  }
}

const SPECIAL = new Set(['.', '[', '{', '(', ')', '\\', '*', '+', '?', '|', '^', '$']);
const REPEAT = new Set(['*', '+', '?', '{']);
const HEX = '0123456789abcdef';
const OCTAL = '01234567';
const CLASSES = new Set(['alpha', 'alnum', 'blank', 'cntrl', 'd', 'digit', 'xdigit', 'graph', 'l', 'lower', 'print', 'punct', 's', 'space', 'u', 'upper']);
const CONTROL: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };
const MAX_REPETITIONS = 12345;

/** The literal's characters one at a time, its escapes undone, remembering where each began (stap's `cursor`). */
class Cursor {
  pos = 0;
  lastPos = 0;
  finished: boolean;
  /** The character read ahead and not taken yet; '' for none. */
  private ahead = '';

  constructor(readonly input: string) {
    this.finished = input.length === 0;
  }

  next(): string {
    if (!this.ahead && this.finished) throw new Refusal('unexpected end of regex', this.pos);
    if (!this.ahead) this.readAhead();
    const c = this.ahead;
    this.ahead = '';
    return c;
  }

  peek(): string {
    if (!this.ahead && !this.finished) this.readAhead();
    return this.ahead;
  }

  /** At least `n` characters left from `pos` (stap's unsigned arithmetic: always, for a text shorter than `n`). */
  has(n: number): boolean {
    return this.input.length < n || this.pos <= this.input.length - n;
  }

  private readAhead(): void {
    const input = this.input;
    this.lastPos = this.pos;
    let c = input[this.pos];
    if (c !== '\\') {
      this.take(c, 1);
      return;
    }
    this.pos++;
    if (this.pos >= input.length) throw new Refusal('unexpected end of regex', this.pos);
    c = input[this.pos];
    if (c in CONTROL) c = CONTROL[c];
    else if (c === 'x') {
      if (this.pos >= input.length - 2) throw new Refusal('two hex digits required in escape sequence', this.pos);
      const d1 = HEX.indexOf(input[this.pos + 1].toLowerCase());
      const d2 = HEX.indexOf(input[this.pos + 2].toLowerCase());
      if (d1 < 0 || d2 < 0) throw new Refusal('two hex digits required in escape sequence', this.pos + (d1 >= 0 ? 1 : 2));
      c = String.fromCharCode(d1 * 16 + d2);
      this.pos += 2;
    } else if (c >= '4' && c <= '7') {
      throw new Refusal('octal escape sequence out of range', this.pos);
    } else if (c >= '0' && c <= '3') {
      if (this.pos >= input.length - 2) throw new Refusal('three octal digits required in escape sequence', this.pos);
      const digits = [0, 1, 2].map((i) => OCTAL.indexOf(input[this.pos + i]));
      if (digits.some((d) => d < 0)) throw new Refusal('three octal digits required in escape sequence', this.pos + (digits[1] >= 0 ? 1 : 2));
      c = String.fromCharCode(digits[0] * 64 + digits[1] * 8 + digits[2]);
      this.pos += 2;
    }
    this.take(c, 1);
  }

  private take(c: string, width: number): void {
    // A NUL reads as "nothing", as in stap's C.
    this.ahead = c === '\0' ? '' : c;
    this.pos += width;
    this.finished = this.pos >= this.input.length;
  }
}

type Piece = 'anchor' | 'other';

class RegexParser {
  private readonly cur: Cursor;

  constructor(input: string) {
    this.cur = new Cursor(input);
  }

  parse(): void {
    this.expression();
    if (!this.cur.finished && this.cur.peek() === ')') throw new Refusal("unbalanced ')'", this.cur.pos);
  }

  private fail(message: string, position = this.cur.lastPos): never {
    throw new Refusal(message, position);
  }

  private expect(wanted: string): void {
    let c: string;
    try {
      c = this.cur.next();
    } catch {
      this.fail(`expected ${wanted}, found end of regex`);
    }
    if (c !== wanted) this.fail(`expected ${wanted}, found ${c}`);
  }

  private expression(): void {
    this.term();
    while (this.cur.peek() === '|') {
      this.cur.next();
      this.term();
    }
  }

  private term(): void {
    this.factor();
    for (let c = this.cur.peek(); c && c !== '|' && c !== ')'; c = this.cur.peek()) this.factor();
  }

  private factor(): void {
    let c = this.cur.peek();
    if (!c || c === '|' || c === ')') return;
    if (REPEAT.has(c)) this.fail(`unexpected '${c}'`);
    if (SPECIAL.has(c) && c !== '\\') this.cur.next();
    let piece: Piece = 'other';
    if (c === '[') {
      this.characterClass();
      this.expect(']');
    } else if (c === '(') {
      if (this.cur.peek() === '?') {
        this.cur.next();
        const c3 = this.cur.peek();
        // stap leaves the ':' of `(?:` in the group, as a literal.
        if (c3 !== ':') this.fail(`unexpected '(?${c3}'`);
      }
      this.expression();
      this.expect(')');
    } else if (c === '^' || c === '$') {
      piece = 'anchor';
    } else if (c !== '.') {
      // A run of ordinary or escaped characters; a repetition after it governs its last character only.
      while (c && (!SPECIAL.has(c) || c === '\\')) {
        if (c === '\\') {
          this.cur.next();
          c = this.cur.peek();
        }
        this.cur.next();
        const d = this.cur.peek();
        if (REPEAT.has(d)) break;
        c = d;
      }
    }
    for (c = this.cur.peek(); REPEAT.has(c); c = this.cur.peek()) {
      this.cur.next();
      if (piece === 'anchor') this.fail(`postfix closure '${c}' applied to anchoring operator`);
      piece = 'other';
      if (c === '{') this.bounds();
    }
  }

  /** `{N}`, `{N,}`, `{N,M}` after the `{`. */
  private bounds(): void {
    this.number();
    const c = this.cur.next();
    if (c === ',') {
      const d = this.cur.peek();
      if (d === '}') this.cur.next();
      else if (/[0-9]/.test(d)) {
        this.number();
        this.expect('}');
      } else this.fail("expected '}' or number", this.cur.pos);
    } else if (c !== '}') this.fail("expected ',' or '}'");
  }

  private number(): void {
    let digits = '';
    for (let c = this.cur.peek(); c && /[0-9]/.test(c); c = this.cur.peek()) {
      this.cur.next();
      digits += c;
    }
    if (!digits) this.fail('expected number', this.cur.pos);
    if (Number(digits) >= MAX_REPETITIONS) this.fail(`${digits} is too large`, this.cur.pos);
  }

  /** After `[`: ranges and named classes up to, not including, the `]`. */
  private characterClass(): void {
    if (this.cur.peek() === '^') this.cur.next();
    for (;;) {
      if (this.cur.finished) this.fail('unclosed character class');
      this.range();
      if (this.cur.peek() === ']') return;
    }
  }

  private range(): void {
    const cur = this.cur;
    let c = cur.peek();
    if (c === '\\') {
      cur.next();
      c = cur.peek();
      cur.next();
    } else if (c === '[') {
      cur.next();
      c = cur.peek();
      if (c === ':') {
        cur.next();
        c = cur.peek();
        let name = '';
        for (;;) {
          if (cur.finished) throw new Refusal(`unclosed character class '[:${name}'`, cur.pos);
          if (cur.has(2) && c === ':' && cur.input[cur.pos] === ']') {
            cur.next();
            cur.next();
            // stap gives no position for this one.
            if (!CLASSES.has(name)) throw new Refusal(`unknown character class '${name}'`);
            return;
          }
          name += c;
          cur.next();
          c = cur.peek();
        }
      }
      c = '[';
    } else cur.next();
    const low = c;
    if (!cur.has(2) || cur.peek() !== '-' || cur.input[cur.pos] === ']') return;
    cur.next();
    const high = cur.peek();
    if (high < low) throw new Refusal(`Inverted character range ${low}-${high}`, cur.pos);
    cur.next();
  }
}

/** stap's verdict on a pattern, given as the text between the literal's quotes. */
export function stapRegexProblem(pattern: string): RegexProblem | undefined {
  try {
    new RegexParser(pattern).parse();
    return undefined;
  } catch (e) {
    if (e instanceof Refusal) return { message: e.message, position: e.position };
    // Nested deeper than the stack allows: no verdict, rather than none for the whole script.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
