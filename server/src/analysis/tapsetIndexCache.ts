// The tapset index kept on disk between runs of the server, with the
// library's macros. Indexing the installed library parses every tapset file
// (most of a second); reading the index back takes a few milliseconds, so
// library hovers and completions work right after start-up.
//
// One file per environment (its settings decide what `%( %)` keeps), in the
// extension's global storage or `$XDG_CACHE_HOME/systemtap-guru/`, never in
// a workspace. A file is used only if it was written by this build of the
// server, in this format, from the same library files: the same paths, sizes,
// modification and change times, `.stpm` macro files included. Anything else,
// a corrupt or unreadable file included, is a miss: the index is built again
// and the file rewritten, atomically (a temporary file, then a rename).

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeMacros, encodeMacros, LibraryMacros, MacroColumns } from './libraryMacroColumns';
import { LibraryDoc, LibraryFunction, LibraryPosition, LibraryProbe, TapsetIndex } from './tapsetIndex';
import { ioReason, ListedFile, readRegularFile } from './tapsetLibrary';

/** Bumped whenever what is written changes shape, or the index would come out differently for the same files. */
export const INDEX_CACHE_FORMAT = 3;

/** The installed library's index is about 1 MB; a file far larger than that is not ours. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;
/** Cache files of other environments (another kernel release in the settings) unused this long are removed. */
const STALE_MS = 30 * 24 * 3600 * 1000;
const PREFIX = 'tapset-index-';

/** What a cached index must have been built from to be used. */
export interface IndexCacheKey {
  /** The environment's settings, as `environmentKey` writes them. */
  environment: string;
  /** The library files (`.stp` and `.stpm`) in the order they were listed; the cache file is read and parsed while they are listed. */
  files: readonly ListedFile[] | Promise<readonly ListedFile[]>;
}

export interface CachedIndex {
  index: TapsetIndex;
  /** The macros of the library's `.stpm` files: read back, they need no lexing. */
  macros: LibraryMacros;
  /** Library files left out while indexing, and why: told again when the index is read back. */
  skipped: readonly (readonly [file: string, reason: string])[];
}

export type IndexCacheRead = { hit: CachedIndex } | { miss: string };

/** `$XDG_CACHE_HOME/systemtap-guru` (default `~/.cache/systemtap-guru`); undefined without a home folder. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env, home: () => string = os.homedir): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG specification says a relative path is to be ignored: it would land in the current folder.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'systemtap-guru');
  let dir: string;
  try {
    dir = home();
  } catch {
    return undefined;
  }
  return dir && path.isAbsolute(dir) ? path.join(dir, '.cache', 'systemtap-guru') : undefined;
}

/**
 * Where the server keeps the index: the folder the client names in
 * `initializationOptions.cacheDirectory` (VS Code: the extension's global
 * storage), else `fallback` (null: nowhere), else the user's cache folder.
 */
export function indexCacheDirectory(initializationOptions: unknown, fallback?: string | null): string | undefined {
  const named = (initializationOptions as { cacheDirectory?: unknown } | null | undefined)?.cacheDirectory;
  // Only an absolute path: a relative one would land in the server's current folder, perhaps a workspace.
  if (typeof named === 'string' && path.isAbsolute(named)) return named;
  return fallback === null ? undefined : (fallback ?? defaultCacheDirectory());
}

let runningBuild: string | undefined;

/**
 * The server's version and build: the size and time of the running bundle
 * (`dist/server.js`), which change with every build, so that a rebuilt parser
 * never reads an index made by the one before.
 */
export function serverBuildId(version: string): string {
  if (runningBuild === undefined) {
    try {
      const st = fs.statSync(__filename);
      runningBuild = `${st.size}:${st.mtimeMs}`;
    } catch {
      runningBuild = 'unknown';
    }
  }
  return `${version} ${runningBuild}`;
}

// On disk, entries go in columns, one array per field: JSON.parse makes a
// few long arrays instead of thousands of small objects (half the time, and
// less garbage at start-up). Positions name their file by its number in `paths`.
type FileRow = [path: string, size: number, mtimeMs: number, ctimeMs: number];

interface EntryColumns {
  name: string[];
  file: number[];
  line: number[];
  character: number[];
  length: number[];
  summary: (string | null)[];
  details: (string | null)[];
}

interface CacheFile {
  format: number;
  build: string;
  environment: string;
  files: FileRow[];
  paths: string[];
  functions: EntryColumns & { signature: string[] };
  probes: EntryColumns;
  /** Since format 2. */
  globals: string[];
  /** Since format 3. */
  macros: MacroColumns;
  skipped: [string, string][];
}

