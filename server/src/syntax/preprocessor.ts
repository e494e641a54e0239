// The stap preprocessor, on tokens as stap's own: `%( COND %? THEN %: ELSE %)`
// conditionals and `@define NAME(PARAMS) %( BODY %)` macros. Untaken branches
// are kept as inactive ranges for the editor instead of being dropped silently.

import { SyntaxError, OffsetRange } from './diagnostic';
import { isKeyword, makeToken, Token } from './lexer';
import { compareVersions, globMatch } from './versions';

export interface PreprocessorTarget {
  /** Full kernel release, e.g. `6.1.0-18-amd64` (`kernel_vr`). */
  kernelRelease: string;
  /** e.g. `x86_64`, as `uname -m` prints it. */
  arch: string;
  /** The stap version the script is written for (`systemtap_v`). */
  systemtapVersion: string;
  privilege: 'stapdev' | 'stapsys' | 'stapusr';
  guruMode: boolean;
  runtime: string;
  /** Kernel .config values, e.g. `{ CONFIG_SMP: 'y' }`. Unknown options are empty. */
  kernelConfig: Record<string, string>;
}

export const DEFAULT_TARGET: PreprocessorTarget = {
  kernelRelease: '6.1.0',
  arch: 'x86_64',
  systemtapVersion: '5.0',
  privilege: 'stapdev',
  guruMode: false,
  runtime: 'kernel',
  kernelConfig: {},
};

export interface MacroDefinition {
  name: string;
  params: string[];
  body: Token[];
  /** Offsets of the `@define` ... `%)` text. */
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  /** Set for library macros read from a tapset `.stpm` file. */
  file?: string;
  /** For each body token, the parameter it names (-1: none); computed on first use. */
  paramIndexes?: number[];
  /** Where each body token really is, shared by every expansion; computed on first use. */
  bodyOrigins?: { start: number; end: number; file?: string }[];
  /** Whether the body, arguments aside, holds conditionals or macro uses; computed on first use. */
  bodyNeedsPreprocessing?: boolean;
}

export interface PreprocessResult {
  tokens: Token[];
  inactive: OffsetRange[];
  macros: MacroDefinition[];
  errors: SyntaxError[];
}

const MAX_EXPANSION_DEPTH = 32;
/** Macros using macros twice over grow exponentially: stop well before memory runs out. */
const MAX_EXPANDED_TOKENS = 1_000_000;

export function preprocess(
  input: Token[],
  target: PreprocessorTarget = DEFAULT_TARGET,
  libraryMacros: ReadonlyMap<string, MacroDefinition> = new Map(),
): PreprocessResult {
  return new Preprocessor(input, target, libraryMacros).run();
}

class Preprocessor {
  private pos = 0;
  private readonly out: Token[] = [];
  private readonly inactive: OffsetRange[] = [];
  private readonly errors: SyntaxError[] = [];
  private readonly defined: MacroDefinition[] = [];
  /** This file's own `@define`s shadow the library's. */
  private readonly macros = new Map<string, MacroDefinition>();
  private readonly libraryMacros: ReadonlyMap<string, MacroDefinition>;
  /** Macros being expanded right now, to refuse recursion. */
  private readonly expanding = new Set<string>();
  private expandedTokens = 0;

  constructor(
    private tokens: Token[],
    private readonly target: PreprocessorTarget,
    libraryMacros: ReadonlyMap<string, MacroDefinition>,
  ) {
    this.libraryMacros = libraryMacros;
  }

  run(): PreprocessResult {
    this.sequence(null, this.out, 0);
    this.out.push(this.tokens[this.tokens.length - 1]); // eof
    return { tokens: this.out, inactive: this.inactive, macros: this.defined, errors: this.errors };
  }

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private macro(use: Token): MacroDefinition | undefined {
    const name = use.text.slice(1);
    return this.macros.get(name) ?? this.libraryMacros.get(name);
  }

