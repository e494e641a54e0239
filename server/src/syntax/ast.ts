// Syntax tree of a SystemTap script. Every node carries its offset range in
// the document text. Declarations are typed; statements and expressions share
// one generic shape (`kind` + `children`) that is easy to walk.

import { Comment } from './lexer';
import { MacroDefinition } from './preprocessor';
import { OffsetRange, SyntaxError } from './diagnostic';

export interface Node extends OffsetRange {
  kind: string;
}

export interface Name extends OffsetRange {
  text: string;
}

/** `%{ ... %}` anywhere: top level, function body, or expression. */
export interface EmbeddedCode extends Node {
  kind: 'embedded';
  /** Offsets of the C text between `%{` and `%}`. */
  codeStart: number;
  codeEnd: number;
  /** The C text itself. */
  code: string;
  /** From a library macro: offsets are the macro use, not the C text. */
  expanded: boolean;
}

export interface ProbeComponent extends OffsetRange {
  name: string;
  arg?: Expr;
}

export interface ProbePoint extends Node {
  kind: 'probePoint';
  components: ProbeComponent[];
  /** `?`: optional, `!`: sufficient. */
  optional: boolean;
  sufficient: boolean;
  condition?: Expr;
}

export interface ProbeDecl extends Node {
  kind: 'probe';
  points: ProbePoint[];
  /** For `probe NAME = POINTS` and `probe NAME += POINTS`: the alias name is `points`. */
  alias?: { op: '=' | '+='; points: ProbePoint[] };
  body?: Block;
  epilogue?: Block;
}

export interface Param extends Name {
  type?: Name;
}

export interface FunctionDecl extends Node {
  kind: 'function';
  name: Name;
  returnType?: Name;
  params: Param[];
  /** Offset of the `)` that closes the parameter list. */
  paramsEnd: number;
  /** `function f() : 2 { }`: which of the overloads of a name stap tries first. */
  priority?: Expr;
  body?: Block | EmbeddedCode;
  isPrivate: boolean;
}

export interface GlobalVar extends Name {
  arraySize?: Expr;
  /** `%` after the name: a wrapping array. */
  wrap: boolean;
  isArray: boolean;
  init?: Expr;
}

export interface GlobalDecl extends Node {
  kind: 'global';
  vars: GlobalVar[];
  isPrivate: boolean;
}

export type TopLevel = ProbeDecl | FunctionDecl | GlobalDecl | EmbeddedCode;

export type StatementKind = 'block' | 'empty' | 'if' | 'while' | 'for' | 'foreach' | 'delete' | 'next' | 'break' | 'continue' | 'return' | 'try' | 'exprStatement';

export interface Statement extends Node {
  kind: StatementKind;
  children: (Statement | Expr)[];
}

export interface Block extends Statement {
  kind: 'block';
  children: Statement[];
}

export type ExprKind =
  | 'number'
  | 'string'
  | 'identifier' // a variable
  | 'call' // f(args)
  | 'index' // arr[i, j]
  | 'target' // $var, $var$, $$parms
  | 'member' // base->field[i]->next: children are the base then each field or index
  | 'atOperator' // @cast(...), @var(...), @entry(...), @count(...)...
  | 'scriptArg' // $1 @1 $# @#
  | 'embeddedExpr' // %{ expr %}
  | 'unary'
  | 'postfix'
  | 'binary'
  | 'assign'
  | 'ternary'
  | 'in' // [k1, k2] in arr
  | 'paren'
  | 'tuple' // [k1, k2] before `in`
  | 'error';

export interface Expr extends Node {
  kind: ExprKind;
  /** Operator, name, or literal text depending on the kind. */
  text: string;
  children: Expr[];
  /** For `embeddedExpr`: the C region. */
  embedded?: EmbeddedCode;
}

export interface Script extends Node {
  kind: 'script';
  items: TopLevel[];
  comments: Comment[];
  /** The highest script argument (`$N`, `@N`) the text names, 0 for none. */
  scriptArgs: number;
  macros: MacroDefinition[];
  inactive: OffsetRange[];
  errors: SyntaxError[];
  /**
   * Set when nothing reaches the parser: 'empty' when the text has no token
   * at all (only comments and spaces), 'preprocessed' when the %( %)
   * conditionals and @define took every token. stap rejects such a script.
   */
  empty?: 'empty' | 'preprocessed';
}

/**
 * The variable a foreach key or value names. The tree keeps them as written,
 * `k+` or `v-` when the loop sorts on them (`foreach ([k+] in a)`).
 */
export function withoutSortMark(name: string): string {
  const last = name.charCodeAt(name.length - 1);
  return last === 43 /* + */ || last === 45 /* - */ ? name.slice(0, -1) : name;
}