export class TapsetIndexCache {
  constructor(
    /** Created when first written. */
    readonly dir: string,
    /** `serverBuildId()`: an index written by another build is not read. */
    readonly build: string,
  ) {}

  /** The file an environment's index is kept in. */
  fileFor(environment: string): string {
    const hash = crypto.createHash('sha256').update(environment).digest('hex').slice(0, 16);
    return path.join(this.dir, `${PREFIX}${hash}.json`);
  }

  /** The index cached for this key, or why there is none. Never rejects. */
  async read(key: IndexCacheKey): Promise<IndexCacheRead> {
    const file = this.fileFor(key.environment);
    let text: string;
    try {
      text = await readRegularFile(file, MAX_CACHE_BYTES);
    } catch (e) {
      return { miss: (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'nothing cached yet for these settings' : `cannot read ${file}: ${ioReason(e)}` };
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      if (!data || typeof data !== 'object') throw new Error('not an object');
      if (data.format !== INDEX_CACHE_FORMAT || data.build !== this.build) return { miss: 'written by another version of the server' };
      if (data.environment !== key.environment) return { miss: 'written for other settings' };
      const changed = changedFile(data.files, await key.files);
      if (changed) return { miss: `the library changed (${changed})` };
      const hit = decode(data);
      // Used: kept from being pruned as stale.
      const now = new Date();
      fs.promises.utimes(file, now, now).catch(() => undefined);
      return { hit };
    } catch (e) {
      return { miss: `${file} is damaged (${(e as Error)?.message ?? e})` };
    }
  }

  /** Writes the index for this key, atomically. Rejects when the folder or file cannot be written. */
  async write(key: IndexCacheKey, cached: CachedIndex): Promise<void> {
    const file = this.fileFor(key.environment);
    const text = JSON.stringify(encode(this.build, key.environment, await key.files, cached));
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      // `wx`: a file planted under that name is not followed or overwritten.
      await fs.promises.writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
      await fs.promises.rename(temporary, file);
    } catch (e) {
      await fs.promises.unlink(temporary).catch(() => undefined);
      throw e;
    }
    await this.prune(file);
  }

  /** Removes the cache files of environments not used for a month, and temporary files left by a crash. */
  private async prune(keep: string): Promise<void> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const file = path.join(this.dir, name);
      if (!name.startsWith(PREFIX) || file === keep) continue;
      const st = await fs.promises.lstat(file).catch(() => undefined);
      const maxAge = name.endsWith('.tmp') ? 3600 * 1000 : STALE_MS;
      if (st?.isFile() && now - st.mtimeMs > maxAge) await fs.promises.unlink(file).catch(() => undefined);
    }
  }
}

/** The first difference between the files an index was built from and the files now, or undefined. */
function changedFile(rows: unknown, now: readonly ListedFile[]): string | undefined {
  if (!Array.isArray(rows)) throw new Error('no file list');
  const before = new Map<string, unknown[]>();
  for (const row of rows as unknown[]) {
    if (!Array.isArray(row) || typeof row[0] !== 'string') throw new Error('a bad file entry');
    before.set(row[0], row);
  }
  for (const f of now) {
    const row = before.get(f.path);
    if (!row) return `${f.path} is new`;
    if (row[1] !== f.size || row[2] !== f.mtimeMs || row[3] !== f.ctimeMs) return `${f.path} was modified`;
  }
  const current = new Set(now.map((f) => f.path));
  const gone = [...before.keys()].find((p) => !current.has(p));
  if (gone) return `${gone} is gone`;
  // The same files in another order (a folder moved among the include paths) may shadow each other differently.
  if (rows.length !== now.length || now.some((f, i) => (rows as FileRow[])[i][0] !== f.path)) return 'the files come in another order';
  return undefined;
}

function encode(build: string, environment: string, files: readonly ListedFile[], { index, macros, skipped }: CachedIndex): CacheFile {
  const paths: string[] = [];
  const pathIds = new Map<string, number>();
  const columns = (): EntryColumns => ({ name: [], file: [], line: [], character: [], length: [], summary: [], details: [] });
  const push = (to: EntryColumns, entry: LibraryDoc & { name: string; at: LibraryPosition }) => {
    let id = pathIds.get(entry.at.file);
    if (id === undefined) {
      id = paths.push(entry.at.file) - 1;
      pathIds.set(entry.at.file, id);
    }
    to.name.push(entry.name);
    to.file.push(id);
    to.line.push(entry.at.line);
    to.character.push(entry.at.character);
    to.length.push(entry.at.length);
    to.summary.push(entry.summary ?? null);
    to.details.push(entry.details ?? null);
  };
  const functions = { ...columns(), signature: [] as string[] };
  for (const list of index.functions.values()) {
    for (const f of list) {
      push(functions, f);
      functions.signature.push(f.signature);
    }
  }
  const probes = columns();
  for (const list of index.probes.values()) for (const p of list) push(probes, p);
  return {
    format: INDEX_CACHE_FORMAT,
    build,
    environment,
    files: files.map((f) => [f.path, f.size, f.mtimeMs, f.ctimeMs]),
    paths,
    functions,
    probes,
    globals: [...(index.globals ?? [])],
    macros: encodeMacros(macros),
    skipped: skipped.map(([file, reason]) => [file, reason]),
  };
}

