// The outline of a script: probes, functions, globals and @define macros, for
// the Outline view, breadcrumbs and Go to Symbol.

import { DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { FunctionDecl, ProbePoint } from '../syntax/ast';
import { OffsetRange } from '../syntax/diagnostic';
import { paramList } from '../syntax/signature';
import { toRange } from './lspRanges';

export function documentSymbols(analysis: Pick<Analysis, 'text' | 'script'>, document: TextDocument): DocumentSymbol[] {
  // Nodes built from a macro expansion carry the macro use's range: they are
  // not written here under their own name, so they get no symbol of their own.
  const writtenHere = (r: OffsetRange, text: string) => analysis.text.slice(r.start, r.end) === text;
  const symbols: DocumentSymbol[] = [];
  for (const item of analysis.script.items) {
    if (item.kind === 'function' && writtenHere(item.name, item.name.text)) {
      symbols.push({ name: item.name.text, detail: signature(item), kind: SymbolKind.Function, range: toRange(document, item), selectionRange: toRange(document, item.name) });
    } else if (item.kind === 'global') {
      for (const v of item.vars) {
        const name = { start: v.start, end: v.start + v.text.length };
        if (!writtenHere(name, v.text)) continue;
        symbols.push({
          name: v.text,
          detail: v.isArray ? 'global array' : 'global',
          kind: v.isArray ? SymbolKind.Array : SymbolKind.Variable,
          range: toRange(document, v),
          selectionRange: toRange(document, name),
        });
      }
    } else if (item.kind === 'probe' && item.points.length > 0) {
      const first = item.points[0];
      const written = (p: ProbePoint) => analysis.text.slice(p.start, p.end).replace(/\s+/g, ' ');
      const name = item.points.map(written).join(', ');
      const alias = item.alias ? `alias ${item.alias.op} ${item.alias.points.map(written).join(', ')}` : undefined;
      symbols.push({ name, detail: alias, kind: item.alias ? SymbolKind.Interface : SymbolKind.Event, range: toRange(document, item), selectionRange: toRange(document, first) });
    }
  }
  for (const m of analysis.script.macros) {
    if (m.file) continue;
    symbols.push({
      name: `@${m.name}`,
      detail: m.params.length ? `(${m.params.join(', ')})` : undefined,
      kind: SymbolKind.Constant,
      range: toRange(document, m),
      selectionRange: toRange(document, { start: m.nameStart, end: m.nameEnd }),
    });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function signature(fn: FunctionDecl): string {
  return `(${paramList(fn.params)})${fn.returnType ? `:${fn.returnType.text}` : ''}${fn.body?.kind === 'embedded' ? ' %{ %}' : ''}`;
}
