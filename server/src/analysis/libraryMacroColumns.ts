// The tapset library's macros as the index cache keeps them, so that a warm
// start does not lex and preprocess every `.stpm` file again. Like the index
// entries, in columns (one array per field, the body tokens of every macro
// one after the other), with the text of each file that defines one: Go to
// Definition shows it, macro offsets are into it, and a token's text is read
// from it where the token stands. Decoding throws at the first thing out of
// shape, so that a damaged file is a miss.

import { makeToken, Token, TokenKind } from '../syntax/lexer';
import { MacroDefinition } from '../syntax/preprocessor';

/** The library's macros (a later file's win) and the text of each file that defines one. */
export interface LibraryMacros {
  macros: ReadonlyMap<string, MacroDefinition>;
  texts: ReadonlyMap<string, string>;
}

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
  /** One letter (KIND_LETTERS) per body token. */
  kinds: string;
  /** One character per body token: 1 when space or a comment comes before it, else 0. */
  spaces: string;
  tokenStart: number[];
  tokenLength: number[];
  /** Tokens whose text is not their file's text where they stand: [token number, text]. None in a `.stpm` file's own definitions. */
  otherTexts: [number, string][];
  /** Tokens a body placed from elsewhere, and where they really are: [token number, start, end, file or null]. None either. */
  origins: [number, number, number, string | null][];
}

const KIND_LETTERS: Record<TokenKind, string> = { identifier: 'i', dollar: 'd', at: 'a', number: 'n', string: 's', operator: 'o', embedded: 'e', pp: 'p', invalid: 'x', eof: 'z' };
const KINDS = new Map(Object.entries(KIND_LETTERS).map(([kind, letter]) => [letter, kind as TokenKind]));

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
    kinds: '',
    spaces: '',
    tokenStart: [],
    tokenLength: [],
    otherTexts: [],
    origins: [],
  };
  const fileIds = new Map(out.files.map((f, i) => [f, i]));
  const kinds: string[] = [];
  const spaces: string[] = [];
  for (const m of macros.values()) {
    const file = m.file === undefined ? undefined : fileIds.get(m.file);
    if (file === undefined) throw new Error(`the text of the file defining @${m.name} is missing`);
    const text = out.texts[file];
    out.name.push(m.name);
    out.file.push(file);
    out.start.push(m.start);
    out.end.push(m.end);
    out.nameStart.push(m.nameStart);
    out.nameEnd.push(m.nameEnd);
    out.params.push([...m.params]);
    out.bodyLength.push(m.body.length);
    for (const t of m.body) {
      const n = kinds.length;
      kinds.push(KIND_LETTERS[t.kind]);
      spaces.push(t.spaceBefore ? '1' : '0');
      out.tokenStart.push(t.start);
      out.tokenLength.push(t.end - t.start);
      if (text.slice(t.start, t.end) !== t.text) out.otherTexts.push([n, t.text]);
      if (t.macroOrigin) out.origins.push([n, t.macroOrigin.start, t.macroOrigin.end, t.macroOrigin.file ?? null]);
    }
  }
  out.kinds = kinds.join('');
  out.spaces = spaces.join('');
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
  const { kinds, spaces } = columns;
  if (typeof kinds !== 'string' || kinds.length !== tokens) throw new Error('bad token kinds');
  if (typeof spaces !== 'string' || spaces.length !== tokens || !/^[01]*$/.test(spaces)) throw new Error('bad token spacing');
  const [tokenStart, tokenLength] = [counts(columns.tokenStart, tokens, 'token starts'), counts(columns.tokenLength, tokens, 'token lengths')];
  const otherTexts = new Map(rows(columns.otherTexts, 2, tokens, 'token texts').map(([i, text]) => [i as number, string(text)]));
  const origins = new Map(rows(columns.origins, 4, tokens, 'token origins').map(([i, s, e, f]) => [i as number, origin(s, e, f)]));

  const macros = new Map<string, MacroDefinition>();
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (file[i] >= files.length) throw new Error('a macro file number out of range');
    const text = texts[file[i]];
    const body: Token[] = new Array(bodyLength[i]);
    for (let j = 0; j < body.length; j++, next++) {
      const kind = KINDS.get(kinds[next]);
      if (!kind) throw new Error('bad token kinds');
      const from = tokenStart[next];
      const to = from + tokenLength[next];
      const own = otherTexts.get(next);
      if (own === undefined && to > text.length) throw new Error('a token past the end of its file');
      body[j] = makeToken(kind, own ?? text.slice(from, to), from, to, spaces[next] === '1', origins.get(next));
    }
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

/** Rows of `width` values, each starting with a token number below `tokens`. */
function rows(column: unknown, width: number, tokens: number, what: string): unknown[][] {
  if (!Array.isArray(column) || !column.every((r) => Array.isArray(r) && r.length === width && isCount(r[0]) && r[0] < tokens)) throw new Error(`bad ${what}`);
  return column as unknown[][];
}

function origin(start: unknown, end: unknown, file: unknown): Token['macroOrigin'] {
  if (!isCount(start) || !isCount(end) || (file !== null && typeof file !== 'string')) throw new Error('bad token origin');
  return file === null ? { start, end } : { start, end, file };
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

function string(v: unknown): string {
  if (typeof v !== 'string') throw new Error('a token text that is not a string');
  return v;
}

function nonEmpty(v: string): string {
  if (!v) throw new Error('an empty macro name');
  return v;
}