  /** Copies active tokens to `out` until one of `terminators` (not consumed) or eof. */
  private sequence(terminators: string[] | null, out: Token[], depth: number): Token {
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return t;
      if (t.kind === 'pp') {
        if (t.text === '%(') {
          this.pos++;
          this.conditional(t, out, depth);
          continue;
        }
        if (terminators?.includes(t.text)) return t;
        this.errors.push({ message: `incomplete conditional - missing '%('`, start: t.start, end: t.end });
        this.pos++;
        continue;
      }
      if (t.kind === 'invalid') {
        this.pos++; // already reported by the lexer
        continue;
      }
      if (t.kind === 'at' && t.text === '@define') {
        this.define(t);
        continue;
      }
      const macro = t.kind === 'at' ? this.macro(t) : undefined;
      if (macro) {
        this.pos++;
        this.expandUse(t, macro, out, depth);
        continue;
      }
      out.push(t);
      this.pos++;
    }
  }

  private conditional(open: Token, out: Token[], depth: number): void {
    const result = this.condition(open);
    const question = this.peek();
    if (!(question.kind === 'pp' && question.text === '%?')) {
      this.errors.push({ message: `expected '%?' marker for conditional`, start: open.start, end: open.end });
      // Treat the rest as the then-branch so the file keeps its symbols.
    } else {
      this.pos++;
    }
    const takeThen = result !== false;
    let end: Token;
    if (takeThen) {
      end = this.sequence(['%:', '%)'], out, depth);
    } else {
      end = this.skip(question);
    }
    if (end.kind === 'pp' && end.text === '%:') {
      this.pos++;
      end = takeThen ? this.skip(end) : this.sequence(['%)'], out, depth);
      if (end.kind === 'pp' && end.text === '%:') {
        this.errors.push({ message: `invalid conditional - duplicate '%:'`, start: end.start, end: end.end });
        this.pos++;
        end = this.skip(end);
      }
    }
    if (end.kind === 'pp' && end.text === '%)') {
      this.pos++;
    } else {
      this.errors.push({
        message: 'incomplete conditional at end of file',
        start: open.start,
        end: open.end,
      });
    }
  }

  /** Skips an untaken branch, recording it as inactive. Stops at `%:`/`%)` of this level. */
  private skip(from: Token): Token {
    let nesting = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (t.kind === 'pp') {
        if (t.text === '%(') nesting++;
        else if (nesting && t.text === '%)') nesting--;
        else if (!nesting && (t.text === '%:' || t.text === '%)' || t.text === '%?')) break;
      }
      this.pos++;
    }
    const t = this.peek();
    if (t.start > from.end) this.inactive.push({ start: from.end, end: t.start });
    return t;
  }

  /**
   * Evaluates `L OP R (&& L OP R)* (|| ...)*` up to `%?`.
   * Returns undefined when the value cannot be known here (script arguments).
   */
  private condition(open: Token): boolean | undefined {
    let result: boolean | undefined = false;
    let andResult: boolean | undefined = true;
    for (;;) {
      const triple: Token[] = [];
      while (triple.length < 3 && !this.isConditionEnd(this.peek())) {
        const t = this.peek();
        const macro = t.kind === 'at' ? this.macro(t) : undefined;
        if (macro) {
          this.pos++;
          const expanded: Token[] = [];
          this.expandUse(t, macro, expanded, 0);
          for (const e of expanded) triple.push(e);
          continue;
        }
        triple.push(t);
        this.pos++;
      }
      if (triple.length < 3) {
        this.errors.push({ message: `incomplete condition after '%('`, start: open.start, end: open.end });
        return undefined;
      }
      const value = this.evaluate(triple[0], triple[1], triple[2]);
      andResult = andResult === false || value === false ? false : andResult === undefined || value === undefined ? undefined : true;
      const n = this.peek();
      if (n.kind === 'operator' && n.text === '&&') {
        this.pos++;
        continue;
      }
      result = result === true || andResult === true ? true : result === undefined || andResult === undefined ? undefined : false;
      andResult = true;
      if (n.kind === 'operator' && n.text === '||') {
        this.pos++;
        continue;
      }
      return result;
    }
  }

  private isConditionEnd(t: Token): boolean {
    return t.kind === 'eof' || (t.kind === 'pp' && t.text !== '%(') || (t.kind === 'operator' && (t.text === '&&' || t.text === '||'));
  }

  private fail(message: string, t: Token): undefined {
    this.errors.push({ message, start: t.start, end: t.end });
    return undefined;
  }

  private evaluate(l: Token, op: Token, r: Token): boolean | undefined {
    const cmp = op.kind === 'operator' && ['==', '!=', '<', '<=', '>', '>='].includes(op.text) ? op.text : undefined;
    if (!cmp) return this.fail('expected comparison operator', op);
    const str = (t: Token) => unquote(t.text);
    const equality = (lhs: string, pattern: string) => {
      if (cmp !== '==' && cmp !== '!=') return this.fail(`expected '==' or '!='`, op);
      return globMatch(pattern, lhs) === (cmp === '==');
    };
    if (l.kind === 'identifier' && (l.text === 'kernel_v' || l.text === 'kernel_vr' || l.text === 'systemtap_v')) {
      if (r.kind !== 'string') return this.fail('expected string literal', r);
      const actual =
        l.text === 'kernel_vr'
          ? this.target.kernelRelease
          : l.text === 'kernel_v'
            ? this.target.kernelRelease.replace(/-.*$/, '')
            : this.target.systemtapVersion;
      const query = str(r);
      if (/[*?[]/.test(query)) {
        if (cmp !== '==' && cmp !== '!=') return this.fail('wildcard not allowed with order comparison operators', op);
        return globMatch(query, actual) === (cmp === '==');
      }
      return compare(compareVersions(actual, query), cmp);
    }
    if (l.kind === 'identifier' && (l.text === 'arch' || l.text === 'systemtap_privilege' || l.text === 'runtime')) {
      if (r.kind !== 'string') return this.fail('expected string literal', r);
      const actual = l.text === 'arch' ? this.target.arch : l.text === 'runtime' ? this.target.runtime : this.target.privilege;
      return equality(actual, str(r));
    }
    if (l.kind === 'identifier' && l.text === 'guru_mode') {
      if (r.kind !== 'number') return this.fail('expected number literal as right value', r);
      return compare((this.target.guruMode ? 1 : 0) - Number(r.text), cmp);
    }
    if (l.kind === 'identifier' && l.text.startsWith('CONFIG_')) {
      const lhs = this.target.kernelConfig[l.text] ?? '';
      if (r.kind === 'string') return equality(lhs, str(r));
      if (r.kind === 'number') return compare((Number(lhs) || 0) - Number(r.text), cmp);
      if (r.kind === 'identifier' && r.text.startsWith('CONFIG_')) {
        const rhs = this.target.kernelConfig[r.text] ?? '';
        return compare(lhs < rhs ? -1 : lhs > rhs ? 1 : 0, cmp);
      }
      return this.fail('expected string, number literal or other CONFIG_... as right side operand', r);
    }
    if (l.kind === 'string' && r.kind === 'string') return compare(str(l) < str(r) ? -1 : str(l) > str(r) ? 1 : 0, cmp);
    if (l.kind === 'number' && r.kind === 'number') return compare(Number(l.text) - Number(r.text), cmp);
    if (l.kind === 'string' && r.kind === 'number') return this.fail('expected string literal as right value', r);
    if (l.kind === 'number' && r.kind === 'string') return this.fail('expected number literal as right value', r);
    // Script arguments are only known when the script runs, but `$#` is a number, `@#` a string.
    const kindOf = (t: Token) => (t.text === '$#' ? 'number' : t.text === '@#' ? 'string' : t.kind);
    if (l.text === '$#' || l.text === '@#' || r.text === '$#' || r.text === '@#') {
      if (kindOf(l) === 'number' && kindOf(r) === 'string') return this.fail('expected number literal as right value', r);
      if (kindOf(l) === 'string' && kindOf(r) === 'number') return this.fail('expected string literal as right value', r);
      return undefined;
    }
    if (l.kind === 'dollar' || l.kind === 'at' || r.kind === 'dollar' || r.kind === 'at') return undefined;
    return this.fail(
      `expected 'arch' or 'kernel_v' or 'kernel_vr' or 'CONFIG_...' or comparison between strings or integers`,
      l,
    );
  }

  /** `@define NAME(P1, P2) %( BODY %)` or `@define NAME %( BODY %)`. */
  private define(at: Token): void {
    this.pos++;
    const name = this.peek();
    if (name.kind !== 'identifier' || isKeyword(name)) {
      this.errors.push({ message: `expected identifier after @define, saw '${name.text}'`, start: name.start, end: name.end });
      return;
    }
    if (this.macros.has(name.text)) {
      this.errors.push({ message: `attempt to redefine macro '@${name.text}' in the same file`, start: name.start, end: name.end });
    }
    this.pos++;
    const params: string[] = [];
    if (this.peek().kind === 'operator' && this.peek().text === '(') {
      this.pos++;
      let afterComma = false;
      while (afterComma || !(this.peek().kind === 'operator' && this.peek().text === ')')) {
        const p = this.peek();
        if (p.kind !== 'identifier' || isKeyword(p)) {
          this.errors.push({ message: `expected identifier, saw '${p.text}'`, start: p.start, end: p.end });
          return;
        }
        params.push(p.text);
        this.pos++;
        afterComma = this.peek().kind === 'operator' && this.peek().text === ',';
        if (afterComma) this.pos++;
        else break;
      }
      if (!(this.peek().kind === 'operator' && this.peek().text === ')')) {
        this.errors.push({ message: `expected ')'`, start: this.peek().start, end: this.peek().end });
        return;
      }
      this.pos++;
    }
    if (!(this.peek().kind === 'pp' && this.peek().text === '%(')) {
      this.errors.push({ message: `expected '%('`, start: this.peek().start, end: this.peek().end });
      return;
    }
    this.pos++;
    const body: Token[] = [];
    let nesting = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (t.kind === 'pp' && t.text === '%(') nesting++;
      if (t.kind === 'pp' && t.text === '%)') {
        if (nesting === 0) break;
        nesting--;
      }
      body.push(t);
      this.pos++;
    }
    if (this.peek().kind === 'eof') {
      this.errors.push({ message: `unterminated macro definition, expected '%)'`, start: at.start, end: name.end });
      return;
    }
    const end = this.peek().end;
    this.pos++;
    const macro: MacroDefinition = {
      name: name.text,
      params,
      body,
      start: at.start,
      end,
      nameStart: name.start,
      nameEnd: name.end,
    };
    this.macros.set(macro.name, macro);
    this.defined.push(macro);
  }

  /** Expands `@NAME(ARGS)`; arguments are token lists split on top-level commas. */
  private expandUse(use: Token, macro: MacroDefinition, out: Token[], depth: number): void {
    const args: Token[][] = [];
    let useEnd = use.end;
    if (macro.params.length > 0 || (this.peek().kind === 'operator' && this.peek().text === '(' && !this.peek().spaceBefore)) {
      if (!(this.peek().kind === 'operator' && this.peek().text === '(')) {
        this.errors.push({ message: `expected '(' after macro @${macro.name}`, start: use.start, end: use.end });
        return;
      }
      this.pos++;
      let current: Token[] = [];
      let nesting = 0;
      while (this.peek().kind !== 'eof') {
        const t = this.peek();
        if (t.kind === 'operator' && (t.text === '(' || t.text === '[' || t.text === '{')) nesting++;
        if (t.kind === 'operator' && (t.text === ')' || t.text === ']' || t.text === '}')) {
          if (nesting === 0) break;
          nesting--;
        }
        if (nesting === 0 && t.kind === 'operator' && t.text === ',') {
          args.push(current);
          current = [];
        } else {
          current.push(t);
        }
        this.pos++;
      }
      if (current.length || args.length) args.push(current);
      if (!(this.peek().kind === 'operator' && this.peek().text === ')')) {
        this.errors.push({ message: `expected ')'`, start: this.peek().start, end: this.peek().end });
        return;
      }
      useEnd = this.peek().end;
      this.pos++;
      if (args.length !== macro.params.length) {
        this.errors.push({
          message: `macro @${macro.name} takes ${macro.params.length} argument${macro.params.length === 1 ? '' : 's'}, got ${args.length}`,
          start: use.start,
          end: useEnd,
        });
        return;
      }
    }
    if (this.expanding.has(macro.name)) {
      this.errors.push({ message: `recursive use of macro @${macro.name}`, start: use.start, end: useEnd });
      return;
    }
    if (depth >= MAX_EXPANSION_DEPTH || this.expandedTokens + macro.body.length > MAX_EXPANDED_TOKENS) {
      this.errors.push({ message: `macro @${macro.name} expands to too much text`, start: use.start, end: useEnd });
      return;
    }
    this.expandedTokens += macro.body.length;
    // Expanded tokens are placed at the use, so every range stays in this file.
    const origin = { start: use.start, end: useEnd };
    const substituted: Token[] = [];
    // Arguments are expanded first, in the caller's context: `@m(@m(x))` is no recursion.
    const expandedArgs = args.map((a) => (needsPreprocessing(a) ? this.expandTokens(a, useEnd, depth + 1) : a));
    const paramIndexes = (macro.paramIndexes ??= macro.body.map((t) => (t.kind === 'at' ? macro.params.indexOf(t.text.slice(1)) : -1)));
    macro.bodyNeedsPreprocessing ??= macro.body.some((t, i) => paramIndexes[i] < 0 && (t.kind === 'pp' || t.kind === 'at' || t.kind === 'invalid'));
    const origins = (macro.bodyOrigins ??= macro.body.map((t) => t.macroOrigin ?? { start: t.start, end: t.end, file: macro.file }));
    for (let i = 0; i < macro.body.length; i++) {
      const t = macro.body[i];
      if (paramIndexes[i] >= 0) {
        for (const a of expandedArgs[paramIndexes[i]]) substituted.push(a);
      } else {
        substituted.push(makeToken(t.kind, t.text, origin.start, origin.end, t.spaceBefore, origins[i]));
      }
    }
    // Most bodies are plain tokens: they need no second pass.
    if (!macro.bodyNeedsPreprocessing) {
      for (const t of substituted) out.push(t);
      return;
    }
    this.expanding.add(macro.name);
    for (const t of this.expandTokens(substituted, useEnd, depth + 1)) out.push(t);
    this.expanding.delete(macro.name);
  }

  /** Runs the preprocessor over a token list of its own (a macro body or argument). */
  private expandTokens(tokens: Token[], end: number, depth: number): Token[] {
    const saved = { tokens: this.tokens, pos: this.pos };
    tokens.push(makeToken('eof', '', end, end, true));
    this.tokens = tokens;
    this.pos = 0;
    const inactiveBefore = this.inactive.length;
    const out: Token[] = [];
    this.sequence(null, out, depth);
    this.inactive.length = inactiveBefore; // inactive parts of macro text are not in this file's text
    this.tokens = saved.tokens;
    this.pos = saved.pos;
    return out;
  }
}

/** Whether a token list holds anything the preprocessor acts on. */
function needsPreprocessing(tokens: Token[]): boolean {
  for (const t of tokens) if (t.kind === 'pp' || t.kind === 'at' || t.kind === 'invalid') return true;
  return false;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function compare(diff: number, op: string): boolean {
  switch (op) {
    case '==':
      return diff === 0;
    case '!=':
      return diff !== 0;
    case '<':
      return diff < 0;
    case '<=':
      return diff <= 0;
    case '>':
      return diff > 0;
    default:
      return diff >= 0;
  }
}
