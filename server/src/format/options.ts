// What the formatter may be told: the editor's indentation, and the one style choice on which
// the installed tapsets and examples disagree (see scripts/formatStyle.ts and the README).

export type DeclarationBraces = 'preserve' | 'sameLine' | 'nextLine';

export interface FormatOptions {
  /** Columns of a tab, for measuring the original indentation and for writing tabs. */
  tabSize: number;
  insertSpaces: boolean;
  /** Where the `{` of a probe or function body goes: as written, after the header, or on a line of its own. */
  declarationBraces: DeclarationBraces;
}

/** The tapsets' own indentation: tabs of 8 columns. */
export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { tabSize: 8, insertSpaces: false, declarationBraces: 'preserve' };

export function isDeclarationBraces(value: unknown): value is DeclarationBraces {
  return value === 'preserve' || value === 'sameLine' || value === 'nextLine';
}
