// The LSP formatting requests: the whole document, a range (whole lines), and as you type
// (after `}`, `;` and a new line: the lines of the block or statement just finished, and the
// indentation of the new line).

import { FormattingOptions, Position, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lex } from '../syntax/lexer';
import { toTextEdits } from './edits';
import { formatText } from './layout';
import { FormatOptions, FormatSettings } from './options';

/** The characters after which the server re-formats as you type. */
export const ON_TYPE_TRIGGERS = { first: '}', more: [';', '\n'] };

export function formatOptions(editor: FormattingOptions, settings: FormatSettings): FormatOptions {
  const tabSize = Number.isInteger(editor.tabSize) && editor.tabSize > 0 && editor.tabSize <= 16 ? editor.tabSize : 8;
  return { tabSize, insertSpaces: editor.insertSpaces !== false, ...settings };
}

export function formatDocument(document: TextDocument, options: FormatOptions): TextEdit[] {
  return toTextEdits(document, formatText(document.getText(), options).text);
}

/** The lines the range touches (a range ending at a line's start leaves that line out). */
export function formatRange(document: TextDocument, range: Range, options: FormatOptions): TextEdit[] {
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  const start = document.offsetAt({ line: range.start.line, character: 0 });
  const end = document.offsetAt({ line: endLine + 1, character: 0 });
  return toTextEdits(document, formatText(document.getText(), options, { start, end }).text);
}

export function formatOnType(document: TextDocument, position: Position, ch: string, options: FormatOptions): TextEdit[] {
  const text = document.getText();
  const offset = document.offsetAt(position);
  if (ch === '\n') return indentNewLine(document, position, options);
  // `}`: from the line of its `{`; `;`: the line itself.
  let from = position.line;
  if (ch === '}') {
    const open = matchingOpenBrace(text, offset - 1);
    if (open >= 0) from = document.positionAt(open).line;
  }
  return formatRange(document, { start: { line: from, character: 0 }, end: { line: position.line, character: Number.MAX_SAFE_INTEGER } }, options);
}

/** A new line gets the indentation formatting gives it: the line is formatted with a placeholder on it. */
function indentNewLine(document: TextDocument, position: Position, options: FormatOptions): TextEdit[] {
  const text = document.getText();
  const lineStart = document.offsetAt({ line: position.line, character: 0 });
  const lineEnd = document.offsetAt({ line: position.line + 1, character: 0 });
  const line = text.slice(lineStart, lineEnd).replace(/\r?\n$/, '');
  if (line.trim() !== '') return [];
  // An identifier stands in for what will be typed, so the line takes a statement's place.
  const probe = text.slice(0, lineStart) + 'x\n' + text.slice(lineEnd);
  const formatted = formatText(probe, options, { start: lineStart, end: lineStart + 2 }, false).text;
  const indentation = /^[ \t]*/.exec(formatted.slice(lineStart))?.[0] ?? '';
  if (indentation === line) return [];
  return [TextEdit.replace({ start: { line: position.line, character: 0 }, end: { line: position.line, character: line.length } }, indentation)];
}

/** The `{` that the `}` at `close` closes, by the tokens before it; -1 when none. */
function matchingOpenBrace(text: string, close: number): number {
  const tokens = lex(text.slice(0, close + 1)).tokens;
  const opens: number[] = [];
  for (const t of tokens) {
    if (t.kind !== 'operator') continue;
    if (t.text === '{') opens.push(t.start);
    else if (t.text === '}') {
      if (t.start === close) return opens.pop() ?? -1;
      opens.pop();
    }
  }
  return -1;
}
