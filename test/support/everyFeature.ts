// Every LSP feature on one analysis, at a few offsets: what a deep, long or
// broken tree must survive without throwing.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../../server/src/analysis/analyze';
import { EMPTY_INDEX } from '../../server/src/analysis/tapsetIndex';
import { codeActions } from '../../server/src/features/codeActions';
import { complete } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { foldingRanges } from '../../server/src/features/folding';
import { hover } from '../../server/src/features/hover';
import { inactiveRegions } from '../../server/src/features/inactiveRegions';
import { highlights, prepareRename, references, rename } from '../../server/src/features/references';
import { resolveCompletion } from '../../server/src/features/scriptCompletion';
import { scriptInfo } from '../../server/src/features/scriptInfo';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { documentSymbols } from '../../server/src/features/symbols';

export function everyFeature(analysis: Analysis, offsets: number[]): void {
  const document = TextDocument.create('file:///deep.stp', 'systemtap', 1, analysis.text);
  const diagnostics = toDiagnostics(analysis, document);
  documentSymbols(analysis, document);
  foldingRanges(analysis, document);
  inactiveRegions(analysis, document);
  scriptInfo(analysis, document, false);
  const whole = { start: document.positionAt(0), end: document.positionAt(analysis.text.length) };
  codeActions(analysis, document, whole, diagnostics);
  const library = { macros: new Map(), index: EMPTY_INDEX, readFile: () => undefined };
  for (const offset of offsets) {
    hover(analysis, document, offset, EMPTY_INDEX);
    definition(analysis, document, offset, library);
    references(analysis, document, offset, true);
    highlights(analysis, document, offset);
    prepareRename(analysis, document, offset);
    rename(analysis, document, offset, 'renamed');
    signatureHelp(analysis, offset, EMPTY_INDEX);
    for (const item of complete(analysis, document, offset, EMPTY_INDEX).slice(0, 5)) resolveCompletion(item, EMPTY_INDEX);
    complete(analysis, document, offset, EMPTY_INDEX, ' ');
    const here = document.positionAt(offset);
    codeActions(analysis, document, { start: here, end: here }, diagnostics);
  }
}
