// Go to Definition: a call to its function (in this file or the tapset
// library), a global variable to its `global` line, an `@macro` use to its
// `@define` (here, or in the library's .stpm files), a probe alias such as
// `syscall.open` to the tapset that defines it.

import { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis } from '../analysis/analyze';
import { TapsetIndex } from '../analysis/tapsetIndex';
import { OffsetRange } from '../syntax/diagnostic';
import { MacroDefinition } from '../syntax/preprocessor';
import { nameAt } from './nameAt';
import { libraryLocation, toLocation } from './lspRanges';

export interface Library {
  macros: ReadonlyMap<string, MacroDefinition>;
  index: TapsetIndex;
  /** Reads a library file, for positions given as offsets. */
  readFile: (file: string) => string | undefined;
}

export function definition(analysis: Analysis, document: TextDocument, offset: number, library: Library): Location[] {
  const here = (r: OffsetRange): Location => toLocation(document, r);
  const name = nameAt(analysis, offset);
  if (!name) return [];
  if (name.kind === 'probePoint') return (library.index.probes.get(name.text) ?? []).map((p) => libraryLocation(p.at));
  const { word } = name;
  if (name.kind === 'macro') {
    const local = analysis.script.macros.filter((m) => !m.file && m.name === word.text);
    const macro = local.filter((m) => m.start <= offset).pop() ?? local[0] ?? library.macros.get(word.text);
    if (!macro) return [];
    if (!macro.file) return [here({ start: macro.nameStart, end: macro.nameEnd })];
    const text = library.readFile(macro.file);
    if (text === undefined) return [];
    const file = TextDocument.create(URI.file(macro.file).toString(), 'systemtap', 0, text);
    return [toLocation(file, { start: macro.nameStart, end: macro.nameEnd })];
  }
  const items = analysis.script.items;
  if (name.kind === 'call') {
    const local = items.flatMap((i) => (i.kind === 'function' && i.name.text === word.text ? [here(i.name)] : []));
    return local.length ? local : (library.index.functions.get(word.text) ?? []).map((f) => libraryLocation(f.at));
  }
  for (const item of items) {
    if (item.kind !== 'global') continue;
    const v = item.vars.find((g) => g.text === word.text);
    if (v) return [here({ start: v.start, end: v.start + v.text.length })];
  }
  return [];
}
