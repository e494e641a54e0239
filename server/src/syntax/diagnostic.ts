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
