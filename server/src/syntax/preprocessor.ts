// The stap preprocessor, on tokens as stap's own: `%( COND %? THEN %: ELSE %)`
// conditionals and `@define NAME(PARAMS) %( BODY %)` macros. Untaken branches
// are kept as inactive ranges for the editor instead of being dropped silently.
//
// As in a C preprocessor, tokens are read from a stack of input frames: the
// file, then one frame per macro body being expanded and per macro argument
// being read. A macro use pushes a frame instead of calling the expander again,
// and conditionals are a stack of their own, so no input nests JS calls: a
// chain of 50,000 macros or 100,000 nested `%(` costs heap, not native stack.
// Arguments are read where their parameter is used, in the context of the
// macro use (as stap does), so `@m(@m(x))` is no recursion.

import { OffsetRange, shortened, SyntaxError } from './diagnostic';
import { isKeyword, makeToken, numberValue, Token } from './lexer';
import { rereadBudget, startsDeclarationLine } from './recovery';
import { compareVersions, globMatch } from './versions';
import { BUILT_IN_OPERATOR_NAMES } from './atOperators';

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
}

export interface PreprocessResult {
  tokens: Token[];
  inactive: OffsetRange[];
  macros: MacroDefinition[];
  errors: SyntaxError[];
  /** Tokens read from macro bodies and arguments: what EXPANSION_BUDGET counts. */
  expandedTokens: number;
  /** Where the first unclosed macro definition or argument list is that the file goes on after (see declarationLine); undefined when none. */
  resumedAfter?: number;
}

/**
 * How many tokens the macros of one file may produce, all uses together:
 * every token read from a macro body or a macro argument counts, skipped
 * `%( %)` branches and argument lists included, so the count bounds the work
 * and the memory. Macros that use their parameter twice double at every level
 * (`@d(@d(@d(...)))`): without a bound, 30 levels are 2^30 tokens, and stap
 * itself runs out of memory on them.
 *
 * The most any real script needs, over every installed tapset and example
 * script, for five architectures and four kernel versions, is 13,008 tokens
 * (tapset/python3.stp, all its uses together); no other file needs 7,000.
 * 500,000 is 38 times that. Running into it costs about 0.2 s and 30 MB (all
 * that was expanded is then dropped), and it leaves room for 100,000 levels of
 * `@m(@m(...))` with a macro that uses its parameter once (4 tokens a level).
 */
export const EXPANSION_BUDGET = 500_000;

/** With the `text` the tokens come from, an unclosed macro definition or argument list ends before the next declaration. */
export function preprocess(input: Token[], target: PreprocessorTarget = DEFAULT_TARGET, libraryMacros: ReadonlyMap<string, MacroDefinition> = new Map(), text?: string): PreprocessResult {
  return new Preprocessor(input, target, libraryMacros, text).run();
}

/** Where the tokens of a macro body are placed: at the use, remembering where each really is. */
interface Placement {
  /** The `@NAME(ARGS)` text in this file. */
  start: number;
  end: number;
  origins: { start: number; end: number; file?: string }[];
}

/**
 * One expansion of a macro. Its arguments are ranges of the token list the
 * use was read from. It is also the placement of the body's tokens.
 */
interface MacroUse extends Placement {
  macro: MacroDefinition;
  args: { start: number; end: number }[];
  /** How the arguments are read: the tokens, placement and parameters of the frame the use is in. */
  tokens: Token[];
  place?: Placement;
  scope?: MacroUse;
}

/** An input: the file, a macro body or a macro argument, read from `pos` to `end`. */
class Frame {
  constructor(
    readonly tokens: Token[],
    public pos: number,
    readonly end: number,
    /** 0 for the file. */
    readonly depth: number,
    /** Where an error about the end of this input goes. */
    readonly eofAt: number,
    readonly place: Placement | undefined,
    /** The macro use whose parameters `@NAME` names here. */
    readonly scope: MacroUse | undefined,
    /** Body frames: the use being expanded. */
    readonly use: MacroUse | undefined,
    /** Argument frames: the macro whose body uses the argument; it is not being expanded while the argument is read. */
    readonly hidden: string | undefined,
  ) {}
}

