// Hand-written, error-resilient recursive-descent parser for SystemTap, in the
// shape of stap's own parse.cxx. Errors are collected beside the tree; the
// parse resumes at the next statement or top-level declaration, and never
// swallows a '}' that closes an enclosing block.

import { Block, EmbeddedCode, Expr, ExprKind, FunctionDecl, GlobalDecl, GlobalVar, Name, Param, ProbeComponent, ProbeDecl, ProbePoint, Script, Statement, StatementKind, TopLevel } from './ast';
import { quoted, shortened, SyntaxError } from './diagnostic';
import { AT_OPERATORS, AtArgument, AtOperatorSyntax, PRINT_FUNCTIONS, PRINTS_HISTOGRAMS, SORT_AGGREGATES } from './atOperators';
import { isKeyword, lex, makeToken, numberValue, Token } from './lexer';
import { DEFAULT_TARGET, MacroDefinition, preprocess, PreprocessorTarget } from './preprocessor';
import { rereadBudget, startsDeclarationLine } from './recovery';
import { ScriptArgsSource, substituteScriptArgs } from './scriptArgs';

export interface ParseOptions {
  target?: PreprocessorTarget;
  libraryMacros?: ReadonlyMap<string, MacroDefinition>;
  /**
   * Report `@name` that is neither a built-in nor a known macro. Only right
   * when the tapset library's macros are known (by default: when given).
   */
  reportUnknownOperators?: boolean;
  /** Deepest nesting parsed (default MAX_NESTING); deeper code is skipped with a warning. */
  maxNesting?: number;
  /**
   * The script's arguments (`stap FILE ARGS...`), when known: they are pasted
   * in for `$N`, `@N`, `$#` and `@#` as stap does, and a `$N` past the last is
   * an error. Unknown by default: `$N` then stands for any argument.
   */
  scriptArgs?: readonly string[];
  /** Where `scriptArgs` come from; those of a last run make warnings, not errors. */
  scriptArgsSource?: ScriptArgsSource;
}

/**
 * How deep statements, expressions and probe-point brace groups may nest
 * before the parser skips the construct (with a warning) instead of recursing
 * further. Measured with cold (not yet optimised) code, the costliest level, a
 * call or `@` operator argument, takes about 1 KB of stack, a block 0.5 KB:
 * 500 levels take about 520 KB, half of the 984 KB node gives the main
 * thread, leaving the rest to whatever called the parser (a language server
 * request). Counted this way, real code nests at most 21 deep (the tapset
 * library's python3.stp; the installed examples 13). stap accepts deeper code
 * (about 5,000 parentheses, 37,000 braces), but none that anyone writes.
 */
export const MAX_NESTING = 500;

/** Where the alternatives of a probe point's last brace group carry `?`/`!` or a condition. */
interface ProbePointMarks {
  optional?: { start: number; end: number };
  condition?: { start: number; end: number };
}

/**
 * Thrown to unwind to where the parse recovers; not an Error, whose stack
 * trace, taken at every throw, cost most of the time of a parse of a file
 * full of errors.
 */
class ParseError {
  constructor(
    readonly message: string,
    readonly token: Token,
    readonly related?: SyntaxError['related'],
  ) {}
}

const TOP_LEVEL_KEYWORDS = new Set(['probe', 'function', 'global', 'private']);
const STATEMENT_KEYWORDS = new Set(['if', 'while', 'for', 'foreach', 'return', 'delete', 'next', 'break', 'continue', 'try']);
/** Prefix operators that repeat (`- - x`, `!~x`); `&`, `++` and `--` have rules of their own (parseUnary). */
const PREFIX_OPS = new Set(['+', '-', '!', '~']);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=', '.=', '<<<']);
// Loosest first, as in parse.cxx: || && | ^ & (in) comparisons shifts . + - * / %
const BINARY_LEVELS = new Map<string, number>([
  ['||', 1],
  ['&&', 2],
  ['|', 3],
  ['^', 4],
  ['&', 5],
  ['<', 7],
  ['>', 7],
  ['<=', 7],
  ['>=', 7],
  ['==', 7],
  ['!=', 7],
  ['=~', 7],
  ['!~', 7],
  ['<<', 8],
  ['>>', 8],
  ['>>>', 8], // stap reads it as a shift; pass 2 decides what it means
  ['.', 9],
  ['+', 10],
  ['-', 10],
  ['*', 11],
  ['/', 11],
  ['%', 11],
]);
const IN_LEVEL = 6;

/** The precedence level of the binary operator `t` is, if it is one. */
const binaryLevel = (t: Token): number | undefined => (t.kind === 'operator' ? BINARY_LEVELS.get(t.text) : t.kind === 'identifier' && t.text === 'in' ? IN_LEVEL : undefined);

/** A level of parseBinary's climb: an operand, and the operator after it. */
interface Level {
  minLevel: number;
  /** Only looser operators may follow `x in arr`, `[k]` and `x =~ "re"`. */
  maxLevel: number;
  start: number;
  left: Expr;
  /** The operator whose right operand the level above is. */
  op?: Token;
  /** A comparison was read at this level: a regex match may not follow (`a == b =~ "c"`). */
  compared?: boolean;
}

/** The children of every leaf: one shared array, frozen, as a leaf gets none. */
const NO_CHILDREN: Expr[] = Object.freeze([]) as unknown as Expr[];
const REGEX_LEVEL = 7; // =~ and !~ share the comparisons' level

export function parse(text: string, options: ParseOptions = {}): Script {
  const lexed = lex(text);
  const args = substituteScriptArgs(lexed.tokens, options.scriptArgs, options.scriptArgsSource);
  const pp = preprocess(args.tokens, options.target ?? DEFAULT_TARGET, options.libraryMacros, text);
  const parser = new Parser(pp.tokens, text, options.reportUnknownOperators ?? (options.libraryMacros?.size ?? 0) > 0, options.maxNesting ?? MAX_NESTING);
  const items = parser.parseScript();
  return {
    kind: 'script',
    start: 0,
    end: text.length,
    items,
    comments: lexed.comments,
    scriptArgs: highestScriptArg(lexed.tokens),
    macros: pp.macros,
    inactive: pp.inactive,
    empty: pp.tokens.length > 1 ? undefined : lexed.tokens.length > 1 ? 'preprocessed' : 'empty',
    errors: metAfterRecovery(
      [
        ...lexed.errors.map((e) => inInactiveBranch(e, pp.inactive)),
        // stap reads no argument in an untaken branch.
        ...args.errors.filter((e) => !pp.inactive.some((r) => e.start >= r.start && e.start < r.end)),
        ...pp.errors,
        ...parser.errors,
      ],
      Math.min(embeddedResumedAfter(lexed.tokens, text), pp.resumedAfter ?? Infinity, parser.resumedAfter),
      parser.metAt,
    ).sort((a, b) => a.start - b.start),
  };
}

/** Where the first unclosed `%{` is that the lexer ended before the next declaration (see recovery.ts); Infinity when none. */
function embeddedResumedAfter(tokens: Token[], text: string): number {
  for (const t of tokens) if (t.kind === 'embedded' && !t.text.endsWith('%}') && t.end < text.length) return t.start;
  return Infinity;
}

/**
 * stap reports errors in the order it meets them, and it meets an error in a
 * macro body where the macro is used (and a block not closed at the end of
 * the file), while we show them at the body (and at the brace). Before the
 * first recovery from a half-typed declaration (`resumedAfter`, where its
 * error is) stap would not have met one that we met after it: shown before
 * it, such an error would pass for stap's first error. It becomes a warning.
 */
function metAfterRecovery(errors: SyntaxError[], resumedAfter: number, metAt: WeakMap<SyntaxError, number>): SyntaxError[] {
  if (resumedAfter === Infinity) return errors;
  return errors.map((e) => {
    const met = metAt.get(e);
    if (met === undefined || met < resumedAfter || e.start >= resumedAfter || e.severity === 'warning') return e;
    return { ...e, severity: 'warning', message: `${e.message} (met after the error of a half-typed declaration below)` };
  });
}

