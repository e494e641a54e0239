// Folding: probes and functions, `%{ %}` blocks, `%( %)` conditionals taken
// or not, multi-line comments and runs of line comments.

import { FoldingRange, FoldingRangeKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { OffsetRange } from '../syntax/diagnostic';
import { lineOf } from './lspRanges';

export function foldingRanges(analysis: Analysis, document: TextDocument): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  // Keeps the closing line (`}`, `%}`, `%)`) visible, as editors do for braces.
  const add = (r: OffsetRange, closing = true) => {
    const startLine = lineOf(document, r.start);
    const endLine = closing ? lineOf(document, r.end) - 1 : lineOf(document, Math.max(r.start, r.end - 1));
    if (endLine > startLine) ranges.push({ startLine, endLine });
  };
  for (const item of analysis.script.items) {
    if (item.kind === 'embedded') add(item);
    else if (item.kind === 'function' || item.kind === 'probe') add(item);
  }
  for (const region of analysis.regions) if (region.code.kind === 'embedded' && !region.code.expanded) add(region.code);
  for (const r of analysis.script.inactive) add(r, false);
  for (const m of analysis.script.macros) if (!m.file) add(m);
  let run: { start: number; end: number } | undefined;
  const flushRun = () => {
    if (run && run.end > run.start) ranges.push({ startLine: run.start, endLine: run.end, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const c of analysis.script.comments) {
    const start = lineOf(document, c.start);
    const end = lineOf(document, c.end);
    if (c.text.startsWith('/*')) {
      flushRun();
      if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
    } else if (run && start === run.end + 1) {
      run.end = start;
    } else {
      flushRun();
      run = { start, end: start };
    }
  }
  flushRun();
  // One range per start line: the outermost.
  const byLine = new Map<number, FoldingRange>();
  for (const r of ranges) if ((byLine.get(r.startLine)?.endLine ?? -1) < r.endLine) byLine.set(r.startLine, r);
  return [...byLine.values()].sort((a, b) => a.startLine - b.startLine);
}