/** A `%( ... %)` being read: its condition, or the branch taken. */
interface Conditional {
  open: Token;
  frame: Frame;
  phase: 'condition' | 'then' | 'else';
  /** The comparison being read, `L OP R`. */
  triple: Token[];
  /** The value so far of the `||` terms, and of the `&&` term being read. */
  result: boolean | undefined;
  andResult: boolean | undefined;
}

const OPEN_BRACKETS = new Set(['(', '[', '{']);
const CLOSE_BRACKETS = new Set([')', ']', '}']);
/** For each bracket of a token list, the index of its partner (-1: none); computed once per list. */
const bracketTables = new WeakMap<Token[], Int32Array>();

function bracketTable(tokens: Token[]): Int32Array {
  let table = bracketTables.get(tokens);
  if (table) return table;
  table = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    // Brackets are one character: most operators are passed over without a lookup.
    if (t.kind !== 'operator' || t.text.length !== 1) continue;
    if (OPEN_BRACKETS.has(t.text)) open.push(i);
    else if (CLOSE_BRACKETS.has(t.text) && open.length) {
      const o = open.pop()!;
      table[o] = i;
      table[i] = o;
    }
  }
  bracketTables.set(tokens, table);
  return table;
}

class Preprocessor {
  private readonly out: Token[] = [];
  private readonly inactive: OffsetRange[] = [];
  private readonly errors: SyntaxError[] = [];
  private readonly defined: MacroDefinition[] = [];
  /** This file's own `@define`s shadow the library's. */
  private readonly macros = new Map<string, MacroDefinition>();
  private readonly libraryMacros: ReadonlyMap<string, MacroDefinition>;
  private readonly frames: Frame[];
  /** The frame the last token came from. */
  private from: Frame;
  private readonly conditionals: Conditional[] = [];
  /** The conditionals reading their condition, innermost last: where active tokens go before `out`. */
  private readonly collectors: Conditional[] = [];
  /** Macros being expanded where the current frame is read, to refuse recursion. */
  private readonly expanding = new Set<string>();
  private expanded = 0;
  /** `out.length` when the outermost expansion started: an expansion over budget is dropped whole. */
  private outMark = 0;
  /** Tokens unclosed macro definitions may still have read again after them (see rereadBudget). */
  private rereadBudget: number;
  private resumedAfter: number | undefined;

  constructor(
    tokens: Token[],
    private readonly target: PreprocessorTarget,
    libraryMacros: ReadonlyMap<string, MacroDefinition>,
    private readonly text: string | undefined,
  ) {
    this.libraryMacros = libraryMacros;
    this.rereadBudget = rereadBudget(tokens.length);
    const file = new Frame(tokens, 0, tokens.length - 1, 0, tokens[tokens.length - 1].start, undefined, undefined, undefined, undefined);
    this.frames = [file];
    this.from = file;
  }

