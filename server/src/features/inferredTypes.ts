// The types the semantic analysis inferred, as hover text: a variable's type
// and the line that fixed it, a script function's inferred signature.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { describeFunction, describeVariable, FunctionSymbol, VariableSymbol } from '../analysis/semantic/types';

const fence = (code: string) => ['```systemtap', code, '```'].join('\n');

export function inferredTypeDoc(analysis: Analysis, document: TextDocument, start: number): { kind: 'variable' | 'function'; doc: string } | undefined {
  const symbol = analysis.semantics?.references.get(start);
  if (!symbol) return undefined;
  const line = (offset: number) => document.positionAt(offset).line + 1;
  if ('returns' in symbol) {
    const fn = symbol as FunctionSymbol;
    if (fn.library) return undefined;
    const where = fn.returns.site ? ` (return type inferred on line ${line(fn.returns.site.start)})` : '';
    return { kind: 'function', doc: `Inferred: \`${describeFunction(fn)}\`${where}` };
  }
  const v = symbol as VariableSymbol;
  const kind = v.kind === 'param' ? 'parameter' : v.kind;
  const where = v.value.site
    ? `Type inferred on line ${line(v.value.site.start)}.`
    : v.value.uncertain
      ? 'Its type comes from a target variable, an alias or a function this analysis cannot type.'
      : 'Nothing in the script fixes its type yet.';
  return { kind: 'variable', doc: `${fence(`${kind} ${v.name}: ${describeVariable(v)}`)}\n\n${where}` };
}
