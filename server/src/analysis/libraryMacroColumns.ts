// The tapset library's macros as the index cache keeps them, so that a warm
// start does not lex and preprocess every `.stpm` file again. Like the index
// entries, in columns (one array per field, the body tokens of every macro
// one after the other), with the text of each file that defines one: Go to
// Definition shows it, and macro offsets are into it. Decoding throws at the
// first thing out of shape, so that a damaged file is a miss.

import { makeToken, Token, TokenKind } from '../syntax/lexer';
import { MacroDefinition } from '../syntax/preprocessor';

/** The library's macros (a later file's win) and the text of each file that defines one. */
export interface LibraryMacros {
  macros: ReadonlyMap<string, MacroDefinition>;
  texts: ReadonlyMap<string, string>;
}

type Origin = [start: number, end: number, file: string | null] | null;

export interface MacroColumns {
  /** The files that define macros, and their texts. */
  files: string[];
  texts: string[];
  name: string[];
  /** The number of the macro's file in `files`. */
  file: number[];
  start: number[];
  end: number[];
  nameStart: number[];
  nameEnd: number[];
  params: string[][];
  /** How many of the body tokens below are this macro's. */
  bodyLength: number[];
  kind: TokenKind[];
  text: string[];
  tokenStart: number[];
  tokenEnd: number[];
  spaceBefore: boolean[];
  /** Where a token really is when the body placed it from elsewhere (none do in a `.stpm` file's own definitions). */
  origin: Origin[];
}

const KINDS: ReadonlySet<string> = new Set<TokenKind>(['identifier', 'dollar', 'at', 'number', 'string', 'operator', 'embedded', 'pp', 'invalid', 'eof']);

export function encodeMacros({ macros, texts }: LibraryMacros): MacroColumns {
  const out: MacroColumns = {
    files: [...texts.keys()],
    texts: [...texts.values()],
    name: [],
    file: [],
    start: [],
    end: [],
    nameStart: [],
    nameEnd: [],
    params: [],
    bodyLength: [],
    kind: [],
    text: [],
    tokenStart: [],
    tokenEnd: [],
    spaceBefore: [],
    origin: [],
  };
  const fileIds = new Map(out.files.map((f, i) => [f, i]));
  for (const m of macros.values()) {
    const file = m.file === undefined ? undefined : fileIds.get(m.file);
    if (file === undefined) throw new Error(`the text of the file defining @${m.name} is missing`);
    out.name.push(m.name);
    out.file.push(file);
    out.start.push(m.start);
    out.end.push(m.end);
    out.nameStart.push(m.nameStart);
    out.nameEnd.push(m.nameEnd);
    out.params.push([...m.params]);
    out.bodyLength.push(m.body.length);
    for (const t of m.body) {
      out.kind.push(t.kind);
      out.text.push(t.text);
      out.tokenStart.push(t.start);
      out.tokenEnd.push(t.end);
      out.spaceBefore.push(t.spaceBefore);
      out.origin.push(t.macroOrigin ? [t.macroOrigin.start, t.macroOrigin.end, t.macroOrigin.file ?? null] : null);
    }
  }
  return out;
}

export function decodeMacros(columns: MacroColumns | undefined): LibraryMacros {
  if (!columns || typeof columns !== 'object') throw new Error('no macros');
  const files = strings(columns.files, 'macro files');
  const texts = strings(columns.texts, 'macro texts');
  if (texts.length !== files.length) throw new Error('bad macro texts');
  const names = strings(columns.name, 'macro names');
  const n = names.length;
  const [file, start, end, nameStart, nameEnd, bodyLength] = ['file', 'start', 'end', 'nameStart', 'nameEnd', 'bodyLength'].map((k) => counts(columns[k as keyof MacroColumns], n, `macro ${k}`));
  const params = columns.params;
  if (!Array.isArray(params) || params.length !== n) throw new Error('bad macro parameters');
  const tokens = bodyLength.reduce((a, b) => a + b, 0);
  const kinds = strings(columns.kind, 'token kinds');
  if (kinds.length !== tokens || !kinds.every((k) => KINDS.has(k))) throw new Error('bad token kinds');
  const text = strings(columns.text, 'token texts');
  if (text.length !== tokens) throw new Error('bad token texts');
  const [tokenStart, tokenEnd] = [counts(columns.tokenStart, tokens, 'token starts'), counts(columns.tokenEnd, tokens, 'token ends')];
  const { spaceBefore, origin } = columns;
  if (!Array.isArray(spaceBefore) || spaceBefore.length !== tokens || !spaceBefore.every((s) => typeof s === 'boolean')) throw new Error('bad token spacing');
  if (!Array.isArray(origin) || origin.length !== tokens) throw new Error('bad token origins');

  const macros = new Map<string, MacroDefinition>();
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (file[i] >= files.length) throw new Error('a macro file number out of range');
    const body: Token[] = new Array(bodyLength[i]);
    for (let j = 0; j < body.length; j++, next++) body[j] = makeToken(kinds[next] as TokenKind, text[next], tokenStart[next], tokenEnd[next], spaceBefore[next], originOf(origin[next]));
    const macro: MacroDefinition = {
      name: nonEmpty(names[i]),
      params: strings(params[i], 'macro parameters'),
      body,
      start: start[i],
      end: end[i],
      nameStart: nameStart[i],
      nameEnd: nameEnd[i],
      file: files[file[i]],
    };
    macros.set(macro.name, macro);
  }
  return { macros, texts: new Map(files.map((f, i) => [f, texts[i]])) };
}

function originOf(origin: unknown): Token['macroOrigin'] {
  if (origin === null) return undefined;
  if (!Array.isArray(origin) || origin.length !== 3 || !isCount(origin[0]) || !isCount(origin[1]) || (origin[2] !== null && typeof origin[2] !== 'string')) throw new Error('bad token origin');
  return origin[2] === null ? { start: origin[0], end: origin[1] } : { start: origin[0], end: origin[1], file: origin[2] };
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

function counts(column: unknown, n: number, what: string): number[] {
  if (!Array.isArray(column) || column.length !== n || !column.every(isCount)) throw new Error(`bad ${what}`);
  return column as number[];
}

function strings(column: unknown, what: string): string[] {
  if (!Array.isArray(column) || !column.every((v) => typeof v === 'string')) throw new Error(`bad ${what}`);
  return column as string[];
}

function nonEmpty(v: string): string {
  if (!v) throw new Error('an empty macro name');
  return v;
}
