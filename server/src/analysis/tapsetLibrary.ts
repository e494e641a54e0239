// Finds the installed tapset library and reads the macros its `.stpm` files
// define (`@define`), which stap makes visible to every script.
//
// Library folders are not trusted to hold only tapsets: an include folder
// (`stap -I DIR`, systemtap.includePaths) may contain a FIFO or a device named
// `x.stp`, a symbolic link to /dev/zero, a symlinked folder cycle or a file
// the parser chokes on. Only regular files up to MAX_LIBRARY_FILE_BYTES are
// opened, anything else is left out and reported once, and a file that fails
// is left out on its own. The walks and reads are written once, as steps
// (`Step`), and run either synchronously or with fs.promises, so that the
// server never waits long on the disk (it lists a small library at once).

import * as fs from 'fs';
import * as path from 'path';
import { lex } from '../syntax/lexer';
import { MacroDefinition, preprocess } from '../syntax/preprocessor';

export const DEFAULT_TAPSET_DIRS = ['/usr/share/systemtap/tapset', '/usr/local/share/systemtap/tapset'];

/**
 * Library files larger than this are not read. The largest installed tapset
 * file (linux/aux_syscalls.stp, systemtap 4.8) is 148 KB; generated tables
 * such as syscall_num.stp come next at about 110 KB.
 */
export const MAX_LIBRARY_FILE_BYTES = 4 * 1024 * 1024;
/** Folder levels below a library folder that are walked (the installed library has 2). */
export const MAX_LIBRARY_DEPTH = 8;
/** Folder entries looked at in one walk, in case a library folder is set to `/` or `~`. */
export const MAX_LIBRARY_ENTRIES = 100_000;
/**
 * Folder entries a walk may look at synchronously (listLibraryFilesWithin).
 * The installed library has about 630; a walk of this many takes a few tens
 * of milliseconds.
 */
export const QUICK_LISTING_ENTRIES = 10_000;

/** Told about each library file or folder that is left out, and why. */
export type SkipReporter = (file: string, reason: string) => void;

const ignore: SkipReporter = () => undefined;

