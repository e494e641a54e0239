// Conversions from the analysis's offsets to LSP positions: the syntax and
// analysis layers speak in offsets into the text, the protocol in lines and
// UTF-16 characters. Every feature converts here.

import { Location, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { LibraryPosition } from '../analysis/tapsetIndex';

/** Anything with a start and end offset: tokens, names, findings, regions. */
export interface Span {
  start: number;
  end: number;
}

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toLocation(document: TextDocument, span: Span): Location {
  return { uri: document.uri, range: toRange(document, span) };
}

/** The 0-based line of an offset. */
export function lineOf(document: TextDocument, offset: number): number {
  return document.positionAt(offset).line;
}

/** A position in a tapset library file, as the index records it (line, character, length). */
export function libraryLocation(at: LibraryPosition): Location {
  const start = { line: at.line, character: at.character };
  return { uri: URI.file(at.file).toString(), range: { start, end: { line: at.line, character: at.character + at.length } } };
}