  run(): PreprocessResult {
    const file = this.frames[0];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') break;
      this.dispatch(t, this.from);
    }
    this.closeConditionals(file, false);
    this.out.push(file.tokens[file.end]); // eof
    return { tokens: this.out, inactive: this.inactive, macros: this.defined, errors: this.errors, expandedTokens: this.expanded, resumedAfter: this.resumedAfter };
  }

  private macro(name: string): MacroDefinition | undefined {
    return this.macros.get(name) ?? this.libraryMacros.get(name);
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, start, end });
  }

  /**
   * In the file, the first token in [from, to) that starts a line with a
   * declaration, `@define` or `%{`: where a macro definition or argument list
   * that the file never closes gives way to what follows. `to` when none does.
   */
  private declarationLine(f: Frame, from: number, to: number): number {
    if (f.depth > 0 || this.text === undefined) return to;
    for (let i = from; i < to; i++) if (startsDeclarationLine(this.text, f.tokens, i, true)) return i;
    return to;
  }

  // ---- input frames: tokens with macros expanded ----

  /** Token `i` of a frame, placed at the macro use when it comes from a macro body. */
  private tokenAt(f: Frame, i: number): Token {
    if (i >= f.end) return f.depth === 0 ? f.tokens[f.end] : makeToken('eof', '', f.eofAt, f.eofAt, true);
    const t = f.tokens[i];
    const p = f.place;
    return p ? makeToken(t.kind, t.text, p.start, p.end, t.spaceBefore, p.origins[i]) : t;
  }

  /** Counts tokens read from macro text; the next read stops the expansion once over budget. */
  private charge(f: Frame, n: number): void {
    if (f.depth > 0) this.expanded += n;
  }

  /** The next token, macro uses expanded; `from` is set to the frame it comes from. Eof only at the end of the file. */
  private next(): Token {
    for (;;) {
      if (this.expanded > EXPANSION_BUDGET && this.frames.length > 1) this.stopExpansion();
      const f = this.frames[this.frames.length - 1];
      if (f.pos >= f.end) {
        if (f.depth === 0) {
          this.from = f;
          return this.tokenAt(f, f.pos);
        }
        this.endFrame(f, false);
        continue;
      }
      this.charge(f, 1);
      const i = f.pos++;
      const t = this.tokenAt(f, i);
      if (t.kind === 'at') {
        const scope = f.scope;
        const param = scope && scope.macro.params.length ? (scope.macro.paramIndexes ??= paramIndexes(scope.macro))[i] : -1;
        if (param >= 0) {
          this.pushArgument(scope!, param, f);
          continue;
        }
        const macro = t.text === '@define' ? undefined : this.macro(t.text.slice(1));
        if (macro) {
          this.expandUse(t, macro, f);
          continue;
        }
      }
      this.from = f;
      return t;
    }
  }

  /** Leaves a frame at its end (or dropped); its open conditionals are incomplete. */
  private endFrame(f: Frame, silent: boolean): void {
    this.closeConditionals(f, silent);
    if (f.use) this.expanding.delete(f.use.macro.name);
    if (f.hidden) this.expanding.add(f.hidden);
    this.frames.pop();
  }

  /** Drops the frames above `f`. */
  private unwindTo(f: Frame): void {
    while (this.frames[this.frames.length - 1] !== f) this.endFrame(this.frames[this.frames.length - 1], false);
  }

  /** Over budget: drops the outermost expansion under way, with all it produced. */
  private stopExpansion(): void {
    const use = this.frames[1].use!;
    this.error(`macro @${shortened(use.macro.name)} expands to more than ${EXPANSION_BUDGET} tokens: expansion stopped`, use.start, use.end);
    while (this.frames.length > 1) this.endFrame(this.frames[this.frames.length - 1], true);
    this.out.length = Math.min(this.out.length, this.outMark);
  }

  /** `@NAME(ARGS)`, or `@NAME` without parameters: arguments are token ranges split on top-level commas; the body becomes a frame. */
  private expandUse(use: Token, macro: MacroDefinition, f: Frame): void {
    const name = shortened(macro.name);
    const args: { start: number; end: number }[] = [];
    let useEnd = use.end;
    const paren = f.pos < f.end ? f.tokens[f.pos] : undefined;
    const isParen = paren?.kind === 'operator' && paren.text === '(';
    // A macro without parameters leaves a '(' after it alone, as stap does: `@f(1)` may call the function @f names.
    if (macro.params.length > 0) {
      if (!isParen) {
        this.error(`expected '(' after macro @${name}`, use.start, use.end);
        return;
      }
      const table = bracketTable(f.tokens);
      const open = f.pos;
      const close = table[open];
      if (close < 0 || close >= f.end || f.tokens[close].text !== ')') {
        // Unclosed, or closed by `]` or `}`: all up to there is taken, or up
        // to the next declaration when nothing closes it. stap reads on to
        // the end and reports the use.
        const stop = close < 0 || close >= f.end ? this.declarationLine(f, open + 1, f.end) : close;
        if (stop < f.end && close !== stop) this.resumedAfter ??= use.start;
        this.charge(f, stop - f.pos);
        f.pos = stop;
        this.error('could not find end of macro invocation', use.start, use.end);
        return;
      }
      let start = open + 1;
      let steps = 0;
      for (let j = open + 1; j < close; steps++) {
        const t = f.tokens[j];
        if (t.kind === 'operator' && OPEN_BRACKETS.has(t.text)) {
          j = table[j] + 1;
        } else {
          if (t.kind === 'operator' && t.text === ',') {
            args.push({ start, end: j });
            start = j + 1;
          }
          j++;
        }
      }
      if (close > open + 1 || args.length) args.push({ start, end: close });
      this.charge(f, steps);
      useEnd = this.tokenAt(f, close).end;
      f.pos = close + 1;
      if (args.length !== macro.params.length) {
        this.error(`macro @${name} takes ${macro.params.length} argument${macro.params.length === 1 ? '' : 's'}, got ${args.length}`, use.start, useEnd);
        return;
      }
    }
    if (this.expanding.has(macro.name)) {
      this.error(`recursive use of macro @${name}`, use.start, useEnd);
      return;
    }
    if (this.expanded > EXPANSION_BUDGET) {
      // Inside an expansion, the next read stops it; a use in the file is refused at once.
      if (f.depth === 0) this.error(`macro @${name} not expanded: this file's macros already expanded to more than ${EXPANSION_BUDGET} tokens`, use.start, useEnd);
      return;
    }
    const origins = (macro.bodyOrigins ??= macro.body.map((t) => t.macroOrigin ?? { start: t.start, end: t.end, file: macro.file }));
    // Expanded tokens are placed at the use, so every range stays in this file.
    const macroUse: MacroUse = { macro, start: use.start, end: useEnd, origins, args, tokens: f.tokens, place: f.place, scope: f.scope };
    if (f.depth === 0) this.outMark = this.out.length;
    this.expanding.add(macro.name);
    this.frames.push(new Frame(macro.body, 0, macro.body.length, f.depth + 1, useEnd, macroUse, macroUse, macroUse, undefined));
  }

  /** `@PARAM` in a macro body: the argument is read where the use was, its own macro uses expanded there. */
  private pushArgument(use: MacroUse, index: number, f: Frame): void {
    const arg = use.args[index];
    this.expanding.delete(use.macro.name);
    this.frames.push(new Frame(use.tokens, arg.start, arg.end, f.depth + 1, use.end, use.place, use.scope, undefined, use.macro.name));
  }

  // ---- conditionals ----

  /** Sends one active token where it belongs: a condition being read, a directive, the output. */
  private dispatch(t: Token, f: Frame): void {
    const top = this.innermost();
    if (top?.phase === 'condition') {
      this.conditionToken(top, t, f);
    } else if (t.kind === 'pp') {
      this.directive(t, f);
    } else if (t.kind === 'invalid') {
      // already reported by the lexer
    } else if (t.kind === 'at' && t.text === '@define') {
      this.define(t, f);
    } else {
      const collector = this.collectors.length ? this.collectors[this.collectors.length - 1] : undefined;
      if (collector) this.conditionToken(collector, t, f);
      else this.out.push(t);
    }
  }

  private innermost(): Conditional | undefined {
    const n = this.conditionals.length;
    return n ? this.conditionals[n - 1] : undefined; // no [-1]: reading past an array's end is slow
  }

  private open(t: Token, f: Frame): void {
    const c: Conditional = { open: t, frame: f, phase: 'condition', triple: [], result: false, andResult: true };
    this.conditionals.push(c);
    this.collectors.push(c);
  }

  /** `%(`, `%?`, `%:` or `%)` outside a condition. */
  private directive(t: Token, f: Frame): void {
    if (t.text === '%(') {
      this.open(t, f);
      return;
    }
    const top = this.innermost();
    // A conditional is closed in the text it opened in, not in a macro body or argument.
    if (!top || top.frame !== f || t.text === '%?' || (t.text === '%:' && top.phase === 'else')) {
      this.error(`incomplete conditional - missing '%('`, t.start, t.end);
      return;
    }
    if (t.text === '%)') {
      this.conditionals.pop();
      return;
    }
    // `%:` ends the taken then-branch: skip the else-branch.
    let end = this.skip(f, t);
    if (end.kind === 'pp' && end.text === '%:') {
      this.error(`invalid conditional - duplicate '%:'`, end.start, end.end);
      f.pos++;
      end = this.skip(f, end);
    }
    this.close(top, end, f);
  }

  /** Ends a conditional at the `%)` where skipping stopped, or reports it incomplete. */
  private close(c: Conditional, end: Token, f: Frame): void {
    if (end.kind === 'pp' && end.text === '%)') f.pos++;
    else this.error('incomplete conditional at end of file', c.open.start, c.open.end);
    this.conditionals.pop();
  }

  /**
   * One token of a condition `L OP R (&& L OP R)* (|| ...)*`, macros already
   * expanded. The token after a complete comparison decides: `&&` or `||`
   * go on, anything else ends the condition.
   */
  private conditionToken(c: Conditional, t: Token, f: Frame): void {
    const ends = t.kind === 'eof' || (t.kind === 'pp' && t.text !== '%(') || (t.kind === 'operator' && (t.text === '&&' || t.text === '||'));
    if (c.triple.length < 3) {
      if (ends) {
        this.error(`incomplete condition after '%('`, c.open.start, c.open.end);
        c.result = undefined;
        this.endCondition(c, t, f);
        return;
      }
      if (t.kind === 'pp' && f.depth > c.frame.depth) {
        this.open(t, f); // a conditional in a macro body used in the condition
        return;
      }
      c.triple.push(t);
      if (c.triple.length === 3) {
        const value = this.evaluate(c.triple[0], c.triple[1], c.triple[2]);
        c.andResult = c.andResult === false || value === false ? false : c.andResult === undefined || value === undefined ? undefined : true;
      }
      return;
    }
    if (t.kind === 'operator' && t.text === '&&') {
      c.triple = [];
      return;
    }
    c.result = c.result === true || c.andResult === true ? true : c.result === undefined || c.andResult === undefined ? undefined : false;
    c.andResult = true;
    if (t.kind === 'operator' && t.text === '||') {
      c.triple = [];
      return;
    }
    this.endCondition(c, t, f);
  }

  /** The condition ended at `t`, which should be `%?`: take the then-branch, or skip it. */
  private endCondition(c: Conditional, t: Token, f: Frame): void {
    this.collectors.pop();
    c.triple = [];
    if (!(t.kind === 'pp' && t.text === '%?' && f === c.frame)) {
      this.error(`expected '%?' marker for conditional`, c.open.start, c.open.end);
      // Treat the rest as the then-branch so the file keeps its symbols. What
      // is left of a macro that ended the condition is dropped.
      if (f !== c.frame) this.unwindTo(c.frame);
      else if (t.kind !== 'eof') f.pos--;
    }
    if (c.result !== false) {
      c.phase = 'then';
      return;
    }
    const end = this.skip(c.frame, t);
    if (end.kind === 'pp' && end.text === '%:') {
      c.frame.pos++;
      c.phase = 'else';
      return;
    }
    this.close(c, end, c.frame);
  }

  /** Skips an untaken branch, recording it as inactive. Stops at `%:`/`%)`/`%?` of this level. */
  private skip(f: Frame, from: Token): Token {
    let nesting = 0;
    const start = f.pos;
    for (; f.pos < f.end; f.pos++) {
      const t = f.tokens[f.pos];
      if (t.kind !== 'pp') continue;
      if (t.text === '%(') nesting++;
      else if (nesting && t.text === '%)') nesting--;
      else if (!nesting && (t.text === '%:' || t.text === '%)' || t.text === '%?')) break;
    }
    this.charge(f, f.pos - start);
    const t = this.tokenAt(f, f.pos);
    // Inactive parts of macro text are not in this file's text.
    if (f.depth === 0 && t.start > from.end) this.inactive.push({ start: from.end, end: t.start });
    return t;
  }

  /** At the end of a frame, its open conditionals are incomplete. */
  private closeConditionals(f: Frame, silent: boolean): void {
    for (;;) {
      const c = this.innermost();
      if (!c || c.frame !== f) return;
      this.conditionals.pop();
      if (c.phase === 'condition') this.collectors.pop();
      if (silent) continue;
      if (c.phase === 'condition') {
        if (c.triple.length < 3) this.error(`incomplete condition after '%('`, c.open.start, c.open.end);
        this.error(`expected '%?' marker for conditional`, c.open.start, c.open.end);
      }
      this.error('incomplete conditional at end of file', c.open.start, c.open.end);
    }
  }

  private fail(message: string, t: Token): undefined {
    this.errors.push({ message, start: t.start, end: t.end });
    return undefined;
  }

  /**
   * One comparison `L OP R`, checked in stap's order (eval_pp_conditional):
   * what the left side is decides what the right side must be, and only then
   * the operator is checked. Undefined when the value cannot be known here
   * (a script argument whose value is not given).
   */
  private evaluate(l: Token, op: Token, r: Token): boolean | undefined {
    const lk = operandKind(l);
    const rk = operandKind(r);
    if (lk === 'unknown') return undefined;
    const ordered = (): string | undefined => (op.kind === 'operator' && COMPARISONS.has(op.text) ? op.text : this.fail('expected comparison operator', op));
    const equality = (): string | undefined =>
      op.kind === 'operator' && (op.text === '==' || op.text === '!=') ? op.text : this.fail(`expected '==' or '!=': ${l.text} is compared by (in)equality only`, op);
    const name = l.kind === 'identifier' ? l.text : '';
    if (name === 'kernel_v' || name === 'kernel_vr' || name === 'systemtap_v') {
      if (rk === 'unknown') {
        ordered();
        return undefined;
      }
      if (rk !== 'string') return this.fail(`expected string literal: ${name} is compared with a version string`, r);
      const cmp = ordered();
      const query = stringValue(r);
      if (!cmp || query === undefined) return undefined;
      const actual = name === 'kernel_vr' ? this.target.kernelRelease : name === 'kernel_v' ? this.target.kernelRelease.replace(/-.*$/, '') : this.target.systemtapVersion;
      if (/[*?[]/.test(query)) {
        if (cmp !== '==' && cmp !== '!=') return this.fail('wildcard not allowed with order comparison operators', op);
        return globMatch(query, actual) === (cmp === '==');
      }
      return compare(compareVersions(actual, query), cmp);
    }
    if (name === 'arch' || name === 'systemtap_privilege' || name === 'runtime') {
      if (rk === 'unknown') {
        equality();
        return undefined;
      }
      if (rk !== 'string') return this.fail(`expected string literal: ${name} is compared with a string`, r);
      const cmp = equality();
      const query = stringValue(r);
      if (!cmp || query === undefined) return undefined;
      const actual = name === 'arch' ? this.target.arch : name === 'runtime' ? this.target.runtime : this.target.privilege;
      // stap matches arch and runtime as wildcards, the privilege exactly.
      return (name === 'systemtap_privilege' ? actual === query : globMatch(query, actual)) === (cmp === '==');
    }
    if (name === 'guru_mode') {
      if (rk === 'unknown') {
        equality();
        return undefined;
      }
      if (rk !== 'number') return this.fail('expected number: guru_mode is 0 or 1', r);
      const value = numberOf(r);
      if (value !== undefined && value !== 0n && value !== 1n) return this.fail('expected 0 or 1: guru_mode is 0 or 1', op);
      const cmp = equality();
      if (!cmp || value === undefined) return undefined;
      return compare(Number(BigInt(this.target.guruMode ? 1 : 0) - value), cmp);
    }
    if (name.startsWith('CONFIG_')) {
      if (rk === 'unknown') return undefined;
      const lhs = this.target.kernelConfig[name] ?? '';
      if (rk === 'string') {
        const cmp = equality();
        const query = stringValue(r);
        if (!cmp || query === undefined) return undefined;
        return globMatch(query, lhs) === (cmp === '==');
      }
      if (rk === 'number') {
        const left = configNumber(lhs);
        if (left === undefined) return this.fail(`Config option value not a number: ${name} is '${shortened(lhs)}' for this kernel`, l);
        const cmp = ordered();
        const right = numberOf(r);
        if (!cmp || right === undefined) return undefined;
        return compare(left < right ? -1 : left > right ? 1 : 0, cmp);
      }
      if (r.kind === 'identifier' && r.text.startsWith('CONFIG_')) {
        const cmp = ordered();
        if (!cmp) return undefined;
        const rhs = this.target.kernelConfig[r.text] ?? '';
        const [a, b] = [configNumber(lhs), configNumber(rhs)];
        if (a !== undefined && b !== undefined) return compare(a < b ? -1 : a > b ? 1 : 0, cmp);
        return compare(lhs < rhs ? -1 : lhs > rhs ? 1 : 0, cmp);
      }
      return this.fail('expected string, number literal or other CONFIG_... as right side operand', r);
    }
    if ((lk === 'string' && rk === 'string') || (lk === 'number' && rk === 'number')) {
      const cmp = ordered();
      if (!cmp) return undefined;
      if (lk === 'string') {
        const [a, b] = [stringValue(l), stringValue(r)];
        return a === undefined || b === undefined ? undefined : compare(a < b ? -1 : a > b ? 1 : 0, cmp);
      }
      const [a, b] = [numberOf(l), numberOf(r)];
      return a === undefined || b === undefined ? undefined : compare(a < b ? -1 : a > b ? 1 : 0, cmp);
    }
    if (rk === 'unknown' && (lk === 'string' || lk === 'number')) return undefined;
    if (lk === 'string' && rk === 'number' && op.kind === 'operator') return this.fail('expected string literal as right value', r);
    if (lk === 'number' && rk === 'string' && op.kind === 'operator') return this.fail('expected number literal as right value', r);
    return this.fail(`expected 'arch', 'kernel_v', 'kernel_vr', 'systemtap_v', 'runtime', 'systemtap_privilege', 'guru_mode', 'CONFIG_...', or a comparison between two strings or two numbers`, l);
  }

  /** `@define NAME(P1, P2) %( BODY %)` or `@define NAME %( BODY %)`, read from the frame `at` came from. */
  private define(at: Token, f: Frame): void {
    const start = f.pos;
    const peek = () => this.tokenAt(f, f.pos);
    const isOp = (text: string) => {
      const t = f.pos < f.end ? f.tokens[f.pos] : undefined;
      return t?.kind === 'operator' && t.text === text;
    };
    try {
      const name = peek();
      if (name.kind !== 'identifier' || isKeyword(name)) {
        this.error(`expected identifier after @define, saw '${shortened(name.text)}'`, name.start, name.end);
        return;
      }
      // A definition stap refuses is read to its end all the same, but not kept.
      let keep = true;
      const first = this.macros.get(name.text);
      if (f.depth > 0) {
        const where = at.macroOrigin && !at.macroOrigin.file ? at.macroOrigin : at;
        this.error(`'@define' forbidden inside macro body: macros are defined at the top of a file, not by expanding one`, where.start, where.end);
        keep = false;
      } else if (name.text === 'define') {
        this.error(`attempt to redefine '@define': it is how macros are defined`, name.start, name.end);
        keep = false;
      } else if (first) {
        this.errors.push({
          message: `attempt to redefine macro '@${shortened(name.text)}' in the same file`,
          start: name.start,
          end: name.end,
          related: { message: `macro '@${shortened(name.text)}' first defined here`, start: first.nameStart, end: first.nameEnd },
        });
        keep = false;
      } else if (BUILT_IN_OPERATOR_NAMES.has(name.text)) {
        this.errors.push({
          message: `macro redefines built-in operator '@${name.text}': in this file, @${name.text} expands this macro`,
          start: name.start,
          end: name.end,
          severity: 'warning',
        });
      }
      f.pos++;
      const params: string[] = [];
      if (isOp('(')) {
        f.pos++;
        let afterComma = false;
        while (afterComma || !isOp(')')) {
          const p = peek();
          if (p.kind !== 'identifier' || isKeyword(p)) {
            this.error(`expected identifier, saw '${shortened(p.text)}'`, p.start, p.end);
            return;
          }
          params.push(p.text);
          f.pos++;
          afterComma = isOp(',');
          if (afterComma) f.pos++;
          else break;
        }
        if (!isOp(')')) {
          this.error(`expected ')'`, peek().start, peek().end);
          return;
        }
        f.pos++;
      }
      const percentOpen = peek();
      if (!(percentOpen.kind === 'pp' && percentOpen.text === '%(')) {
        this.error(`expected '%('`, percentOpen.start, percentOpen.end);
        return;
      }
      f.pos++;
      const bodyStart = f.pos;
      const body: Token[] = [];
      let nesting = 0;
      for (; f.pos < f.end; f.pos++) {
        const t = f.tokens[f.pos];
        if (t.kind === 'pp' && t.text === '%(') nesting++;
        if (t.kind === 'pp' && t.text === '%)') {
          if (nesting === 0) break;
          nesting--;
        }
        body.push(this.tokenAt(f, f.pos));
      }
      if (f.pos >= f.end) {
        this.error(`unterminated macro definition, expected '%)'`, name.start, name.end);
        // What follows is read as it would be without the definition.
        const resume = this.declarationLine(f, bodyStart, f.end);
        if (f.end - resume <= this.rereadBudget) {
          this.rereadBudget -= f.end - resume;
          f.pos = resume;
          if (resume < f.end) this.resumedAfter ??= name.start;
        }
        return;
      }
      const end = peek().end;
      f.pos++;
      const macro: MacroDefinition = {
        name: name.text,
        params,
        body,
        start: at.start,
        end,
        nameStart: name.start,
        nameEnd: name.end,
      };
      if (!keep) return;
      this.macros.set(macro.name, macro);
      this.defined.push(macro);
    } finally {
      this.charge(f, f.pos - start);
    }
  }
}

