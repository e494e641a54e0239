// An index of the tapset library's functions and probe aliases, with the
// kernel-doc comments above them (` * sfunction execname - Returns ...`), for
// hover, completion and Go to Definition on library names.

import { Comment } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { MacroDefinition, PreprocessorTarget } from '../syntax/preprocessor';
import { functionSignature } from '../syntax/signature';
import { forEachLibraryFile, listFilesAsync, SkipReporter } from './tapsetLibrary';

export interface LibraryPosition {
  file: string;
  /** 0-based, ready for LSP. */
  line: number;
  character: number;
  length: number;
}

export interface LibraryDoc {
  /** The one-line summary after the name. */
  summary?: string;
  /** The rest, as Markdown: the description and one item per `@param:`. */
  details?: string;
}

export interface LibraryFunction extends LibraryDoc {
  name: string;
  /** `execname:string()`, `task_pid:long(task:long)`. */
  signature: string;
  at: LibraryPosition;
}

export interface LibraryProbe extends LibraryDoc {
  /** The alias as scripts name it: `ioblock.request`, `syscall.open`. */
  name: string;
  at: LibraryPosition;
}

export interface TapsetIndex {
  functions: Map<string, LibraryFunction[]>;
  probes: Map<string, LibraryProbe[]>;
  /** The library's public globals (`argv`, ...): scripts use them undeclared. Absent when not known. */
  globals?: Set<string>;
}

export const EMPTY_INDEX: TapsetIndex = { functions: new Map(), probes: new Map() };

/**
 * Indexes the library a file at a time, reading with fs.promises so that the
 * server keeps answering while it runs (about half a second cold). More
 * folders (`stap -I DIR`) are indexed after the installed library. A file
 * that cannot be read or parsed is reported and left out; the rest stands.
 */
export async function buildTapsetIndex(
  dir: string | undefined,
  arch: string,
  target: PreprocessorTarget,
  libraryMacros: ReadonlyMap<string, MacroDefinition>,
  includePaths: readonly string[] = [],
  report: SkipReporter = () => undefined,
): Promise<TapsetIndex> {
  const files = await listFilesAsync([dir, ...includePaths], ['.stp'], arch, report);
  return indexLibraryFiles(files, target, libraryMacros, report);
}

/** buildTapsetIndex over `.stp` files already listed. */
export async function indexLibraryFiles(
  files: readonly string[],
  target: PreprocessorTarget,
  libraryMacros: ReadonlyMap<string, MacroDefinition>,
  report: SkipReporter = () => undefined,
): Promise<TapsetIndex> {
  const index: TapsetIndex = { functions: new Map(), probes: new Map(), globals: new Set() };
  // Each read gives the event loop a turn: requests are answered in between.
  await forEachLibraryFile(files, report, (file, text) => indexFile(index, file, text, target, libraryMacros));
  return index;
}

/** Adds one file's functions and probe aliases; if it throws, the index is as it was. */
export function indexFile(index: TapsetIndex, file: string, text: string, target: PreprocessorTarget, libraryMacros: ReadonlyMap<string, MacroDefinition>): void {
  const script = parse(text, { target, libraryMacros, reportUnknownOperators: false });
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number, length: number): LibraryPosition => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo, character: offset - lineStarts[lo], length };
  };
  // Entries go in once the whole file is read.
  const adds: (() => void)[] = [];
  const add = <T>(map: Map<string, T[]>, name: string, entry: T) =>
    adds.push(() => {
      const list = map.get(name);
      if (list) list.push(entry);
      else map.set(name, [entry]);
    });
  for (const item of script.items) {
    if (item.kind === 'global') {
      // Private globals are visible only inside their own tapset file.
      if (item.isPrivate || !index.globals) continue;
      const globals = index.globals;
      for (const v of item.vars) adds.push(() => globals.add(v.text));
    } else if (item.kind === 'function') {
      // Private functions are visible only inside their own tapset file.
      if (item.isPrivate || text.slice(item.name.start, item.name.end) !== item.name.text) continue;
      add(index.functions, item.name.text, {
        name: item.name.text,
        signature: functionSignature(item),
        at: position(item.name.start, item.name.text.length),
        ...docBefore(script.comments, text, item.start),
      });
    } else if (item.kind === 'probe' && item.alias) {
      for (const point of item.points) {
        const name = text.slice(point.start, point.end).replace(/\s+/g, '');
        if (!/^[\w.*]+$/.test(name)) continue;
        add(index.probes, name, { name, at: position(point.start, point.end - point.start), ...docBefore(script.comments, text, item.start) });
      }
    }
  }
  for (const a of adds) a();
}

/** The `/** ... *\/` comment right above a declaration, read as kernel-doc. */
function docBefore(comments: Comment[], text: string, start: number): LibraryDoc {
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const comment = comments[lo - 1];
  if (!comment || !comment.text.startsWith('/**') || text.slice(comment.end, start).trim() !== '') return {};
  return readKernelDoc(comment.text);
}

export function readKernelDoc(comment: string): LibraryDoc {
  const lines = comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, '').trimEnd());
  const first = lines.findIndex((l) => l.trim());
  if (first < 0) return {};
  const head = /^\s*(?:sfunction|function|probe)\s+\S+\s+-\s+(.*)$/.exec(lines[first]);
  const summary = head?.[1].trim();
  const paragraphs: string[] = [];
  let current: string[] = [];
  let preformatted: string[] = [];
  const flush = () => {
    if (current.length) paragraphs.push(current.join(' '));
    if (preformatted.length) paragraphs.push(['```text', ...preformatted, '```'].join('\n'));
    current = [];
    preformatted = [];
  };
  for (const line of lines.slice(head ? first + 1 : first)) {
    const param = /^\s*@(\w+)\s*:\s*(.*)$/.exec(line);
    if (param) {
      flush();
      paragraphs.push(`- \`${param[1]}\`: ${param[2]}`);
    } else if (!line.trim()) {
      flush();
    } else if (/^\s/.test(line)) {
      // Indented lines are tables and code: keep them as they are.
      if (current.length) flush();
      preformatted.push(line.trim());
    } else {
      if (preformatted.length) flush();
      current.push(line.trim().replace(/^Description:\s*/, ''));
    }
  }
  flush();
  // Parameter items form one list; everything else is a paragraph.
  const details = paragraphs
    .join('\n\n')
    .replace(/(^- .*)\n\n(?=- )/gm, '$1\n')
    .trim();
  return { summary, details: details || undefined };
}
