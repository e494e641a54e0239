// Semantic tokens: what the TextMate grammar cannot know from one line, told
// by the analysis: which names are globals, locals or parameters, which
// variables hold statistics, which functions are the script's and which the
// library's, target variables and script arguments, the `@` operators and
// `@define` macros with their uses. The token types and modifiers are
// standard where LSP has one; package.json declares the others and maps each
// to the grammar's scopes, so that both colourings agree.

import { SemanticTokens, SemanticTokensBuilder, SemanticTokensLegend } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { FunctionSymbol, VariableSymbol } from '../analysis/semantic/types';
import { AT_OPERATORS, PRINT_FUNCTIONS } from '../syntax/atOperators';
import { KEYWORDS, lex, Token } from '../syntax/lexer';
import { Span } from './lspRanges';

export const TOKEN_TYPES = ['variable', 'parameter', 'function', 'macro', 'targetVariable', 'scriptArgument', 'atOperator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary', 'global', 'statistic'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** One classified token, in offsets: what the tests read, before the protocol's encoding. */
export interface ClassifiedToken extends Span {
  type: TokenType;
  modifiers: TokenModifier[];
}

const STATISTIC_OPERATORS = new Set(['@count', '@sum', '@min', '@max', '@avg', '@variance', '@hist_linear', '@hist_log']);

/** The tokens of each analysis, classified once: the editor asks for a range, then the whole file, of the same version. */
const classified = new WeakMap<Analysis, ClassifiedToken[]>();

export function classifyTokens(analysis: Analysis, range?: Span): ClassifiedToken[] {
  let all = classified.get(analysis);
  if (!all) classified.set(analysis, (all = classifyAll(analysis)));
  return range ? all.filter((t) => t.end >= range.start && t.start <= range.end) : all;
}

function classifyAll(analysis: Analysis): ClassifiedToken[] {
  const text = analysis.text;
  const references = analysis.semantics?.references;
  const functionNames = new Map<number, FunctionSymbol | undefined>();
  for (const item of analysis.script.items) if (item.kind === 'function') functionNames.set(item.name.start, undefined);
  const macros = analysis.script.macros.filter((m) => !m.file);
  const out: ClassifiedToken[] = [];
  const tokens = lex(text).tokens;
  const push = (t: Token, type: TokenType, modifiers: TokenModifier[] = [], start = t.start) => out.push({ start, end: t.end, type, modifiers });

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'dollar') {
      if (/^\$([0-9]+|#)$/.test(t.text)) push(t, 'scriptArgument');
      else if (t.text.startsWith('$$')) push(t, 'targetVariable', ['defaultLibrary']);
      else if (t.text.length > 1) push(t, 'targetVariable');
      continue;
    }
    if (t.kind === 'at') {
      if (/^@([0-9]+|#)$/.test(t.text)) push(t, 'scriptArgument');
      else if (t.text === '@define') {
        const name = tokens[i + 1];
        if (name?.kind === 'identifier') {
          push(name, 'macro', ['declaration']);
          i++;
        }
      } else if (AT_OPERATORS.has(t.text)) push(t, 'atOperator', STATISTIC_OPERATORS.has(t.text) ? ['statistic'] : []);
      else {
        // Inside an `@define` body, `@p` is one of its parameters.
        const inside = macros.find((m) => t.start > m.nameEnd && t.end <= m.end);
        push(t, inside?.params.includes(t.text.slice(1)) ? 'parameter' : 'macro');
      }
      continue;
    }
    if (t.kind !== 'identifier' || KEYWORDS.has(t.text)) continue;
    const symbol = references?.get(t.start);
    if (symbol && 'returns' in symbol) push(t, 'function', symbol.library ? ['defaultLibrary'] : []);
    else if (symbol) push(t, ...variableToken(symbol as VariableSymbol, t.start));
    else if (functionNames.has(t.start)) push(t, 'function', ['declaration']);
    else if (PRINT_FUNCTIONS.has(t.text) && tokens[i + 1]?.text === '(') push(t, 'function', ['defaultLibrary']);
  }
  return out;
}

function variableToken(v: VariableSymbol, start: number): [TokenType, TokenModifier[]] {
  const modifiers: TokenModifier[] = [];
  if (v.declared.start === start) modifiers.push('declaration');
  if (v.kind === 'global') modifiers.push('global');
  if (v.value.type === 'stats') modifiers.push('statistic');
  return [v.kind === 'param' ? 'parameter' : 'variable', modifiers];
}

/** The tokens in LSP's encoding (relative positions, legend indexes); the whole document or one range. */
export function semanticTokens(analysis: Analysis, document: TextDocument, range?: Span): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const t of classifyTokens(analysis, range)) {
    const at = document.positionAt(t.start);
    const modifiers = t.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    builder.push(at.line, at.character, t.end - t.start, TOKEN_TYPES.indexOf(t.type), modifiers);
  }
  return builder.build();
}
