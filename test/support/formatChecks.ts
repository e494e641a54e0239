// The formatter's promises on one script, checked from the outside: (1) the same syntax tree
// (the golden dump without positions), (2) formatting again changes nothing, (3) every comment
// and every `%{ %}` region byte for byte (re-indented: line by line, leading whitespace aside). Used on the installed corpus and by the fuzzer.

import { formatText } from '../../server/src/format/layout';
import { embeddedCodeKey } from '../../server/src/format/embeddedIndent';
import { DEFAULT_FORMAT_OPTIONS, FormatOptions } from '../../server/src/format/options';
import { treeShape } from '../../server/src/format/verify';
import { lex } from '../../server/src/syntax/lexer';
import { parse } from '../../server/src/syntax/parser';

const untouched = (text: string, reindented: boolean) => {
  const { tokens, comments } = lex(text);
  return [...tokens.filter((t) => t.kind === 'embedded').map((t) => (reindented ? embeddedCodeKey(t.text) : t.text)), ...comments.map((c) => c.text)];
};

/** What breaks a promise, or undefined; `formatted` receives the result. */
export function formatProblem(text: string, options: FormatOptions = DEFAULT_FORMAT_OPTIONS, formatted?: (text: string) => void): string | undefined {
  const once = formatText(text, options);
  formatted?.(once.text);
  const broken = parse(text).errors.some((e) => e.severity !== 'warning');
  if (once.refused) return broken ? undefined : `refused: ${once.refused}`;
  if (treeShape(once.text) !== treeShape(text)) return 'the syntax tree changed';
  const a = untouched(text, options.embeddedC === 'reindent');
  const b = untouched(once.text, options.embeddedC === 'reindent');
  if (a.length !== b.length || a.some((s, i) => s !== b[i])) return 'a comment or %{ %} region changed';
  const twice = formatText(once.text, options).text;
  if (twice !== once.text) return 'formatting again changes the text';
  return undefined;
}