/** `$3` or `@3` anywhere in the code (conditions and probe points included): 3. */
function highestScriptArg(tokens: Token[]): number {
  let highest = 0;
  for (const t of tokens) {
    // Most `$` and `@` words are names: no match to try unless a digit follows.
    if ((t.kind !== 'dollar' && t.kind !== 'at') || !isDigitCode(t.text.charCodeAt(1))) continue;
    const m = /^[$@](\d+)$/.exec(t.text);
    if (m) highest = Math.max(highest, Number(m[1]));
  }
  return highest;
}

const isDigitCode = (c: number) => c >= 48 && c <= 57;

/** stap skips lexical errors in untaken `%( %)` branches; we still show them, as warnings. */
function inInactiveBranch(e: SyntaxError, inactive: { start: number; end: number }[]): SyntaxError {
  if (!inactive.some((r) => e.start >= r.start && e.start < r.end)) return e;
  return { ...e, severity: 'warning', message: `${e.message} (in an inactive %( %) branch)` };
}

/** `$1`, `@2`, `$#`, `@#`: replaced by stap with the script's arguments before parsing. */
const isScriptArg = (t: Token): boolean => /^[$@](\d+|#)$/.test(t.text);

/** An embedded-C token as a node. Tokens of library macros carry the use site's range. */
export function embeddedCode(t: Token): EmbeddedCode {
  const closed = t.text.length >= 4 && t.text.endsWith('%}');
  const code = t.text.slice(2, closed ? -2 : undefined);
  const expanded = !!t.macroOrigin;
  return {
    kind: 'embedded',
    start: t.start,
    end: t.end,
    codeStart: expanded ? t.start : t.start + 2,
    codeEnd: expanded ? t.end : t.start + 2 + code.length,
    code,
    expanded,
  };
}

const describe = (t: Token): string => (t.kind === 'eof' ? 'end of file' : t.kind === 'embedded' ? "'%{'" : quoted(t.text));

class Parser {
  readonly errors: SyntaxError[] = [];
  /** For errors shown in a macro body or at an unclosed brace: where stap meets them, the macro use or the end of the file. */
  readonly metAt = new WeakMap<SyntaxError, number>();
  /** Where the error is of the first declaration cut short that parsing resumed after (see resumeAt). */
  resumedAfter = Infinity;
  /** How many of `errors` start at each offset, so that a position gets one error (see report) at the cost of a lookup. */
  private readonly errorsAt = new Map<number, number>();
  private pos = 0;
  /** What the statements being parsed belong to: `return` only exists in functions. */
  private context: 'probe' | 'function' | 'other' = 'other';
  /** Statements, expressions and brace groups open around the current token. */
  private depth = 0;
  /**
   * Text parsed again after a recovery (see resumeAt): stap read
   * it without complaint as part of the declaration before, so errors there
   * are not reported.
   */
  private reparsed = { start: 0, end: 0 };
  /** Tokens resuming at a swallowed declaration may still read again (see rereadBudget). */
  private rereadBudget: number;
  /** The globals declared so far, for stap's duplicate checks. */
  private readonly globals = new Map<string, { isPrivate: boolean; start: number; end: number }>();

  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
    private readonly reportUnknownOperators: boolean,
    private readonly maxNesting: number,
  ) {
    this.rereadBudget = rereadBudget(tokens.length);
  }

  // ---- token helpers ----

  private get tok(): Token {
    return this.tokens[this.pos];
  }
  private peekAt(k: number): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }
  private get prevEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1].end : 0;
  }
  private next(): Token {
    const t = this.tokens[this.pos];
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isOp(text: string, t: Token = this.tok): boolean {
    return t.kind === 'operator' && t.text === text;
  }
  private isKw(text: string, t: Token = this.tok): boolean {
    return t.kind === 'identifier' && t.text === text;
  }
  private eatOp(text: string): boolean {
    if (this.isOp(text)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expectOp(text: string, context = ''): Token {
    if (!this.isOp(text)) throw new ParseError(`expected '${text}'${context}, saw ${describe(this.tok)}`, this.tok);
    return this.next();
  }
  /** stap: "expected one of ', )'". */
  private expectArgumentsEnd(callee: string): void {
    if (!this.isOp(')')) throw new ParseError(`expected ',' or ')' after arguments of ${callee}, saw ${describe(this.tok)}`, this.tok);
    this.next();
  }
  private expectIdentifier(what = 'identifier'): Token {
    const t = this.tok;
    if (t.kind !== 'identifier' || isKeyword(t)) throw new ParseError(`expected ${what}, saw ${describe(t)}`, t);
    return this.next();
  }
  /** A token standing for a range of the text, for errors about a construct rather than a token. */
  private tokenFor(range: { start: number; end: number }): Token {
    return makeToken('identifier', this.text.slice(range.start, range.end), range.start, range.end, false);
  }
  /** A warning about a range, where no token stands for it. */
  private warnAt(message: string, range: { start: number; end: number }): void {
    this.errors.push({ message, start: range.start, end: range.end, severity: 'warning' });
  }
  private report(e: ParseError, severity?: 'warning'): void {
    let t = e.token;
    // At end of file, point at the last token, as stap does: a position past the text helps nobody.
    if (t.kind === 'eof' && this.tokens.length > 1) t = this.tokens[this.tokens.length - 2];
    // Errors in a macro of this file are shown where stap shows them: in its body.
    const inBody = t.macroOrigin && !t.macroOrigin.file ? t.macroOrigin : undefined;
    const start = inBody?.start ?? t.start;
    const end = inBody?.end ?? t.end;
    // One error per position: a cascade at the same token helps nobody.
    if (this.errorsAt.has(start)) return;
    if (start >= this.reparsed.start && start < this.reparsed.end) return;
    const message = t.macroOrigin && !inBody ? `${e.message} (in the expansion of the macro used here)` : e.message;
    const error: SyntaxError = { message, start, end, related: e.related, ...(severity && { severity }) };
    if (inBody) this.metAt.set(error, t.start);
    this.addError(error);
  }

  private addError(e: SyntaxError): void {
    this.errors.push(e);
    this.errorsAt.set(e.start, (this.errorsAt.get(e.start) ?? 0) + 1);
  }

  /** True when an error (not a warning) came after the first `length`. */
  private errorsSince(length: number): boolean {
    for (let i = length; i < this.errors.length; i++) if (this.errors[i].severity !== 'warning') return true;
    return false;
  }

  /** Forgets the errors after the first `length`. */
  private truncateErrors(length: number): void {
    while (this.errors.length > length) {
      const { start } = this.errors.pop()!;
      const left = this.errorsAt.get(start)! - 1;
      if (left > 0) this.errorsAt.set(start, left);
      else this.errorsAt.delete(start);
    }
  }

  // ---- nesting too deep to parse ----

  /** True when one more level would go past the limit: the construct at the current token is then skipped. */
  private tooDeep(): boolean {
    return this.depth >= this.maxNesting;
  }

  /**
   * Skips the construct at the current token without parsing it, and warns
   * there. Brackets are matched (by counting, not by recursion); the skip ends
   * before a closing bracket of an enclosing construct, and before a
   * declaration keyword, so that an unclosed bracket does not swallow the rest
   * of the file. Statements end at a `;` or `}` back at depth 0 that no `else`
   * or `catch` follows; expressions before a `;`, or a `:` no `?` of their own
   * opened, at depth 0.
   */
  private skipTooDeep(what: 'statement' | 'expression' | 'probe point'): { start: number; end: number } {
    const first = this.tok;
    let depth = 0;
    let questions = 0;
    while (this.tok.kind !== 'eof') {
      const t = this.tok;
      if (t.kind === 'identifier' && TOP_LEVEL_KEYWORDS.has(t.text)) break;
      if (t.kind === 'operator') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') {
          if (depth === 0) break;
          depth--;
          if (depth === 0 && t.text === '}' && what !== 'expression') {
            this.next();
            if (what === 'probe point' || !(this.isKw('else') || this.isKw('catch'))) break;
            continue;
          }
        } else if (depth === 0 && what === 'statement' && t.text === ';') {
          this.next();
          if (!this.isKw('else')) break;
          continue;
        } else if (depth === 0 && what === 'expression') {
          if (t.text === ';') break;
          if (t.text === '?') questions++;
          if (t.text === ':' && questions-- === 0) break;
        }
      }
      this.next();
    }
    const range = { start: first.start, end: Math.max(first.start, this.prevEnd) };
    this.report(
      new ParseError(`nesting too deep: more than ${this.maxNesting} levels of statements and expressions; this ${what} is not analysed (no checks, navigation or embedded-C facts inside it)`, first, {
        message: 'analysis resumes here',
        start: range.end,
        end: range.end,
      }),
      'warning',
    );
    return range;
  }

  // ---- top level ----

  parseScript(): TopLevel[] {
    const items: TopLevel[] = [];
    while (this.tok.kind !== 'eof') {
      const before = this.pos;
      const errorsBefore = this.errors.length;
      let item: TopLevel | undefined;
      let thrown: ParseError | undefined;
      try {
        item = this.parseTopLevel();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.report(e);
        thrown = e;
      }
      // Warnings (nesting too deep) are no failure: stap accepts that code.
      const failed = thrown !== undefined || this.errorsSince(errorsBefore);
      const swallowed = failed ? this.swallowedDeclaration(before) : -1;
      const reread = this.pos - swallowed + (item ? swallowed - before : 0);
      if (swallowed >= 0 && reread <= this.rereadBudget) {
        this.rereadBudget -= reread;
        item = this.resumeAt(swallowed, before, errorsBefore, thrown, item !== undefined);
      } else if (thrown) {
        if (this.pos === before) this.next();
        this.syncTopLevel();
      }
      if (item) items.push(item);
    }
    return items;
  }

  /**
   * A declaration cut short, as while it is being typed, can take in the next
   * one before an error shows: `probe syscall.` above `probe begin {` reads as
   * the probe point `syscall.probe`, and the error comes at `begin`. The index
   * of the first line-initial declaration keyword that the failed declaration
   * starting at token `start` took in, or -1.
   */
  private swallowedDeclaration(start: number): number {
    // `private` then `function` on the next line is one declaration.
    const from = this.isKw('private', this.tokens[start]) ? start + 2 : start + 1;
    for (let i = from; i < this.pos; i++) if (startsDeclarationLine(this.text, this.tokens, i, false)) return i;
    return -1;
  }

  /**
   * Parsing resumes at the swallowed declaration (token `resume`), so that it
   * and what follows keep their symbols. The first error stays where stap
   * reports it (stap reads on as we first did); the errors after that keyword
   * came from reading the next declaration as part of this one, and go, and so
   * do those the new reading finds before stap's first error. The declaration
   * cut short is read again up to that keyword, its errors already said.
   */
  private resumeAt(resume: number, start: number, errorsBefore: number, thrown: ParseError | undefined, parsed: boolean): TopLevel | undefined {
    const at = this.tokens[resume].start;
    const fresh = this.errors.slice(errorsBefore);
    let first = thrown ? thrown.token.start : Infinity;
    for (const e of fresh) if (e.severity !== 'warning' && e.start < first) first = e.start;
    this.truncateErrors(errorsBefore);
    for (const e of fresh) if (e.start < at || e.start === first) this.addError(e);
    if (first >= at) this.reparsed = { start: at, end: first };
    this.resumedAfter = Math.min(this.resumedAfter, first);
    let item: TopLevel | undefined;
    if (parsed) {
      // The tokens end, for this reading, at the swallowed keyword.
      const keyword = this.tokens[resume];
      const errorCount = this.errors.length;
      const reparsed = this.reparsed;
      this.tokens[resume] = makeToken('eof', '', at, at, true);
      this.pos = start;
      try {
        item = this.parseTopLevel();
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
      } finally {
        this.tokens[resume] = keyword;
        this.truncateErrors(errorCount);
        this.reparsed = reparsed;
      }
    }
    this.pos = resume;
    return item;
  }

  /** Skips to the next token that can start a declaration. */
  private syncTopLevel(): void {
    while (this.tok.kind !== 'eof') {
      const t = this.tok;
      if ((t.kind === 'identifier' && TOP_LEVEL_KEYWORDS.has(t.text)) || (t.kind === 'embedded' && this.startsLine())) return;
      this.next();
    }
  }

  /** True when the current token is the first on its line. */
  private startsLine(): boolean {
    if (this.pos === 0) return true;
    const prev = this.tokens[this.pos - 1];
    return prev.end <= this.tok.start && this.text.slice(prev.end, this.tok.start).includes('\n');
  }

  private parseTopLevel(): TopLevel {
    const t = this.tok;
    if (t.kind === 'embedded') {
      this.next();
      return this.embedded(t);
    }
    if (this.isKw('probe')) return this.parseProbe();
    if (this.isKw('function')) return this.parseFunction(t, false);
    if (this.isKw('global')) return this.parseGlobal(t, false);
    if (this.isKw('private')) {
      this.next();
      if (this.isKw('function')) return this.parseFunction(t, true);
      if (this.isKw('global')) return this.parseGlobal(t, true);
      // `private NAME` declares a private global.
      if (this.tok.kind === 'identifier' && !isKeyword(this.tok)) return this.parseGlobalVars(t, true);
      throw new ParseError(`expected 'function' or 'global' after 'private', saw ${describe(this.tok)}`, this.tok);
    }
    throw new ParseError(`expected 'probe', 'global', 'private', 'function', or '%{', saw ${describe(t)}`, t);
  }

  private embedded(t: Token): EmbeddedCode {
    return embeddedCode(t);
  }

  private parseProbe(): ProbeDecl {
    this.context = 'probe';
    const start = this.next().start; // probe
    let points = this.parseProbePoints();
    let alias: ProbeDecl['alias'];
    // `probe NAME = POINTS`, `probe NAME += POINTS`, also `probe A = B = POINTS`: each NAME is one point.
    while (this.isOp('=') || this.isOp('+=')) {
      if (points.length > 1) throw new ParseError(`expected probe point specifier, saw ${describe(this.tok)}: an alias has one name`, this.tok);
      const named = points[0];
      if (named.optional) this.report(new ParseError('probe point alias name cannot be optional nor sufficient', this.tokenFor(named.components[0] ?? named)));
      const op = this.next().text as '=' | '+=';
      const names = alias ? [...alias.points, named] : [named];
      points = this.parseProbePoints();
      alias = { op: alias?.op === '+=' ? '+=' : op, points: names };
    }
    // In the tree the alias names are `points`, what they stand for `alias.points`.
    if (alias) [points, alias.points] = [alias.points, points];
    const body = this.parseBlock();
    // `probe a = b { prologue }, { epilogue }`
    let epilogue: Block | undefined;
    if (alias && this.isOp(',')) {
      if (alias.op === '+=') throw new ParseError(`a prologue and an epilogue cannot be given together with '+=' (use '=')`, this.tok);
      this.next();
      epilogue = this.parseBlock();
    }
    return { kind: 'probe', start, end: this.prevEnd, points, alias, body, epilogue };
  }

  private parseProbePoints(): ProbePoint[] {
    const points = [this.parseProbePoint()];
    while (this.eatOp(',')) points.push(this.parseProbePoint());
    return points;
  }

  private parseProbePoint(): ProbePoint {
    const start = this.tok.start;
    const marks: ProbePointMarks = {};
    const components = this.parseComponents(marks);
    let optional = false;
    let sufficient = false;
    if (this.isOp('?') || this.isOp('!')) {
      // A brace group whose alternatives carry their own marker: `{a?, b}?`.
      if (marks.optional) this.report(new ParseError(`'?' or '!' given twice: an alternative in the braces before already has one`, this.tok));
      sufficient = this.next().text === '!';
      optional = true;
    }
    let condition: Expr | undefined;
    if (this.isKw('if')) {
      if (marks.condition) this.report(new ParseError(`condition given twice: an alternative in the braces before already has one`, this.tok));
      this.next();
      this.expectOp('(');
      condition = this.parseExpression();
      this.expectOp(')');
    }
    return { kind: 'probePoint', start, end: this.prevEnd, components, optional, sufficient, condition };
  }

  /**
   * `a.b("x").c`, where any component may be a brace group `{a,b.c}` of
   * alternatives. `marks` says whether the alternatives of the last group
   * carry `?`, `!` or a condition, which stap allows only at the end.
   */
  private parseComponents(marks: ProbePointMarks = {}): ProbeComponent[] {
    const components: ProbeComponent[] = [];
    for (;;) {
      marks.optional = marks.condition = undefined;
      components.push(this.isOp('{') ? this.parseBraceGroup(marks) : this.parseComponent());
      if (!this.isOp('.')) return components;
      const marked = marks.optional ?? marks.condition;
      if (marked) {
        this.report(
          new ParseError(`'?', '!' or a condition may only end a probe point, not an alternative in braces followed by '.'`, this.tokenFor(marked), {
            message: "the '.' that follows",
            start: this.tok.start,
            end: this.tok.end,
          }),
        );
      }
      this.next();
    }
  }

  /** Brace expansion: `{kernel,module("ext4")}.function("f")` probes each alternative. */
  private parseBraceGroup(marks: ProbePointMarks): ProbeComponent {
    if (this.tooDeep()) {
      const skipped = this.skipTooDeep('probe point');
      return { name: this.text.slice(skipped.start, skipped.end), ...skipped };
    }
    this.depth++;
    try {
      return this.parseBraceGroupHere(marks);
    } finally {
      this.depth--;
    }
  }

  /** `{a, b.c?, d if (x)}`: each alternative is a probe point of its own. */
  private parseBraceGroupHere(marks: ProbePointMarks): ProbeComponent {
    const open = this.next();
    const alternatives: string[] = [];
    for (;;) {
      const point = this.parseProbePoint();
      const first = point.components[0] ?? point;
      if (point.optional) marks.optional ??= first;
      if (point.condition) marks.condition ??= first;
      alternatives.push(point.components.map((c) => c.name).join('.') + (point.sufficient ? '!' : point.optional ? '?' : ''));
      if (this.eatOp(',')) continue;
      this.expectOp('}', " or ',' in probe point alternatives");
      break;
    }
    return { name: `{${alternatives.join(',')}}`, start: open.start, end: this.prevEnd };
  }

  /**
   * A component name: identifiers, keywords and `*` glued together, e.g.
   * `sys_*`, `**`. A number is not glued, as in stap: `open*64` is an error.
   */
  private parseComponent(): ProbeComponent {
    const first = this.tok;
    let name = '';
    let end = first.start;
    // `$name` is an identifier to stap; `@N` is pasted in as a string first (a probe point
    // then says what it makes of it); any other `@word` here is an error.
    const startsName = (t: Token) => t.kind === 'dollar' || (t.kind === 'at' && isScriptArg(t));
    while ((this.tok.kind === 'identifier' || this.isOp('*') || (name === '' && startsName(this.tok))) && (name === '' || !this.tok.spaceBefore)) {
      name += this.tok.text;
      end = this.tok.end;
      this.next();
    }
    if (name === '') throw new ParseError(`expected identifier or '*' or '{' in probe point, saw ${describe(first)}`, first);
    let arg: Expr | undefined;
    if (this.isOp('(')) {
      this.next();
      arg = this.parseLiteral();
      this.expectOp(')');
      end = this.prevEnd;
    }
    return { name, arg, start: first.start, end };
  }

  private parseFunction(start: Token, isPrivate: boolean): FunctionDecl {
    this.context = 'function';
    this.next(); // function
    // stap lets a function be named `string` or `long`, the two keywords that are types.
    const nameTok = this.isKw('string') || this.isKw('long') ? this.next() : this.expectIdentifier('function name');
    const name: Name = { text: nameTok.text, start: nameTok.start, end: nameTok.end };
    let returnType: Name | undefined;
    if (this.eatOp(':')) returnType = this.parseTypeName();
    this.expectOp('(', ' after function name');
    const params: Param[] = [];
    if (!this.isOp(')')) {
      for (;;) {
        const p = this.expectIdentifier('parameter name');
        if (params.some((q) => q.text === p.text)) this.report(new ParseError(`duplicate parameter names: ${quoted(p.text)}`, p));
        const param: Param = { text: p.text, start: p.start, end: p.end };
        if (this.eatOp(':')) {
          param.type = this.parseTypeName();
          param.end = param.type.end;
        }
        params.push(param);
        if (!this.eatOp(',')) break;
      }
    }
    const paramsEnd = this.expectOp(')', ' after parameters').start;
    // `function f() : 5 { }`: a priority among overloads of the same name.
    let priority: Expr | undefined;
    if (this.isOp(':')) {
      this.next();
      const literal = this.parseLiteral();
      if (literal.kind === 'string') throw new ParseError(`expected a literal number as the function's priority, saw ${describe(this.tokens[this.pos - 1])}`, this.tok);
      const value = literal.kind === 'number' ? numberValue(literal.text.replace(/^-/, '')) : undefined;
      if (value !== undefined && (literal.text.startsWith('-') || value === 0n)) {
        this.report(new ParseError(`the priority of a function must be greater than 0, saw ${shortened(literal.text)}`, this.tokens[this.pos - 1]));
      }
      priority = literal;
    }
    let body: Block | EmbeddedCode | undefined;
    if (this.tok.kind === 'embedded') body = this.embedded(this.next());
    else body = this.parseBlock();
    return { kind: 'function', start: start.start, end: this.prevEnd, name, returnType, params, paramsEnd, priority, body, isPrivate };
  }

  private parseTypeName(): Name {
    const t = this.tok;
    if (t.kind !== 'identifier' || (t.text !== 'long' && t.text !== 'string')) {
      throw new ParseError(`expected 'string' or 'long', saw ${describe(t)}`, t);
    }
    this.next();
    return { text: t.text, start: t.start, end: t.end };
  }

  private parseGlobal(start: Token, isPrivate: boolean): GlobalDecl {
    this.next(); // global
    return this.parseGlobalVars(start, isPrivate);
  }

  /**
   * stap refuses a second global of the same name in one file, and a global
   * and a private global of the same name; the error is at the second one.
   */
  private declareGlobal(name: Token, isPrivate: boolean): void {
    const first = this.globals.get(name.text);
    if (!first) {
      this.globals.set(name.text, { isPrivate, start: name.start, end: name.end });
      return;
    }
    const related = { message: `first declared here${first.isPrivate ? ', private' : ''}`, start: first.start, end: first.end };
    const message =
      first.isPrivate === isPrivate
        ? `duplicate global name: ${quoted(name.text)} is already declared in this file`
        : `global versus private declaration conflict: ${quoted(name.text)} is declared both ${isPrivate ? 'global and private' : 'private and global'} in this file`;
    this.report(new ParseError(message, name, related));
  }

  private parseGlobalVars(start: Token, isPrivate: boolean): GlobalDecl {
    const vars: GlobalVar[] = [];
    for (;;) {
      const n = this.expectIdentifier('global variable name');
      this.declareGlobal(n, isPrivate);
      const v: GlobalVar = { text: n.text, start: n.start, end: n.end, wrap: false, isArray: false };
      if (this.isOp('%') && !this.tok.spaceBefore) {
        this.next();
        v.wrap = true;
        v.isArray = true;
      }
      if (this.isOp('[')) {
        this.next();
        v.isArray = true;
        const size = this.parseNumberArgument('the size of a global array is a literal number');
        const value = size.kind === 'number' ? numberValue(size.text.replace(/^-/, '')) : undefined;
        if (value !== undefined && (size.text.startsWith('-') || value === 0n || value > 0x7fffffffn)) {
          this.report(new ParseError(`array size out of range: ${shortened(size.text)} is not between 1 and 2147483647`, this.tokenFor(size)));
        }
        v.arraySize = size;
        this.expectOp(']');
      }
      if (this.isOp('=')) {
        // stap counts a declared size, not a wrapping '%', as making the global an array here.
        if (v.arraySize) throw new ParseError('only scalar globals can be initialized', this.tok);
        this.next();
        v.init = this.parseLiteral();
      }
      v.end = this.prevEnd;
      vars.push(v);
      if (!this.eatOp(',')) break;
    }
    this.eatOp(';');
    return { kind: 'global', start: start.start, end: this.prevEnd, vars, isPrivate };
  }

  /** A literal, as in probe point arguments and global initializers; script arguments count. */
  private parseLiteral(): Expr {
    const t = this.tok;
    if (this.startsString(t)) return this.parseStringLiteral();
    if (t.kind === 'number' || this.isOp('-') || (t.kind === 'dollar' && isScriptArg(t))) return this.parseNumberArgument();
    throw new ParseError(`expected literal string or number, saw ${describe(t)}`, t);
  }

  // ---- statements ----

  private parseBlock(): Block {
    const open = this.tok;
    this.expectOp('{');
    const children: Statement[] = [];
    for (;;) {
      const t = this.tok;
      if (this.isOp('}')) {
        this.next();
        break;
      }
      if (t.kind === 'eof') {
        const error: SyntaxError = { message: `missing '}': this block is not closed at end of file`, start: open.start, end: open.end };
        this.metAt.set(error, this.text.length);
        this.addError(error);
        break;
      }
      if (t.kind === 'identifier' && TOP_LEVEL_KEYWORDS.has(t.text)) {
        // The user most likely forgot a '}'; stop here so the next declaration parses.
        this.report(
          new ParseError(`expected '}' before ${quoted(t.text)}: the block opened at this '{' is not closed`, t, {
            message: 'block opened here',
            start: open.start,
            end: open.end,
          }),
        );
        break;
      }
      const s = this.parseStatementRecovering();
      if (s) children.push(s);
    }
    return { kind: 'block', start: open.start, end: this.prevEnd, children };
  }

  private parseStatementRecovering(): Statement | undefined {
    const before = this.pos;
    try {
      return this.parseStatement();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.report(e);
      this.syncStatement(before);
      return undefined;
    }
  }

  /** Skips to a point where a statement can start, without eating a closing '}'. */
  private syncStatement(before: number): void {
    let depth = 0;
    let first = this.pos === before;
    while (this.tok.kind !== 'eof') {
      const t = this.tok;
      // After `->` a keyword is a member name (`$p->private`), not a declaration.
      if (t.kind === 'identifier' && TOP_LEVEL_KEYWORDS.has(t.text) && !(this.pos > 0 && this.isOp('->', this.tokens[this.pos - 1]))) return;
      if (this.isOp('{')) depth++;
      if (this.isOp('}')) {
        if (depth === 0) return;
        depth--;
      }
      if (depth === 0 && this.isOp(';')) {
        this.next();
        return;
      }
      if (!first && depth === 0 && t.kind === 'identifier' && STATEMENT_KEYWORDS.has(t.text) && this.startsLine()) return;
      first = false;
      this.next();
    }
  }

  private stmt(kind: StatementKind, start: number, children: (Statement | Expr)[]): Statement {
    return { kind, start, end: this.prevEnd, children };
  }

  private parseStatement(): Statement {
    const t = this.tok;
    const start = t.start;
    if (this.tooDeep()) {
      const skipped = this.skipTooDeep('statement');
      return { kind: 'empty', ...skipped, children: [] };
    }
    this.depth++;
    try {
      if (this.isOp('{')) return this.parseBlock();
      if (this.isOp(';')) {
        this.next();
        return this.stmt('empty', start, []);
      }
      if (t.kind === 'identifier') {
        switch (t.text) {
          case 'if':
            return this.parseIf();
          case 'while': {
            this.next();
            this.expectOp('(');
            const cond = this.parseExpression();
            this.expectOp(')');
            return this.stmt('while', start, [cond, this.parseStatement()]);
          }
          case 'for': {
            this.next();
            this.expectOp('(');
            const parts: Expr[] = [];
            for (const close of [';', ';', ')']) {
              if (!this.isOp(close)) parts.push(this.parseExpression());
              this.expectOp(close);
            }
            return this.stmt('for', start, [...parts, this.parseStatement()]);
          }
          case 'foreach':
            return this.parseForeach();
          case 'delete': {
            this.next();
            // stap reads any expression here; pass 2 says which ones can be deleted.
            return this.simpleStatement('delete', start, [this.parseExpression()]);
          }
          case 'next':
          case 'break':
          case 'continue':
            this.next();
            return this.simpleStatement(t.text, start, []);
          case 'return': {
            if (this.context !== 'function') this.report(new ParseError(`found 'return' not in function context`, t));
            this.next();
            if (this.isOp(';') || this.isOp('}')) return this.simpleStatement('return', start, []);
            return this.simpleStatement('return', start, [this.parseExpression()]);
          }
          case 'try': {
            this.next();
            const body = this.parseBlock();
            if (!this.isKw('catch')) throw new ParseError(`expected 'catch', saw ${describe(this.tok)}`, this.tok);
            this.next();
            const children: (Statement | Expr)[] = [body];
            if (this.eatOp('(')) {
              const v = this.expectIdentifier('variable name');
              children.push(this.leaf('identifier', v));
              this.expectOp(')');
            }
            children.push(this.parseBlock());
            return this.stmt('try', start, children);
          }
          case 'else':
            throw new ParseError(`'else' without a matching 'if'`, t);
          case 'catch':
            throw new ParseError(`'catch' without a matching 'try'`, t);
        }
        if (isKeyword(t) && t.text !== 'string' && t.text !== 'long') {
          throw new ParseError(`expected statement, saw keyword '${t.text}'`, t);
        }
      }
      if (!this.startsExpression(t)) throw new ParseError(`expected statement, saw ${describe(t)}`, t);
      return this.simpleStatement('exprStatement', start, [this.parseExpression()]);
    } finally {
      this.depth--;
    }
  }

  /**
   * `if (c) s else if (c) s else ...`: each `else if` is the previous `if`'s
   * else branch, as in stap, but a chain of any length is read in one loop,
   * without a level of recursion (or nesting depth) per link.
   */
  private parseIf(): Statement {
    const links: { start: number; children: (Statement | Expr)[] }[] = [];
    for (;;) {
      const start = this.next().start; // if
      this.expectOp('(');
      const cond = this.parseExpression();
      this.expectOp(')');
      const link = { start, children: [cond, this.parseStatement()] };
      links.push(link);
      if (!this.isKw('else')) break;
      this.next();
      if (!this.isKw('if')) {
        link.children.push(this.parseStatement());
        break;
      }
    }
    let chain: Statement | undefined;
    for (let i = links.length - 1; i >= 0; i--) {
      const { start, children } = links[i];
      chain = this.stmt('if', start, chain ? [...children, chain] : children);
    }
    return chain!;
  }

  /** Statements that may end with an optional ';'. */
  private simpleStatement(kind: StatementKind, start: number, children: (Statement | Expr)[]): Statement {
    const s = this.stmt(kind, start, children);
    this.eatOp(';');
    return s;
  }

  private startsExpression(t: Token): boolean {
    if (t.kind === 'identifier' || t.kind === 'dollar' || t.kind === 'at' || t.kind === 'number' || t.kind === 'string' || t.kind === 'embedded') return true;
    return t.kind === 'operator' && ['(', '[', '-', '+', '!', '~', '++', '--', '&'].includes(t.text);
  }

  /** foreach ([v =] key-or-[keys] in array[+-] [limit N]) statement */
  private parseForeach(): Statement {
    const start = this.next().start; // foreach
    this.expectOp('(');
    const children: (Statement | Expr)[] = [];
    let sorted = false; // stap sorts by one thing only
    const sortMark = () => {
      if ((this.isOp('+') || this.isOp('-')) && !this.isOp('in', this.peekAt(1))) {
        if (sorted) throw new ParseError('multiple sort directives: a foreach sorts by one key, or by the value, only', this.tok);
        sorted = true;
        return this.next().text;
      }
      return '';
    };
    const keyVar = (): Expr => {
      const v = this.expectIdentifier('loop variable');
      const mark = sortMark();
      return { kind: 'identifier', text: v.text + mark, start: v.start, end: this.prevEnd, children: [] };
    };
    // value binding: `v = [k]` or `v = k`
    if (this.tok.kind === 'identifier' && (this.isOp('=', this.peekAt(1)) || ((this.isOp('+', this.peekAt(1)) || this.isOp('-', this.peekAt(1))) && this.isOp('=', this.peekAt(2))))) {
      const value = keyVar();
      this.expectOp('=');
      children.push({ ...value, kind: 'assign', text: '=', children: [value] });
    }
    if (this.isOp('[')) {
      const open = this.next();
      const keys: Expr[] = [keyVar()];
      while (this.eatOp(',')) keys.push(keyVar());
      this.expectOp(']');
      children.push({ kind: 'tuple', text: '', start: open.start, end: this.prevEnd, children: keys });
    } else {
      children.push(keyVar());
    }
    if (!this.isKw('in')) throw new ParseError(`expected 'in', saw ${describe(this.tok)}`, this.tok);
    this.next();
    const array = this.parseIndexable();
    children.push(array);
    // Sorting by a statistic of the values: `in arr @sum- limit 10`.
    if (this.tok.kind === 'at') {
      const stat = this.tok;
      if (!SORT_AGGREGATES.has(stat.text)) throw new ParseError(`expected a statistic to sort by (${[...SORT_AGGREGATES].join(', ')}), saw ${describe(stat)}`, stat);
      this.next();
      if (!this.isOp('+') && !this.isOp('-')) throw new ParseError(`expected '+' or '-' after ${stat.text}: sorting by a statistic needs a direction, saw ${describe(this.tok)}`, this.tok);
    }
    sortMark();
    if (this.isKw('limit')) {
      this.next();
      children.push(this.parseExpression());
    }
    this.expectOp(')');
    children.push(this.parseStatement());
    return this.stmt('foreach', start, children);
  }

  // ---- expressions, loosest first, as in parse.cxx ----

  private leaf(kind: ExprKind, t: Token): Expr {
    return { kind, text: t.text, start: t.start, end: t.end, children: NO_CHILDREN };
  }
  private node(kind: ExprKind, text: string, start: number, children: Expr[]): Expr {
    return { kind, text, start, end: this.prevEnd, children };
  }

  /**
   * Every nested expression (in parentheses, arguments, indexes, conditions)
   * starts here, so the nesting limit is checked here. Chains that nest
   * without brackets (`a = b = c`, `a ? b : c ? d : e`, `- - x`, `a + b + c`)
   * are read in loops: they build deep trees, but cost no recursion.
   */
  parseExpression(): Expr {
    if (this.tooDeep()) return { kind: 'error', text: '', ...this.skipTooDeep('expression'), children: [] };
    this.depth++;
    try {
      // Assignments, right-associative: `a = b += c`, each side a conditional,
      // itself right-associative in its else part: `a ? b : c ? d : e`. One
      // function, so that a level of parentheses costs few stack frames.
      // Made only for the chains that need them: most expressions are neither.
      let targets: { left: Expr; op: string }[] | undefined;
      for (;;) {
        let arms: { cond: Expr; then: Expr }[] | undefined;
        let e = this.parseBinary(1);
        while (this.isOp('?')) {
          this.next();
          const then = this.parseExpression();
          this.expectOp(':', ' in conditional expression');
          (arms ??= []).push({ cond: e, then });
          e = this.parseBinary(1);
        }
        if (arms) for (let i = arms.length - 1; i >= 0; i--) e = this.node('ternary', '?:', arms[i].cond.start, [arms[i].cond, arms[i].then, e]);
        if (this.tok.kind === 'operator' && ASSIGN_OPS.has(this.tok.text)) {
          (targets ??= []).push({ left: e, op: this.next().text });
          continue;
        }
        if (targets) for (let i = targets.length - 1; i >= 0; i--) e = this.node('assign', targets[i].op, targets[i].left.start, [targets[i].left, e]);
        return e;
      }
    } finally {
      this.depth--;
    }
  }

  /**
   * Binary operators by precedence climbing, with stap's precedence levels
   * (parse.cxx has one function per level; one loop does the same with fewer
   * calls). Level 6 is `in`: `[k1, k2] in arr`, `k in arr`. The climbing is
   * done on an explicit stack of levels, not by recursion: a right operand
   * that binds tighter opens a level, which closes when an operator it does
   * not take comes.
   */
  private parseBinary(minLevel: number): Expr {
    const start = this.tok.start;
    const tuple = minLevel <= IN_LEVEL && this.isOp('[');
    const left = tuple ? this.parseTupleIn() : this.parseUnary();
    // Most operands stand alone: no operator follows, and no level is opened.
    if (binaryLevel(this.tok) === undefined) return left;
    return this.climb({ minLevel, maxLevel: tuple ? IN_LEVEL - 1 : Infinity, start, left });
  }

  /** parseBinary once an operator follows the first operand (`first`). */
  private climb(first: Level): Expr {
    const below: Level[] = [];
    let level = first;
    let opening: number | undefined; // a level to open with the next operand
    // Set when an operator comes where stap's descent has no level left that takes it: the expression ends there.
    let ended = false;
    for (;;) {
      if (opening !== undefined) {
        const start = this.tok.start;
        const tuple = opening <= IN_LEVEL && this.isOp('[');
        const left = tuple ? this.parseTupleIn() : this.parseUnary();
        level = { minLevel: opening, maxLevel: tuple ? IN_LEVEL - 1 : Infinity, start, left };
        opening = undefined;
      }
      const t = this.tok;
      const precedence = binaryLevel(t);
      const regex = precedence === REGEX_LEVEL && (t.text === '=~' || t.text === '!~');
      if (precedence !== undefined && (precedence > level.maxLevel || (regex && level.compared))) ended = true;
      if (ended || precedence === undefined || precedence < level.minLevel) {
        const outer = below.pop();
        if (!outer) return level.left;
        outer.left = this.node('binary', outer.op!.text, outer.left.start, [outer.left, level.left]);
        level = outer;
        continue;
      }
      this.next();
      if (regex) {
        // stap: the pattern is a literal string, and the match ends the comparison.
        if (!this.startsString(this.tok)) throw new ParseError(`expected literal string after ${quoted(t.text)}, saw ${describe(this.tok)}`, this.tok);
        level.left = this.node('binary', t.text, level.left.start, [level.left, this.parseStringLiteral()]);
        level.maxLevel = REGEX_LEVEL - 1;
        continue;
      }
      if (precedence === IN_LEVEL) {
        level.left = this.node('in', 'in', level.start, [level.left, this.parseIndexable()]);
        // As in stap, only looser operators may follow `x in arr`.
        level.maxLevel = IN_LEVEL - 1;
        continue;
      }
      if (precedence === REGEX_LEVEL) level.compared = true;
      level.op = t;
      below.push(level);
      opening = precedence + 1;
    }
  }

  /** `[a, b] in arr`; `[` here always starts a tuple, `*` leaves a key open; `[a]` alone is `a`. */
  private parseTupleIn(): Expr {
    const start = this.tok.start;
    this.next();
    const keys: Expr[] = [];
    for (;;) {
      if (this.isOp('*')) keys.push(this.leaf('identifier', this.next()));
      else keys.push(this.parseBinary(IN_LEVEL + 1));
      if (this.eatOp(',')) continue;
      this.expectOp(']', " or ','");
      break;
    }
    const tuple = this.node('tuple', '', start, keys);
    // stap reads `[x]` without `in` as plain `x`.
    if (!this.isKw('in') && keys.length === 1 && !(keys[0].kind === 'identifier' && keys[0].text === '*')) return this.node('paren', '[]', start, keys);
    if (!this.isKw('in')) throw new ParseError(`expected 'in' after '[...]', saw ${describe(this.tok)}`, this.tok);
    this.next();
    return this.node('in', 'in', start, [tuple, this.parseIndexable()]);
  }

  /** The array after `in` or in foreach: a name or a histogram operator, maybe sliced. */
  private parseIndexable(): Expr {
    let e: Expr;
    if (this.startsHistogram()) {
      e = this.parseHistogram(this.next());
    } else {
      const n = this.expectIdentifier('array name');
      e = this.leaf('identifier', n);
    }
    if (this.isOp('[')) e = this.parseIndexSuffix(e);
    return e;
  }

  /** `[i, j, *]` after an array name or a histogram: keys, `*` leaving one open. */
  private parseIndexSuffix(target: Expr): Expr {
    this.expectOp('[');
    const children = [target];
    for (;;) {
      if (this.isOp('*')) children.push(this.leaf('identifier', this.next()));
      else children.push(this.parseExpression());
      if (!this.eatOp(',')) break;
    }
    this.expectOp(']');
    return this.node('index', '[]', target.start, children);
  }

  /**
   * Prefix `+ - ! ~`, any number of them, then what stap calls a crement: one
   * `++`/`--` before a value, or one after it (`++ ++x` and `++-x` are errors,
   * as in stap; `-++x` is not).
   */
  private parseUnary(): Expr {
    const prefixes: Token[] = [];
    while (this.tok.kind === 'operator' && PREFIX_OPS.has(this.tok.text)) prefixes.push(this.next());
    let e: Expr;
    if (this.isOp('++') || this.isOp('--')) {
      const op = this.next();
      if (this.tok.kind === 'operator' && (PREFIX_OPS.has(this.tok.text) || this.tok.text === '++' || this.tok.text === '--') && this.peekAt(1).kind !== 'number') {
        throw new ParseError(`expected a value after ${quoted(op.text)}, saw ${describe(this.tok)}: stap applies '++' and '--' to a value, not to another operator`, this.tok);
      }
      e = this.node('unary', op.text, op.start, [this.parseDwarfValue()]);
    } else {
      e = this.parseDwarfValue();
      if (this.isOp('++') || this.isOp('--')) e = this.node('postfix', this.next().text, e.start, [e]);
    }
    for (let i = prefixes.length - 1; i >= 0; i--) e = this.node('unary', prefixes[i].text, prefixes[i].start, [e]);
    return e;
  }

  /** stap's "dwarf value": a value, maybe with `&` before it and target-variable components after it. */
  private parseDwarfValue(): Expr {
    const amp = this.isOp('&') ? this.next() : undefined;
    const value = this.parseValue();
    if (amp) {
      let inner = value;
      while (inner.kind === 'paren') inner = inner.children[0];
      if (inner.kind === 'unary' && inner.text === '&') this.report(new ParseError(`cannot take the address more than once: this '&' applies to an address already ('&' inside the parentheses)`, amp));
    }
    const e = this.parseTargetComponents(value);
    return amp ? this.node('unary', '&', amp.start, [e]) : e;
  }

  /** A value: a literal, a variable, a call, an `@` operator, an embedded expression, or an expression in parentheses. */
  private parseValue(): Expr {
    const t = this.tok;
    if (this.isOp('(')) {
      this.next();
      const inner = this.parseExpression();
      this.expectOp(')');
      return this.node('paren', '()', t.start, [inner]);
    }
    if (t.kind === 'embedded') {
      this.next();
      return { ...this.leaf('embeddedExpr', t), embedded: embeddedCode(t) };
    }
    if (this.startsString(t)) return this.parseStringLiteral();
    // A negative literal only gets here after `&` or `++`/`--` (`&-1`); elsewhere `-` is a prefix.
    if (t.kind === 'number' || (this.isOp('-') && this.peekAt(1).kind === 'number')) return this.parseNumberArgument();
    if (t.kind === 'dollar') {
      this.next();
      if (isScriptArg(t)) {
        // `$N` pastes the argument's text: `$3(x)` calls the function it names.
        if (this.isOp('(')) return this.parseCallArguments(t);
        return this.leaf('scriptArg', t);
      }
      return this.leaf('target', t);
    }
    if (t.kind === 'at') {
      this.next();
      if (t.text === '@#') return this.leaf('scriptArg', t);
      const syntax = AT_OPERATORS.get(t.text);
      if (syntax?.histogram) {
        const histogram = this.parseHistogram(t);
        // A histogram is a value only as one of its buckets: `@hist_log(s)[3]`.
        if (!this.isOp('[')) throw new ParseError(`${t.text}(...) is a whole histogram, not a value: print it with print()/println(), index a bucket with [N], or iterate it with foreach`, t);
        return this.parseIndexSuffix(histogram);
      }
      if (syntax?.statistic) return this.parseStatistic(t, syntax);
      if (syntax) return this.parseAtOperator(t, syntax);
      // Not a built-in, and not a macro either, or the preprocessor would have expanded it.
      if (this.reportUnknownOperators) throw new ParseError(`unknown operator ${shortened(t.text)}: not one of stap's @ operators, nor a macro of this file or of the tapset library`, t);
      const args = this.isOp('(') ? this.parseArgumentList(t.text, () => this.parseExpression()) : [];
      return this.node('atOperator', t.text, t.start, args);
    }
    if (t.kind === 'identifier') {
      if (isKeyword(t)) throw new ParseError(`expected expression, saw keyword '${t.text}'`, t);
      this.next();
      const printing = PRINT_FUNCTIONS.get(t.text);
      if (printing) return this.parsePrintFunction(t, printing);
      if (this.isOp('(')) return this.parseCallArguments(t);
      const id = this.leaf('identifier', t);
      if (this.isOp('[')) return this.parseIndexSuffix(id);
      return id;
    }
    throw new ParseError(`expected expression, saw ${describe(t)}`, t);
  }

  private parseCallArguments(callee: Token): Expr {
    const args = this.parseArgumentList(`${shortened(callee.text)}()`, () => this.parseExpression());
    return this.node('call', callee.text, callee.start, args);
  }

  /** `( a, b, ... )` of a call: possibly empty, comma-separated. */
  private parseArgumentList(callee: string, argument: () => Expr): Expr[] {
    this.expectOp('(');
    const args: Expr[] = [];
    if (!this.isOp(')')) {
      args.push(argument());
      while (this.eatOp(',')) args.push(argument());
    }
    this.expectArgumentsEnd(callee);
    return args;
  }

  /**
   * print, printf, printd and their s- and -ln forms, by stap's rules: a
   * literal format or delimiter first where they take one; print and sprint
   * need a value, the d forms two after the delimiter; the print forms take a
   * whole histogram as their first argument. The result is a call node.
   */
  private parsePrintFunction(callee: Token, kind: 'format' | 'delimiter' | 'values' | 'any'): Expr {
    const name = `${callee.text}()`;
    if (!this.isOp('(')) throw new ParseError(`expected '(' after ${quoted(callee.text)}, saw ${describe(this.tok)}: ${callee.text} is stap's built-in print function, not a variable`, this.tok);
    this.next();
    const args: Expr[] = [];
    if (PRINTS_HISTOGRAMS.has(callee.text) && this.startsHistogram()) {
      const histogram = this.parseHistogram(this.next());
      if (this.isOp('[')) {
        // One bucket of it: `print(@hist_log(s)[3], ...)`, a value like any other, but stap takes it alone.
        this.next();
        const bucket = this.parseExpression();
        this.expectOp(']');
        args.push(this.node('index', '[]', histogram.start, [histogram, bucket]));
        while (!this.isOp(')')) {
          if (!this.isOp(',')) throw new ParseError(`expected ',' or ')' after arguments of ${name}, saw ${describe(this.tok)}`, this.tok);
          this.next();
          args.push(this.parseExpression());
        }
      } else {
        args.push(histogram);
        if (!this.isOp(')')) throw new ParseError(`expected ')' after the histogram, saw ${describe(this.tok)}: ${name} prints a whole histogram only as its one argument`, this.tok);
      }
      this.next();
      return this.node('call', callee.text, callee.start, args);
    }
    if (kind === 'format' || kind === 'delimiter') {
      const what = kind === 'format' ? 'format' : 'delimiter';
      // `$N` may turn out to be a string literal once stap pastes it in.
      if (this.tok.kind === 'dollar' && this.isUnknownScriptArg(this.tok)) args.push(this.leaf('scriptArg', this.next()));
      else if (this.startsString(this.tok)) args.push(this.parseStringLiteral());
      else throw new ParseError(`expected a literal string as the ${what} of ${name}, saw ${describe(this.tok)}`, this.tok);
    }
    const needed = kind === 'delimiter' ? 2 : kind === 'values' ? 1 : 0;
    let values = 0;
    while (!this.isOp(')') || values < needed) {
      if (this.isOp(')')) {
        const missing = kind === 'delimiter' ? `at least two values to print after its delimiter` : 'a value to print';
        throw new ParseError(`${name} needs ${missing}, ${values === 0 ? 'saw none' : 'saw one'}`, this.tok);
      }
      if (args.length > 0 && !this.eatOp(',')) throw new ParseError(`expected ',' or ')' after arguments of ${name}, saw ${describe(this.tok)}`, this.tok);
      args.push(this.parseExpression());
      values++;
    }
    this.next();
    return this.node('call', callee.text, callee.start, args);
  }

  private startsHistogram(): boolean {
    return this.tok.kind === 'at' && !!AT_OPERATORS.get(this.tok.text)?.histogram;
  }

  /** `@hist_log(stat)`, `@hist_linear(stat, start, stop, interval)`: `t` is the operator, already read. */
  private parseHistogram(t: Token): Expr {
    return this.parseAtOperator(t, AT_OPERATORS.get(t.text)!);
  }

  /** A built-in `@` operator, its arguments checked as stap checks them. */
  private parseAtOperator(t: Token, syntax: AtOperatorSyntax): Expr {
    this.expectOp('(');
    const args: Expr[] = [];
    const argument = (kind: AtArgument, index: number): Expr => {
      const a = this.tok;
      switch (kind) {
        case 'expression':
          return this.parseExpression();
        case 'string': {
          if (!this.startsString(a)) throw new ParseError(`expected string, saw ${describe(a)}`, a);
          const s = this.parseStringLiteral();
          if (syntax.nonEmpty?.includes(index) && s.kind === 'string' && /^("")+$/.test(s.text.replace(/\s+/g, ''))) {
            throw new ParseError(`expected a non-empty string as the ${ordinal(index)} argument of ${t.text}`, a);
          }
          return s;
        }
        case 'number':
          return this.parseNumberArgument(syntax.numbers);
        case 'identifier': {
          // stap's identifiers include `$name`.
          if (a.kind === 'dollar' && !isScriptArg(a)) return this.leaf('target', this.next());
          return this.leaf('identifier', this.expectIdentifier());
        }
      }
    };
    for (let i = 0; i < syntax.required.length; i++) {
      if (i > 0) this.expectOp(',');
      args.push(argument(syntax.required[i], i));
    }
    for (const kind of syntax.optional ?? []) {
      if (!this.eatOp(',')) break;
      args.push(argument(kind, args.length));
    }
    this.expectOp(')');
    return this.node('atOperator', t.text, t.start, args);
  }

  /**
   * `@count(s)`, `@variance(s, 2)`. stap reads what follows the statistic in
   * a loop of its own: `)` ends it, `,` starts a number argument, and any
   * other token is skipped without a word (`@count(s 1)` parses). We skip
   * them too, with a warning, but stop at a brace, a `;` or a declaration.
   */
  private parseStatistic(t: Token, syntax: AtOperatorSyntax): Expr {
    this.expectOp('(');
    const args = [this.parseExpression()];
    const allowed = 1 + (syntax.optional?.length ?? 0);
    let skipped: { start: number; end: number } | undefined;
    for (;;) {
      const n = this.tok;
      if (this.isOp(')')) {
        this.next();
        break;
      }
      if (this.isOp(',')) {
        if (args.length >= allowed) throw new ParseError(`${t.text} takes ${allowed === 1 ? 'one argument' : `at most ${allowed} arguments`}`, n);
        this.next();
        args.push(this.parseNumberArgument(syntax.numbers));
        continue;
      }
      if (n.kind === 'eof' || this.isOp('{') || this.isOp('}') || this.isOp(';') || (n.kind === 'identifier' && TOP_LEVEL_KEYWORDS.has(n.text))) {
        throw new ParseError(`expected ',' or ')' after the argument of ${t.text}, saw ${describe(n)}`, n);
      }
      skipped = { start: skipped?.start ?? n.start, end: n.end };
      this.next();
    }
    if (skipped) {
      this.warnAt(`stap skips ${quoted(this.text.slice(skipped.start, skipped.end))} here without a word: only ',' or ')' may follow the argument of ${t.text}`, skipped);
    }
    return this.node('atOperator', t.text, t.start, args);
  }

  /**
   * stap's expect_number: a literal number, maybe negated. A script argument
   * whose value is not known stands for one (`$1`, `-$1`).
   */
  private parseNumberArgument(note?: string): Expr {
    const start = this.tok.start;
    const minus = this.isOp('-') ? this.next() : undefined;
    const t = this.tok;
    if (t.kind === 'number') {
      this.next();
      if (minus && (numberValue(t.text) ?? 0n) > 1n << 63n) throw new ParseError(`number invalid or out of range: -${shortened(t.text)}`, t);
      return { kind: 'number', text: (minus ? '-' : '') + t.text, start, end: t.end, children: [] };
    }
    if (this.isUnknownScriptArg(t) && t.kind === 'dollar') {
      this.next();
      const arg = this.leaf('scriptArg', t);
      return minus ? this.node('unary', '-', start, [arg]) : arg;
    }
    throw new ParseError(`expected a literal number, saw ${describe(t)}${note ? `: ${note}` : ''}`, t);
  }

  /** A script argument, which stap replaces before parsing by text this parse does not know. */
  private isUnknownScriptArg(t: Token): boolean {
    return (t.kind === 'dollar' || t.kind === 'at') && isScriptArg(t) && t.text !== '@#';
  }

  /**
   * What stap reads after any value: `->member`, `[index]`, and a
   * pretty-printing suffix (`$`, `$$`), which make the value a target
   * expression (`$p->a`, `@cast(p, "t")->b[2]`, `f()->c$`, `$$parms$`). After
   * a pretty-printing suffix nothing more may follow.
   */
  private parseTargetComponents(base: Expr): Expr {
    // Most values have no components: no array to make for them.
    const t = this.tok;
    if (base.kind !== 'target' && t.kind !== 'dollar' && !(t.kind === 'operator' && (t.text === '->' || t.text === '['))) return base;
    let pretty = base.kind === 'target' && /[^$]\$+$/.test(base.text);
    const children = [base];
    while (!pretty) {
      if (this.isOp('->')) {
        this.next();
        const m = this.tok;
        if (m.kind !== 'identifier' && !isPrettySuffix(m)) throw new ParseError(`expected a member name after '->', saw ${describe(m)}`, m);
        this.next();
        children.push(this.leaf('identifier', m));
        pretty = m.text.endsWith('$');
        continue;
      }
      if (this.isOp('[')) {
        this.next();
        children.push(this.parseExpression());
        this.expectOp(']');
        continue;
      }
      if (isPrettySuffix(this.tok)) {
        children.push(this.leaf('identifier', this.next()));
        pretty = true;
      }
      break;
    }
    if (pretty && (this.isOp('->') || this.isOp('['))) {
      throw new ParseError(`${quoted(this.tok.text)} cannot follow a pretty-printing suffix ('$' or '$$'): it prints the whole value as a string`, this.tok);
    }
    return children.length > 1 ? this.node('member', '->', base.start, children) : base;
  }

  /** A string literal, or `@N`, which stap pastes in as a quoted string. */
  private startsString(t: Token): boolean {
    return t.kind === 'string' || (t.kind === 'at' && isScriptArg(t) && t.text !== '@#');
  }

  /** Adjacent string literals concatenate, as in C; `@1 "suffix"` too. */
  private parseStringLiteral(): Expr {
    const first = this.next();
    let text = first.text;
    while (this.startsString(this.tok)) text += ' ' + this.next().text;
    if (text === first.text && first.kind === 'at') return this.leaf('scriptArg', first);
    return { kind: 'string', text, start: first.start, end: this.prevEnd, children: [] };
  }
}

/** A word of `$` only, as in `$p[0]$` or `$p->$$`: stap's pretty-printing suffix. */
const isPrettySuffix = (t: Token): boolean => t.kind === 'dollar' && /^\$+$/.test(t.text);

const ordinal = (i: number): string => ['first', 'second', 'third', 'fourth'][i] ?? `${i + 1}th`;
