// What the formatter may be told: the editor's indentation, and the one style choice on which
// the installed tapsets and examples disagree (see scripts/formatStyle.ts and the README).

export type DeclarationBraces = 'preserve' | 'sameLine' | 'nextLine';
export type EmbeddedC = 'keep' | 'reindent';

export interface FormatOptions {
  /** Columns of a tab, for measuring the original indentation and for writing tabs. */
  tabSize: number;
  insertSpaces: boolean;
  /** Where the `{` of a probe or function body goes: as written, after the header, or on a line of its own. */
  declarationBraces: DeclarationBraces;
  /** `%{ %}`: byte for byte, or its whole lines shifted to the indentation around it (embeddedIndent.ts). */
  embeddedC: EmbeddedC;
}

/** The `systemtap.format.*` settings; the editor gives the rest. */
export type FormatSettings = Pick<FormatOptions, 'declarationBraces' | 'embeddedC'>;

/** The tapsets' own indentation: tabs of 8 columns. */
export const DEFAULT_FORMAT_OPTIONS: FormatOptions = { tabSize: 8, insertSpaces: false, declarationBraces: 'preserve', embeddedC: 'keep' };

/** The `systemtap.format` section as the client sent it: what is not understood takes its default. */
export function readFormatSettings(section: unknown): FormatSettings {
  const s = (section ?? {}) as Record<string, unknown>;
  return {
    declarationBraces: isDeclarationBraces(s.declarationBraces) ? s.declarationBraces : DEFAULT_FORMAT_OPTIONS.declarationBraces,
    embeddedC: s.embeddedC === 'reindent' ? 'reindent' : 'keep',
  };
}

export function isDeclarationBraces(value: unknown): value is DeclarationBraces {
  return value === 'preserve' || value === 'sameLine' || value === 'nextLine';
}