/** A reporter that passes each (file, reason) on once only. */
export function reportOnce(report: SkipReporter): SkipReporter {
  const seen = new Set<string>();
  return (file, reason) => {
    const key = `${file}\0${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    report(file, reason);
  };
}

// Subfolders stap reads only for another runtime or architecture.
const OTHER_RUNTIMES = new Set(['dyninst', 'bpf']);
const ARCH_DIRS = new Set(['i386', 'x86_64', 'ia64', 'powerpc', 's390', 'arm', 'arm64', 'mips', 'riscv']);

export function findTapsetDir(explicit?: string): string | undefined {
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  return DEFAULT_TAPSET_DIRS.find((d) => fs.existsSync(d));
}

/** A file is left out for this reason. */
export class SkippedFile extends Error {}

/** A walk given a strict budget would look at more entries than that. */
class OverBudget extends Error {}

/** Why a file that is not a regular file cannot be read. */
function notRegular(st: fs.Stats): string {
  const what = st.isDirectory()
    ? 'a folder'
    : st.isFIFO()
      ? 'a FIFO'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isSocket()
            ? 'a socket'
            : 'not a regular file';
  return what === 'not a regular file' ? what : `not a regular file (${what})`;
}

const mib = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;

function tooLarge(size: number | undefined, maxBytes: number): string {
  return size === undefined ? `larger than ${mib(maxBytes)}` : `too large (${size} bytes, more than ${mib(maxBytes)})`;
}

/** A short reason for a failed system call. */
export function ioReason(e: unknown): string {
  if (e instanceof SkippedFile) return e.message;
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return 'no such file (or a broken symbolic link)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'EISDIR':
      return 'is a folder';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return clip(err?.message ?? String(e));
  }
}

/** A message cut to a line's length: an error may quote a whole hostile input. */
export function clip(message: string, max = 200): string {
  return message.length > max ? `${message.slice(0, max)}...` : message;
}

// Open flags for library files: a FIFO swapped in between stat and open does
// not block the open, and a terminal does not become ours.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

const sameFile = (a: fs.Stats, b: fs.Stats) => a.dev === b.dev && a.ino === b.ino;

/** What a step asks of the file system; the answer comes back from `yield`. */
type Step =
  | { op: 'stat'; path: string }
  /** Each path's stat or its error, in order: a folder's entries are looked at together, not one round trip each. */
  | { op: 'statAll'; paths: readonly string[] }
  | { op: 'readdir'; path: string }
  /** The text of a regular file of at most maxBytes, else SkippedFile is thrown. */
  | { op: 'readRegular'; path: string; maxBytes: number };

type Steps<T> = Generator<Step, T, unknown>;

type StatResult = { stat: fs.Stats } | { error: unknown };
/** Stats started at once by statAll: enough to keep the thread pool busy, few enough for a huge folder. */
const STAT_BATCH = 64;

function checkRegular(st: fs.Stats, maxBytes: number): void {
  if (!st.isFile()) throw new SkippedFile(notRegular(st));
  if (st.size > maxBytes) throw new SkippedFile(tooLarge(st.size, maxBytes));
}

/**
 * Reads a regular file of at most maxBytes, never opening anything else:
 * stat first (following symbolic links), then open and check that the file
 * opened is the one looked at. Reads stop at maxBytes even if it grows.
 */
export function readRegularFileSync(file: string, maxBytes = MAX_LIBRARY_FILE_BYTES): string {
  const looked = fs.statSync(file);
  checkRegular(looked, maxBytes);
  const fd = fs.openSync(file, OPEN_FLAGS);
  try {
    const st = fs.fstatSync(fd);
    if (!sameFile(st, looked)) throw new SkippedFile('replaced while being read');
    checkRegular(st, maxBytes);
    return readOpenFileSync(fd, st.size, maxBytes, true);
  } finally {
    fs.closeSync(fd);
  }
}

/** readOpenFile, synchronously, on a file descriptor. */
export function readOpenFileSync(fd: number, sizeHint: number, maxBytes: number, regular = false): string {
  let buf: Buffer = Buffer.allocUnsafe(Math.min(sizeHint, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buf.length) buf = grow(buf, maxBytes);
    const wanted = buf.length - total;
    const n = fs.readSync(fd, buf, total, wanted, null);
    total += n;
    if (n === 0 || (regular && n < wanted)) return buf.toString('utf8', 0, total);
  }
}

/** readRegularFileSync with fs.promises: the caller's thread never waits. */
export async function readRegularFile(file: string, maxBytes = MAX_LIBRARY_FILE_BYTES): Promise<string> {
  const looked = await fs.promises.stat(file);
  checkRegular(looked, maxBytes);
  const handle = await fs.promises.open(file, OPEN_FLAGS);
  try {
    const st = await handle.stat();
    if (!sameFile(st, looked)) throw new SkippedFile('replaced while being read');
    checkRegular(st, maxBytes);
    return await readOpenFile(handle, st.size, maxBytes, true);
  } finally {
    await handle.close();
  }
}

/**
 * The rest of an open file as text, of at most maxBytes (else SkippedFile is
 * thrown), whatever its size said: it may grow, or be a pipe. For a regular
 * file a short read is its end, which saves a read per file.
 */
export async function readOpenFile(handle: fs.promises.FileHandle, sizeHint: number, maxBytes: number, regular = false): Promise<string> {
  let buf: Buffer = Buffer.allocUnsafe(Math.min(sizeHint, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buf.length) buf = grow(buf, maxBytes);
    const wanted = buf.length - total;
    const { bytesRead } = await handle.read(buf, total, wanted, null);
    total += bytesRead;
    if (bytesRead === 0 || (regular && bytesRead < wanted)) return buf.toString('utf8', 0, total);
  }
}

/** A full buffer: the file grew since its stat. */
function grow(buf: Buffer, maxBytes: number): Buffer {
  if (buf.length > maxBytes) throw new SkippedFile(tooLarge(undefined, maxBytes));
  const bigger = Buffer.allocUnsafe(Math.min(Math.max(buf.length * 2, 4096), maxBytes + 1));
  buf.copy(bigger);
  return bigger;
}

function runSync<T>(steps: Steps<T>): T {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let answer: unknown;
    try {
      answer =
        step.op === 'stat'
          ? fs.statSync(step.path)
          : step.op === 'statAll'
            ? step.paths.map(statSyncResult)
            : step.op === 'readdir'
              ? fs.readdirSync(step.path, { withFileTypes: true })
              : readRegularFileSync(step.path, step.maxBytes);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(answer);
  }
  return next.value;
}

async function runAsync<T>(steps: Steps<T>): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const step = next.value;
    let answer: unknown;
    try {
      answer =
        step.op === 'stat'
          ? await fs.promises.stat(step.path)
          : step.op === 'statAll'
            ? await statAllAsync(step.paths)
            : step.op === 'readdir'
              ? await fs.promises.readdir(step.path, { withFileTypes: true })
              : await readRegularFile(step.path, step.maxBytes);
    } catch (e) {
      next = steps.throw(e);
      continue;
    }
    next = steps.next(answer);
  }
  return next.value;
}

/** A library file as the walk found it: what the index cache is keyed by. */
export interface ListedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** Changes too when a package manager installs a file with its old mtime. */
  ctimeMs: number;
}

/**
 * Names in code-unit order, as stap's glob sorts them in the C locale; not
 * localeCompare, whose first call loads the collation tables (tens of
 * milliseconds, at start-up, before any library feature works).
 */
const byName = (a: fs.Dirent, b: fs.Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function statSyncResult(file: string): StatResult {
  try {
    return { stat: fs.statSync(file) };
  } catch (error) {
    return { error };
  }
}

async function statAllAsync(paths: readonly string[]): Promise<StatResult[]> {
  const out: StatResult[] = [];
  for (let i = 0; i < paths.length; i += STAT_BATCH) {
    const batch = paths.slice(i, i + STAT_BATCH).map((p) =>
      fs.promises.stat(p).then(
        (stat): StatResult => ({ stat }),
        (error: unknown): StatResult => ({ error }),
      ),
    );
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

/**
 * path.join(dir, name) for the entries of a folder, whose names hold no `/`
 * and are never `.` or `..`: the folder's part is joined once, as path.join
 * writes it, and each name appended (path.join's checks and normalizing, for
 * every entry, were most of the CPU a walk of the installed library took).
 */
function childPath(dir: string): (name: string) => string {
  const prefix = path.join(dir, 'x').slice(0, -1);
  return (name) => prefix + name;
}

/**
 * Files below the folders with one of the extensions, in stable order
 * (depth first, names sorted). With `arch`, only the folders stap reads for
 * that architecture and the kernel runtime. Symbolic links are followed; a
 * folder or file reached twice (a link cycle, overlapping folders) is taken
 * once. Only regular files up to MAX_LIBRARY_FILE_BYTES are listed.
 */
function* walk(dirs: readonly string[], extensions: readonly string[], arch: string | undefined, report: SkipReporter, strictBudget?: number): Steps<ListedFile[]> {
  const out: ListedFile[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  // A strict budget is not a limit on what is read but a bound on the walk: past it, the walk gives up (OverBudget).
  let budget = strictBudget ?? MAX_LIBRARY_ENTRIES;
  const key = (st: fs.Stats) => `${st.dev}:${st.ino}`;
  const wanted = (name: string) => extensions.some((x) => name.endsWith(x));
  // A folder's entries, sorted, with the stat of each that needs a closer look: folders, links (to folders) and wanted names.
  const listing = function* (dir: string): Steps<{ entries: fs.Dirent[]; stats: (StatResult | undefined)[] } | undefined> {
    let entries: fs.Dirent[];
    try {
      entries = ((yield { op: 'readdir', path: dir }) as fs.Dirent[]).sort(byName);
    } catch (e) {
      report(dir, `cannot read the folder: ${ioReason(e)}`);
      return undefined;
    }
    // Entries past the budget are never looked at.
    const looked = entries.slice(0, Math.max(0, budget)).flatMap((e, i) => (wanted(e.name) || e.isDirectory() || e.isSymbolicLink() ? [i] : []));
    const inDir = childPath(dir);
    const results = (yield { op: 'statAll', paths: looked.map((i) => inDir(entries[i].name)) }) as StatResult[];
    const stats: (StatResult | undefined)[] = [];
    looked.forEach((entry, i) => (stats[entry] = results[i]));
    return { entries, stats };
  };
  for (const root of dirs) {
    let rootStat: fs.Stats;
    try {
      rootStat = (yield { op: 'stat', path: root }) as fs.Stats;
    } catch (e) {
      report(root, ioReason(e));
      continue;
    }
    if (!rootStat.isDirectory()) {
      report(root, 'not a folder');
      continue;
    }
    if (seenDirs.has(key(rootStat))) continue;
    seenDirs.add(key(rootStat));
    const rootListing = yield* listing(root);
    if (!rootListing) continue;
    // Depth first without recursion: one frame per open folder.
    const stack = [{ dir: root, inDir: childPath(root), ...rootListing, next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next >= frame.entries.length) {
        stack.pop();
        continue;
      }
      const looked = frame.stats[frame.next];
      const e = frame.entries[frame.next++];
      if (--budget < 0) {
        if (strictBudget !== undefined) throw new OverBudget();
        report(root, `more than ${MAX_LIBRARY_ENTRIES} folder entries: the rest is not read`);
        return out;
      }
      const p = frame.inDir(e.name);
      const isWanted = wanted(e.name);
      if (!looked) continue;
      if ('error' in looked) {
        if (isWanted) report(p, ioReason(looked.error));
        continue;
      }
      const st = looked.stat;
      if (st.isDirectory()) {
        if (arch && (OTHER_RUNTIMES.has(e.name) || (ARCH_DIRS.has(e.name) && e.name !== arch))) continue;
        if (seenDirs.has(key(st))) continue; // a link cycle, or a folder already walked
        seenDirs.add(key(st));
        if (stack.length > MAX_LIBRARY_DEPTH) {
          report(p, `more than ${MAX_LIBRARY_DEPTH} folder levels deep: not read`);
          continue;
        }
        const sub = yield* listing(p);
        if (sub) stack.push({ dir: p, inDir: childPath(p), ...sub, next: 0 });
      } else if (isWanted) {
        if (!st.isFile()) report(p, notRegular(st));
        else if (st.size > MAX_LIBRARY_FILE_BYTES) report(p, tooLarge(st.size, MAX_LIBRARY_FILE_BYTES));
        else if (!seenFiles.has(key(st))) {
          seenFiles.add(key(st));
          out.push({ path: p, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs });
        }
      }
    }
  }
  return out;
}

/**
 * Regular files below `dir` with one of the extensions, in stable order. With
 * `arch`, only the folders stap reads for that architecture and the kernel
 * runtime. What is left out is reported.
 */
export function listFiles(dir: string, extensions: string[], arch?: string, report: SkipReporter = ignore): string[] {
  return runSync(walk([dir], extensions, arch, report)).map((f) => f.path);
}

/** listFiles over several folders, without blocking. */
export async function listFilesAsync(dirs: readonly (string | undefined)[], extensions: string[], arch: string | undefined, report: SkipReporter = ignore): Promise<string[]> {
  return (await listLibraryFilesAsync(dirs, extensions, arch, report)).map((f) => f.path);
}

/** listLibraryFilesAsync, synchronously: for a command line, which waits for nothing else. */
export function listLibraryFiles(dirs: readonly (string | undefined)[], extensions: string[], arch: string | undefined, report: SkipReporter = ignore): ListedFile[] {
  return runSync(
    walk(
      dirs.filter((d): d is string => !!d),
      extensions,
      arch,
      report,
    ),
  );
}

/**
 * listLibraryFiles, if the walk looks at no more than `maxEntries` folder
 * entries; else undefined, with nothing reported. For the server: a small
 * library is listed in a fraction of the CPU time the thread pool's round
 * trips cost, and a large one (an include folder set to `~`) is left to
 * listLibraryFilesAsync, lest the server stop answering while it is walked.
 */
export function listLibraryFilesWithin(
  dirs: readonly (string | undefined)[],
  extensions: string[],
  arch: string | undefined,
  maxEntries: number,
  report: SkipReporter = ignore,
): ListedFile[] | undefined {
  const told: [string, string][] = [];
  let files: ListedFile[];
  try {
    files = runSync(
      walk(
        dirs.filter((d): d is string => !!d),
        extensions,
        arch,
        (file, reason) => told.push([file, reason]),
        maxEntries,
      ),
    );
  } catch (e) {
    if (e instanceof OverBudget) return undefined;
    throw e;
  }
  for (const [file, reason] of told) report(file, reason);
  return files;
}

/** listFilesAsync with each file's size and times, as the walk saw them. */
export function listLibraryFilesAsync(dirs: readonly (string | undefined)[], extensions: string[], arch: string | undefined, report: SkipReporter = ignore): Promise<ListedFile[]> {
  return runAsync(
    walk(
      dirs.filter((d): d is string => !!d),
      extensions,
      arch,
      report,
    ),
  );
}

/** Uses a file's text; if that throws, the file is reported and left out. */
function useFile(file: string, text: string, report: SkipReporter, use: (file: string, text: string) => void): void {
  try {
    use(file, text);
  } catch (e) {
    report(file, `internal error while reading it: ${clip((e as Error)?.message ?? String(e))}`);
  }
}

/**
 * Reads the library files listed by `files`, one at a time; what cannot be
 * read is reported and left out. `use` may throw: that file is reported and
 * left out, the others stand.
 */
function* eachFile(files: readonly string[], report: SkipReporter, use: (file: string, text: string) => void): Steps<void> {
  for (const file of files) {
    let text: string;
    try {
      text = (yield { op: 'readRegular', path: file, maxBytes: MAX_LIBRARY_FILE_BYTES }) as string;
    } catch (e) {
      report(file, ioReason(e));
      continue;
    }
    useFile(file, text, report, use);
  }
}

function* macroSteps(dirs: readonly (string | undefined)[], arch: string, report: SkipReporter, texts?: Map<string, string>): Steps<Map<string, MacroDefinition>> {
  const files = yield* walk(
    dirs.filter((d): d is string => !!d),
    ['.stpm'],
    arch,
    report,
  );
  return yield* macroFileSteps(
    files.map((f) => f.path),
    report,
    texts,
  );
}

function* macroFileSteps(files: readonly string[], report: SkipReporter, texts?: Map<string, string>): Steps<Map<string, MacroDefinition>> {
  const macros = new Map<string, MacroDefinition>();
  yield* eachFile(files, report, (file, text) => addMacros(macros, file, text, texts));
  return macros;
}

/** The macros a `.stpm` file defines; a later file's win. */
function addMacros(macros: Map<string, MacroDefinition>, file: string, text: string, texts: Map<string, string> | undefined): void {
  const found = preprocess(lex(text).tokens).macros;
  for (const m of found) macros.set(m.name, { ...m, file });
  if (found.length > 0) texts?.set(file, text);
}

/**
 * The macros of the library's `.stpm` files, and of those in the include
 * folders (`stap -I DIR` loads them too). Later folders win. With `texts`,
 * the text of each file that defines one is kept there (their positions are
 * offsets into it).
 */
export function loadLibraryMacros(
  dir: string | undefined,
  arch = 'x86_64',
  includePaths: readonly string[] = [],
  report: SkipReporter = ignore,
  texts?: Map<string, string>,
): Map<string, MacroDefinition> {
  return runSync(macroSteps([dir, ...includePaths], arch, report, texts));
}

/** loadLibraryMacros without blocking: for the server. */
export function loadLibraryMacrosAsync(
  dir: string | undefined,
  arch: string,
  includePaths: readonly string[] = [],
  report: SkipReporter = ignore,
  texts?: Map<string, string>,
): Promise<Map<string, MacroDefinition>> {
  return runAsync(macroSteps([dir, ...includePaths], arch, report, texts));
}

/** readLibraryMacrosAsync, synchronously. */
export function readLibraryMacros(files: readonly string[], report: SkipReporter = ignore, texts?: Map<string, string>): Map<string, MacroDefinition> {
  return runSync(macroFileSteps(files, report, texts));
}

/** The macros of `.stpm` files already listed (in the order loadLibraryMacros takes them), without blocking. */
export async function readLibraryMacrosAsync(files: readonly string[], report: SkipReporter = ignore, texts?: Map<string, string>): Promise<Map<string, MacroDefinition>> {
  const macros = new Map<string, MacroDefinition>();
  // Read ahead, as the index is: at start-up the macros are on the way to the first hover.
  await forEachLibraryFile(files, report, (file, text) => addMacros(macros, file, text, texts));
  return macros;
}

/**
 * eachFile without blocking, for the index: a few files are read ahead while
 * one is used, and each read gives the event loop a turn.
 */
export async function forEachLibraryFile(files: readonly string[], report: SkipReporter, use: (file: string, text: string) => void, ahead = 8): Promise<void> {
  const reads = new Map<number, Promise<string>>();
  const start = (i: number) => {
    if (i >= files.length) return;
    const read = readRegularFile(files[i]);
    read.catch(() => undefined); // awaited below, in order
    reads.set(i, read);
  };
  for (let i = 0; i < ahead; i++) start(i);
  for (let i = 0; i < files.length; i++) {
    start(i + ahead);
    let text: string;
    try {
      text = await reads.get(i)!;
    } catch (e) {
      report(files[i], ioReason(e));
      continue;
    } finally {
      reads.delete(i);
    }
    useFile(files[i], text, report, use);
  }
}
