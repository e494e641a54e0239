// Completion: asks where the cursor is (cursorContext.ts) and hands over to
// the C side (embeddedCompletion.ts), the script side (scriptCompletion.ts),
// and, with the target kernel's data, to kernelCompletion.ts for kernel
// names in probe points, `$` variables and members.

import { CompletionItem, CompletionList } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { EMPTY_INDEX, TapsetIndex } from '../analysis/tapsetIndex';
import { KernelTypes } from '../kernel/kernelTypes';
import { cursorContext } from './cursorContext';
import { completeEmbeddedC } from './embeddedCompletion';
import { embeddedKernelItems, probeStringItems, scriptMemberItems } from './kernelCompletion';
import { toRange } from './lspRanges';
import { completeScript } from './scriptCompletion';
import { dollarItems } from './dollarCompletion';
import { MacroDefinition } from '../syntax/preprocessor';

/** What completion offers beyond the analysis and the index, when the caller knows it. */
export interface CompletionExtras {
  /** The tapset library's `@define` macros (its `.stpm` files). */
  libraryMacros?: ReadonlyMap<string, MacroDefinition>;
  /** The arguments of the file's last run, for `$1`... */
  scriptArgs?: readonly string[];
}

/** `triggerCharacter`: the character that asked, when one did (not a word character, not Ctrl+Space). */
export function complete(analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex = EMPTY_INDEX, triggerCharacter?: string, kernel?: KernelTypes): CompletionItem[] {
  return completionList(analysis, document, offset, index, triggerCharacter, kernel).items;
}

/** The list, and whether it was cut short (kernel names): then the editor asks again as the user types. */
export function completionList(
  analysis: Analysis,
  document: TextDocument,
  offset: number,
  index: TapsetIndex = EMPTY_INDEX,
  triggerCharacter?: string,
  kernel?: KernelTypes,
  extras: CompletionExtras = {},
): CompletionList {
  const list = (items: CompletionItem[], isIncomplete = false): CompletionList => ({ isIncomplete, items });
  const context = cursorContext(analysis, offset);
  const rangeOf = (start: number, end: number) => toRange(document, { start, end });
  // A space asks only where a probe point is to be written (`probe |`, `probe a, |`): elsewhere typing a space must not open a list.
  if (triggerCharacter === ' ' && !(context.kind === 'probePoint' && context.typed === '' && context.chain === undefined)) return list([]);
  // `"` asks only in a kernel probe point's string, `>` only after `->`, `$` only where a variable may stand.
  if (triggerCharacter === '"' && context.kind !== 'string') return list([]);
  if (triggerCharacter === '$' && context.kind !== 'dollar') return list([]);
  if (triggerCharacter === '>' && analysis.text.slice(offset - 2, offset) !== '->') return list([]);
  if (context.kind === 'embeddedC') {
    if (!kernel) return list(context.cText ? completeEmbeddedC(document, context.region, context.start, offset) : []);
    const kernelItems = embeddedKernelItems(analysis, context.region, context.start, offset, rangeOf(context.start, offset), kernel);
    if (!context.cText) return list(kernelItems);
    return list([...kernelItems, ...completeEmbeddedC(document, context.region, context.start, offset)]);
  }
  if (context.kind === 'string') return (kernel && probeStringItems(analysis.text, offset, kernel, rangeOf)) || list([]);
  if (context.kind === 'dollar') return list(dollarItems(analysis, offset, rangeOf(context.start, offset), kernel, extras.scriptArgs));
  if (context.kind === 'member') return list(kernel ? scriptMemberItems(analysis, context.start, rangeOf(context.start, offset), kernel) : []);
  return list(completeScript(analysis, document, offset, index, context, extras));
}
