// Workspace symbols (Go to Symbol in Workspace): the probes, functions,
// globals and `@define` macros of every script in the workspace folders and
// the include folders, read with the parser in the background the first time
// they are asked for, and again for a file the editor says changed. The
// installed tapset library (some five hundred files, thousands of names)
// joins only once something is typed: listed in full it would bury the
// user's own scripts.

import * as fs from 'fs';
import * as path from 'path';
import { SymbolInformation, SymbolKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { TapsetIndex } from '../analysis/tapsetIndex';
import { Script } from '../syntax/ast';
import { parse } from '../syntax/parser';
import { libraryLocation } from './lspRanges';
import { documentSymbols } from './symbols';

/** At most this many files are read, and none larger than this: a workspace may hold anything. */
const MAX_FILES = 5000;
const MAX_FILE_BYTES = 1 << 20;
/** Folders never walked: tools' caches and dependencies. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.svn', '.hg', 'out', 'dist']);
/** A walk older than this is done again when asked, for files no watcher told of (include folders outside the workspace). */
const REWALK_MS = 30_000;
/** Answers are cut here; the editor asks again as the query grows. */
export const MAX_RESULTS = 500;

interface Entry {
  mtimeMs: number;
  symbols: SymbolInformation[];
}

export interface OpenScript {
  uri: string;
  text: string;
  script: Script;
}

export interface Cancel {
  isCancellationRequested: boolean;
  onCancellationRequested?(listener: () => void): { dispose(): void };
}

/** The symbols of one script, each at its name. */
export function scriptSymbols(uri: string, text: string, script: Script, container?: string): SymbolInformation[] {
  const document = TextDocument.create(uri, 'systemtap', 0, text);
  return documentSymbols({ text, script }, document).map((s) => ({ name: s.name, kind: s.kind, location: { uri, range: s.selectionRange }, containerName: container }));
}

/**
 * How well `name` matches `query`: its letters in order, case aside (a
 * subsequence, as the editor's own filter wants); better when they start the
 * name or stand together. Undefined when they are not all there.
 */
export function matchScore(name: string, query: string): number | undefined {
  if (!query) return 0;
  const n = name.toLowerCase();
  const q = query.toLowerCase();
  if (n.startsWith(q)) return 3;
  if (n.includes(q)) return 2;
  let i = 0;
  for (const c of n) if (c === q[i]) i++;
  return i === q.length ? 1 : undefined;
}

export class WorkspaceSymbolIndex {
  private roots: string[] = [];
  private readonly files = new Map<string, Entry>();
  private walked: Promise<void> | undefined;
  private walkedAt = 0;
  /** Files a watcher reported since the last query. */
  private readonly dirty = new Set<string>();

  constructor(private readonly readFile: (file: string) => Promise<string> = (file) => fs.promises.readFile(file, 'utf8')) {}

  /** The folders to index: the workspace folders and the include folders. A change starts over. */
  setRoots(roots: readonly string[]): void {
    const sorted = [...new Set(roots)].sort();
    if (sorted.join('\0') === this.roots.join('\0')) return;
    this.roots = sorted;
    this.walked = undefined;
    this.walkedAt = 0;
  }

  /** A watcher said a file changed, appeared or went away: read it again when next asked. */
  changed(file: string): void {
    if (file.endsWith('.stp')) this.dirty.add(file);
  }

  private under(file: string): boolean {
    return this.roots.some((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  }

  /** Walks the roots and (re)reads what changed, yielding between files so that the server keeps answering. */
  private async walk(cancel?: Cancel): Promise<void> {
    const found = new Map<string, number>();
    const stack = [...this.roots];
    while (stack.length && found.size < MAX_FILES) {
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_FOLDERS.has(e.name)) stack.push(full);
        else if (e.isFile() && e.name.endsWith('.stp')) found.set(full, 0);
        if (found.size >= MAX_FILES) break;
      }
    }
    for (const file of this.files.keys()) if (!found.has(file)) this.files.delete(file);
    for (const file of found.keys()) {
      if (cancel?.isCancellationRequested) return;
      await this.read(file);
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.walkedAt = Date.now();
  }

  /** (Re)reads one file when its time changed; a file gone, too large or unreadable is left out. */
  private async read(file: string): Promise<void> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      this.files.delete(file);
      return;
    }
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) {
      this.files.delete(file);
      return;
    }
    if (this.files.get(file)?.mtimeMs === stat.mtimeMs) return;
    try {
      const text = await this.readFile(file);
      const uri = URI.file(file).toString();
      this.files.set(file, { mtimeMs: stat.mtimeMs, symbols: scriptSymbols(uri, text, parse(text, {}), this.containerOf(file)) });
    } catch {
      this.files.delete(file);
    }
  }

  private containerOf(file: string): string {
    const root = this.roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
    return root ? path.relative(path.dirname(root), file) : path.basename(file);
  }

  /** Waits for the index (cancelled: answers with what is there), then matches. */
  async query(query: string, options: { open?: readonly OpenScript[]; library?: TapsetIndex; cancel?: Cancel } = {}): Promise<SymbolInformation[]> {
    // The first query waits for the index; later ones answer at once while a stale walk runs again behind them.
    let wait: Promise<void> | undefined;
    if (!this.walked || (this.walkedAt && Date.now() - this.walkedAt > REWALK_MS)) {
      const first = !this.walked;
      const walking = this.walk().catch(() => undefined);
      this.walked = walking;
      if (first) wait = walking;
    } else if (!this.walkedAt) wait = this.walked; // the first walk is still going
    const reported = [...this.dirty].filter((f) => this.under(f));
    this.dirty.clear();
    const cancel = cancelled(options.cancel);
    try {
      await Promise.race([Promise.all([wait, ...reported.map((f) => this.read(f))]), cancel.promise]);
    } finally {
      cancel.dispose();
    }
    const scored: { symbol: SymbolInformation; score: number }[] = [];
    const add = (symbol: SymbolInformation) => {
      const score = matchScore(symbol.name, query);
      if (score !== undefined) scored.push({ symbol, score });
    };
    // An open document's text wins over the file on disk.
    const openFiles = new Set<string>();
    for (const doc of options.open ?? []) {
      const file = URI.parse(doc.uri).scheme === 'file' ? URI.parse(doc.uri).fsPath : undefined;
      if (file) openFiles.add(file);
      scriptSymbols(doc.uri, doc.text, doc.script, file ? this.containerOf(file) : undefined).forEach(add);
    }
    for (const [file, entry] of this.files) if (!openFiles.has(file)) entry.symbols.forEach(add);
    if (query && options.library) this.librarySymbols(options.library, query, add);
    scored.sort((a, b) => b.score - a.score || a.symbol.name.localeCompare(b.symbol.name));
    return scored.slice(0, MAX_RESULTS).map((s) => s.symbol);
  }

  /** The library's functions and probe aliases, except those of folders indexed above. */
  private librarySymbols(library: TapsetIndex, query: string, add: (s: SymbolInformation) => void): void {
    for (const [name, fns] of library.functions) {
      if (matchScore(name, query) === undefined) continue;
      for (const f of fns) if (!this.under(f.at.file)) add({ name, kind: SymbolKind.Function, location: libraryLocation(f.at), containerName: `tapset ${path.basename(f.at.file)}` });
    }
    for (const [name, probes] of library.probes) {
      if (matchScore(name, query) === undefined) continue;
      for (const p of probes) if (!this.under(p.at.file)) add({ name, kind: SymbolKind.Event, location: libraryLocation(p.at), containerName: `tapset ${path.basename(p.at.file)}` });
    }
  }
}

/** Settles when the request is cancelled; never otherwise. */
function cancelled(cancel: Cancel | undefined): { promise: Promise<void>; dispose(): void } {
  let listener: { dispose(): void } | undefined;
  const promise = new Promise<void>((resolve) => {
    if (cancel?.isCancellationRequested) resolve();
    else listener = cancel?.onCancellationRequested?.(() => resolve());
  });
  return { promise, dispose: () => listener?.dispose() };
}