/**
 * The index as written; throws at the first thing out of shape, so that a
 * damaged file is a miss, never a bad index. Every column is checked now;
 * the probe aliases (6,337 in the installed library, two objects each) are
 * built when first asked for, which halves the read: a hover on a function
 * right after start-up does not wait for them.
 */
function decode(data: CacheFile): CachedIndex {
  const paths = strings(data.paths, 'paths');
  const functions = new Map<string, LibraryFunction[]>();
  const functionEntries = entries(data.functions, 'functions', paths)();
  const signatures = strings(data.functions.signature, 'signatures');
  if (signatures.length !== functionEntries.length) throw new Error('bad signatures');
  functionEntries.forEach((entry, i) => add(functions, { ...entry, signature: nonEmpty(signatures[i]) }));
  let probeEntries: (() => LibraryProbe[]) | undefined = entries(data.probes, 'probes', paths);
  let probes: Map<string, LibraryProbe[]> | undefined;
  const index: TapsetIndex = {
    functions,
    get probes() {
      if (!probes) {
        probes = new Map();
        for (const entry of probeEntries!()) add(probes, entry);
        probeEntries = undefined; // the columns can go
      }
      return probes;
    },
    globals: new Set(strings(data.globals, 'globals').map(nonEmpty)),
  };
  const skipped = data.skipped;
  if (!Array.isArray(skipped) || !skipped.every((row) => Array.isArray(row) && row.length === 2)) throw new Error('bad skipped files');
  return { index, macros: decodeMacros(data.macros), skipped: skipped.map(([file, reason]) => [nonEmpty(file), nonEmpty(reason)] as const) };
}

function add<T extends { name: string }>(map: Map<string, T[]>, entry: T): void {
  const list = map.get(entry.name);
  if (list) list.push(entry);
  else map.set(entry.name, [entry]);
}

/** Checks a set of columns whole, and returns what makes their entries (which cannot fail then). */
function entries(columns: EntryColumns | undefined, what: string, paths: readonly string[]): () => (LibraryDoc & { name: string; at: LibraryPosition })[] {
  if (!columns || typeof columns !== 'object') throw new Error(`no ${what}`);
  const names = strings(columns.name, what);
  if (!names.every((name) => name)) throw new Error(`an empty name among the ${what}`);
  const n = names.length;
  const numbers = (column: unknown, max = Infinity): number[] => {
    if (!Array.isArray(column) || column.length !== n || !column.every((v) => Number.isInteger(v) && v >= 0 && v < max)) throw new Error(`bad positions of ${what}`);
    return column as number[];
  };
  const docs = (column: unknown): (string | null)[] => {
    if (!Array.isArray(column) || column.length !== n || !column.every((v) => v === null || (typeof v === 'string' && v))) throw new Error(`bad docs of ${what}`);
    return column as (string | null)[];
  };
  const [file, line, character, length] = [numbers(columns.file, paths.length), numbers(columns.line), numbers(columns.character), numbers(columns.length)];
  const [summary, details] = [docs(columns.summary), docs(columns.details)];
  return () => {
    const out: (LibraryDoc & { name: string; at: LibraryPosition })[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const entry: LibraryDoc & { name: string; at: LibraryPosition } = { name: names[i], at: { file: paths[file[i]], line: line[i], character: character[i], length: length[i] } };
      if (summary[i] !== null) entry.summary = summary[i]!;
      if (details[i] !== null) entry.details = details[i]!;
      out[i] = entry;
    }
    return out;
  };
}

function strings(column: unknown, what: string): string[] {
  if (!Array.isArray(column) || !column.every((v) => typeof v === 'string')) throw new Error(`bad ${what}`);
  return column as string[];
}

function nonEmpty(v: unknown): string {
  if (typeof v !== 'string' || !v) throw new Error('an empty name');
  return v;
}
