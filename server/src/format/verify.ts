// The formatter's promise, checked on every result: the same tokens in the same order, the same
// comments, and the same syntax tree once positions are left out.

import { Script } from '../syntax/ast';
import { dumpScript } from '../syntax/dump';
import { lex } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { embeddedCodeKey } from './embeddedIndent';

/** The tree dump of `text` without its line:column ranges. */
export function treeShape(text: string, script: Script = parse(text)): string {
  return dumpScript(text, script).replace(/ \[\d+:\d+-\d+:\d+\]/g, '');
}

/** Undefined when `after` means what `before` means; otherwise what differs. */
export function keepsMeaning(before: string, after: string, beforeScript?: Script, embeddedReindented = false): string | undefined {
  const a = lex(before);
  const b = lex(after);
  if (a.tokens.length !== b.tokens.length) return `token count ${a.tokens.length} became ${b.tokens.length}`;
  for (let i = 0; i < a.tokens.length; i++) {
    const same = a.tokens[i].text === b.tokens[i].text || (embeddedReindented && a.tokens[i].kind === 'embedded' && embeddedCodeKey(a.tokens[i].text) === embeddedCodeKey(b.tokens[i].text));
    if (a.tokens[i].kind !== b.tokens[i].kind || !same) return `token ${i} ${JSON.stringify(a.tokens[i].text)} became ${JSON.stringify(b.tokens[i].text)}`;
  }
  if (a.comments.length !== b.comments.length) return `comment count ${a.comments.length} became ${b.comments.length}`;
  for (let i = 0; i < a.comments.length; i++) if (a.comments[i].text !== b.comments[i].text) return `comment ${i} changed`;
  if (treeShape(before, beforeScript) !== treeShape(after)) return 'the syntax tree changed';
  return undefined;
}