/** For each body token, the parameter it names (-1: none). */
function paramIndexes(macro: MacroDefinition): number[] {
  const index = new Map<string, number>();
  macro.params.forEach((p, i) => {
    if (!index.has(p)) index.set(p, i); // the first of two same-named parameters, as indexOf found it
  });
  return macro.body.map((t) => (t.kind === 'at' ? (index.get(t.text.slice(1)) ?? -1) : -1));
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);

/** What an operand of a condition is once stap has pasted the script arguments in: `$#` a number, `@N` and `@#` strings, `$N` anything. */
function operandKind(t: Token): 'number' | 'string' | 'identifier' | 'unknown' | 'other' {
  if (t.kind === 'number' || t.text === '$#') return 'number';
  if (t.kind === 'string' || (t.kind === 'at' && /^@(\d+|#)$/.test(t.text))) return 'string';
  if (t.kind === 'dollar' && /^\$\d+$/.test(t.text)) return 'unknown';
  return t.kind === 'identifier' ? 'identifier' : 'other';
}

/** A string operand's text; undefined for a script argument, whose value is not known here. */
function stringValue(t: Token): string | undefined {
  return t.kind === 'string' ? unquote(t.text) : undefined;
}

function numberOf(t: Token): bigint | undefined {
  return t.kind === 'number' ? numberValue(t.text) : undefined;
}

/** A kernel config value as stap reads it as a number (strtoll, base 0): the empty value is 0, `y` is none. */
function configNumber(value: string): bigint | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*|)$/.exec(value);
  if (!m) return undefined;
  const digits = m[2] === '' ? '0' : /^0[0-7]+$/.test(m[2]) ? '0o' + m[2].slice(1) : m[2];
  const v = BigInt(digits);
  return m[1] === '-' ? -v : v;
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
