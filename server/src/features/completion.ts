// Completion: asks where the cursor is (cursorContext.ts) and hands over to
// the C side (embeddedCompletion.ts) or the script side (scriptCompletion.ts).

import { CompletionItem } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { EMPTY_INDEX, TapsetIndex } from '../analysis/tapsetIndex';
import { cursorContext } from './cursorContext';
import { completeEmbeddedC } from './embeddedCompletion';
import { completeScript } from './scriptCompletion';

/** `triggerCharacter`: the character that asked, when one did (not a word character, not Ctrl+Space). */
export function complete(analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex = EMPTY_INDEX, triggerCharacter?: string): CompletionItem[] {
  const context = cursorContext(analysis, offset);
  // A space asks only where a probe point is to be written (`probe |`, `probe a, |`): elsewhere typing a space must not open a list.
  if (triggerCharacter === ' ' && !(context.kind === 'probePoint' && context.typed === '' && context.chain === undefined)) return [];
  if (context.kind === 'embeddedC') return context.cText ? completeEmbeddedC(document, context.region, context.start, offset) : [];
  return completeScript(analysis, document, offset, index, context);
}
