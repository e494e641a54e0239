// A syntax problem found by the lexer, preprocessor or parser, as offsets into
// the document text. The syntax layer knows nothing about LSP.

export interface SyntaxError {
  message: string;
  start: number;
  end: number;
  /** Problems stap itself accepts are warnings; everything else is an error. */
  severity?: 'warning';
  /** Where a related construct starts, e.g. the unclosed '{' for a missing '}'. */
  related?: { message: string; start: number; end: number };
}

export interface OffsetRange {
  start: number;
  end: number;
}

/** Longest piece of source text a message repeats: a 1 MB token must not make a 1 MB message. */
const MAX_QUOTED = 60;

/** Source text for a message, cut short with '…' when long. */
export function shortened(text: string): string {
  return text.length > MAX_QUOTED ? text.slice(0, MAX_QUOTED - 1) + '…' : text;
}

/** Source text quoted for a message: `'text'`, cut short when long. */
export function quoted(text: string): string {
  return `'${shortened(text)}'`;
}
