// The environment a script is checked in: the tapset library (its macros,
// the text of the files defining them, and the index of its functions and
// probe aliases), the include folders, the target kernel and architecture,
// the kernel's type data, and the C parser. Built from settings by the language server (one per
// settings scope) and by stap-check alike, so that both check a script
// against the same things. It tells its listeners when something finished
// loading; it knows nothing of LSP.

import * as fs from 'fs';
import { AnalysisOptions } from '../analysis/analyze';
import { LibraryMacros } from '../analysis/libraryMacroColumns';
import { EMPTY_INDEX, indexLibraryFiles, TapsetIndex } from '../analysis/tapsetIndex';
import { IndexCacheKey, TapsetIndexCache } from '../analysis/tapsetIndexCache';
import {
  clip,
  findTapsetDir,
  ListedFile,
  listLibraryFiles,
  listLibraryFilesAsync,
  listLibraryFilesWithin,
  QUICK_LISTING_ENTRIES,
  readLibraryMacros,
  readLibraryMacrosAsync,
  SkipReporter,
} from '../analysis/tapsetLibrary';
import { kernelReleaseOf, machineTarget, tapsetArchDir } from '../analysis/target';
import { CParser, loadCParser } from '../embedded/cParser';
import { KernelHeaders, kernelHeaders, kernelIncludeDirs } from '../embedded/kernelHeaders';
import { KernelTypes } from '../kernel/kernelTypes';
import { acquireKernel, KernelLoad, KernelSources } from '../kernel/loadKernel';
import { MacroDefinition, PreprocessorTarget } from '../syntax/preprocessor';

/** What an environment is built from: the settings, or stap-check's options. */
export interface EnvironmentSettings {
  /** A kernel release (`6.1.0-13-amd64`) or a kernel build directory, as `stap -r` takes it; empty: this machine's. */
  kernelRelease?: string;
  /** `uname -m` spelling; empty: this machine's. */
  arch?: string;
  /** More tapset folders, as `stap -I DIR` adds them, already resolved by the caller. */
  includePaths?: readonly string[];
  /** The tapset library; empty: the installed one. */
  tapsetDir?: string;
  /** `stap -g`: for `%( guru_mode == 1 %)`. */
  guru?: boolean;
  /** The kernel's type data: a BTF or vmlinux file (a path, already resolved), 'none', or empty for the running kernel's when it is the target. */
  kernelTypes?: string;
}

/** The settings as the environment uses them: two settings that resolve alike give the same environment. */
export interface ResolvedSettings {
  tapsetDir: string | undefined;
  kernelRelease: string;
  arch: string;
  includePaths: readonly string[];
  guru: boolean;
  kernelTypes: string;
  /** The target kernel's build tree (the setting when it is one, else /lib/modules/RELEASE/build), its real path; empty when it has no kernel headers. */
  kernelBuildTree: string;
}

export function resolveSettings(settings: EnvironmentSettings): ResolvedSettings {
  const target = machineTarget({ kernelRelease: kernelReleaseOf(settings.kernelRelease ?? ''), arch: settings.arch, guru: settings.guru });
  return {
    tapsetDir: findTapsetDir(settings.tapsetDir || undefined),
    kernelRelease: target.kernelRelease,
    arch: target.arch,
    includePaths: [...(settings.includePaths ?? [])],
    guru: target.guruMode,
    kernelTypes: settings.kernelTypes ?? '',
    kernelBuildTree: headersTree(settings.kernelRelease?.includes('/') ? settings.kernelRelease : `/lib/modules/${target.kernelRelease}/build`, target.arch),
  };
}

/** A build tree's real path when it holds kernel headers, so that a release and the tree it names resolve alike; else empty. */
function headersTree(tree: string, arch: string): string {
  try {
    const real = fs.realpathSync(tree);
    return kernelIncludeDirs(real, arch).length ? real : '';
  } catch {
    return '';
  }
}

/** Identifies an environment: equal keys, equal environments. */
export const environmentKey = (s: ResolvedSettings): string => JSON.stringify([s.tapsetDir ?? null, s.kernelRelease, s.arch, s.includePaths, s.guru, s.kernelTypes, s.kernelBuildTree]);

export interface EnvironmentHooks {
  /** Index the library's functions and probe aliases (default true). */
  index?: boolean;
  /** Load the C grammar for the embedded-C checks (default true). */
  cParser?: boolean;
  /** Where the index is kept between runs; read when loading starts. None: the index is built every time. */
  indexCache?: TapsetIndexCache;
  /** Load the kernel's type data for the kernel checks (default true); 'onRequest': only when `loadKernelNow()` asks. */
  kernel?: boolean | 'onRequest';
  /** Where the running kernel's type data is read from (default: /sys/kernel/btf, /proc/kallsyms, uname -r). */
  kernelSources?: KernelSources;
  /**
   * Read the library's folders and macro files synchronously (default false:
   * the server waits on the disk only to list a small library, which every
   * library request waits for anyway). For stap-check, which has nothing
   * else to do meanwhile: a synchronous read costs a fraction of a round trip
   * through the thread pool.
   */
  syncIo?: boolean;
  /** Told about each library file left out. Environments that share one `reportOnce` tell of a file once. */
  report?: SkipReporter;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** What the caller says about the document beyond the environment. */
export type DocumentOptions = Pick<AnalysisOptions, 'isLibrary' | 'guru' | 'syntaxOnly' | 'limits' | 'scriptArgs' | 'scriptArgsSource' | 'globalValues'>;

/** Where the kernel's type data stands; `message` is for a status line or a log. */
export interface KernelStatus {
  state: 'loading' | 'loaded' | 'none' | 'failed' | 'off';
  message: string;
}

export interface Disposable {
  dispose(): void;
}

export class Environment {
  readonly settings: ResolvedSettings;
  readonly key: string;
  /** What `%( kernel_v %)`, `%( arch %)` and `%( guru_mode %)` are evaluated for. */
  readonly target: PreprocessorTarget;

  private macros: ReadonlyMap<string, MacroDefinition> = new Map();
  private macroTexts: ReadonlyMap<string, string> = new Map(); // the .stpm files as read, for Go to Definition
  private loadedMacros = false;
  private tapsetIndex: TapsetIndex = EMPTY_INDEX;
  private functions: ReadonlySet<string> | undefined; // undefined until the library is indexed
  private parser: CParser | undefined;
  private kernelTypes: KernelTypes | undefined;
  private headers: KernelHeaders | null | undefined; // null: looked for, there is no build tree
  private kernelState: KernelStatus;
  private kernelLoading: Promise<void> | undefined;
  private releaseKernel: (() => void) | undefined;
  private loading: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private indexSettled = false;
  private settleIndex!: () => void;
  private readonly indexSettling = new Promise<void>((resolve) => (this.settleIndex = resolve));
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    settings: EnvironmentSettings,
    private readonly hooks: EnvironmentHooks = {},
  ) {
    this.settings = resolveSettings(settings);
    this.key = environmentKey(this.settings);
    this.target = machineTarget({ kernelRelease: this.settings.kernelRelease, arch: this.settings.arch, guru: this.settings.guru });
    this.kernelState = hooks.kernel === false ? { state: 'off', message: 'kernel checks are not run here' } : { state: 'loading', message: 'loading the kernel type data' };
  }

  get tapsetDir(): string | undefined {
    return this.settings.tapsetDir;
  }

  get includePaths(): readonly string[] {
    return this.settings.includePaths;
  }

  /** The library's macros (`@define` in `.stpm` files), once loaded; empty before. */
  get libraryMacros(): ReadonlyMap<string, MacroDefinition> {
    return this.macros;
  }

  /**
   * Whether the library's macros are known (or failed to load). Until then a
   * script using them would get false errors: the server waits for this.
   */
  get macrosLoaded(): boolean {
    return this.loadedMacros;
  }

  /** The library's functions and probe aliases, once indexed; empty before. */
  get index(): TapsetIndex {
    return this.tapsetIndex;
  }

  /**
   * Whether the index is what it will be: built, read from the cache, failed,
   * not wanted, or the environment disposed. Until then `index` is empty and
   * requests about library names wait for `whenIndexed()`.
   */
  get indexed(): boolean {
    return this.indexSettled;
  }

  /** Resolves once `indexed` is true (after the listeners were told); loading must have been started. */
  whenIndexed(): Promise<void> {
    return this.indexSettling;
  }

  /** Resolves when the index cache being written (if any) is written or failed: a server shutting down waits for it. */
  whenWritten(): Promise<void> {
    return this.writing;
  }

  /** The library's function names, once indexed; undefined before, or when there is no library (every call would look unknown). */
  get libraryFunctions(): ReadonlySet<string> | undefined {
    return this.functions;
  }

  get cParser(): CParser | undefined {
    return this.parser;
  }

  /** The target kernel's functions and types, once loaded; undefined before, and when there are none for the target kernel. */
  get kernel(): KernelTypes | undefined {
    return this.kernelTypes;
  }

  /** The target kernel's headers, when its build tree has them (read as the analyses ask). */
  get kernelHeaders(): KernelHeaders | undefined {
    if (this.headers === undefined) this.headers = (this.settings.kernelBuildTree && kernelHeaders(this.settings.kernelBuildTree, this.settings.arch)) || null;
    return this.headers ?? undefined;
  }

  /** Whether there is kernel type data, and if not, why: for a status the client can show. */
  get kernelStatus(): KernelStatus {
    return this.kernelState;
  }

  /** A `.stpm` file that defines macros, as it was read (macro offsets are into this text). */
  readLibraryFile(file: string): string | undefined {
    return this.macroTexts.get(file);
  }

  /** Whether a file is library code: a `.stpm` file, or a file below the tapset library or an include folder. */
  isLibraryFile(file: string): boolean {
    return file.endsWith('.stpm') || [this.tapsetDir, ...this.includePaths].some((dir) => !!dir && file.startsWith(dir + '/'));
  }

  /** What analyzing a document needs; `file` (a path) tells whether it is library code. */
  analysisOptions(file: string | undefined, document: DocumentOptions = {}): AnalysisOptions {
    const { functions, tapsetIndex, tapsetDir } = this;
    return {
      ...document,
      isLibrary: document.isLibrary ?? (file !== undefined && this.isLibraryFile(file)),
      target: this.target,
      libraryMacros: this.macros,
      cParser: this.parser,
      libraryFunctions: this.functions,
      librarySignatures: this.functions ? this.tapsetIndex.functions : undefined,
      libraryGlobals: this.functions ? this.tapsetIndex.globals : undefined,
      // Include folders alone do not make a library: every library alias would look unknown.
      // Read when the checks run: an index read from the cache makes its aliases when first asked for.
      get libraryProbes() {
        return functions && tapsetDir ? tapsetIndex.probes : undefined;
      },
      kernel: this.kernelTypes,
      kernelHeaders: this.kernelHeaders,
    };
  }

  /** Called whenever something finished loading (macros, C parser, index): analyses made before are out of date. */
  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Starts loading, once: the C grammar, then the library's macros, then
   * (once the grammar is in, as it matters more and indexing takes the CPU
   * for a while) the index, file by file without blocking. Resolves when all
   * is done; never rejects: what fails is logged and left out.
   */
  load(): Promise<void> {
    this.loading ??= this.run();
    return this.loading;
  }

  /** Stops loading at the next step; listeners are told nothing more. */
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.releaseKernel?.();
    this.indexDone();
  }

  private indexDone(): void {
    this.indexSettled = true;
    this.settleIndex();
  }

  private changed(): void {
    if (this.disposed) return;
    for (const listener of [...this.listeners]) listener();
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.hooks.log?.(level, message);
  }

  private async run(): Promise<void> {
    // The C grammar is loaded once the index is known to be cached or not: its
    // WebAssembly and module load would otherwise share the CPU with reading the
    // cached index, which every library request waits for.
    let parserLoading: Promise<void> | undefined;
    const parserSettled = () => (parserLoading ??= this.hooks.cParser === false ? Promise.resolve() : this.loadParser());
    const report = this.hooks.report ?? (() => undefined);
    const arch = tapsetArchDir(this.target.arch);
    try {
      const started = Date.now();
      const wantIndex = this.hooks.index !== false;
      // One walk for both: the macro files are part of what a cached index was built from.
      const dirs = [this.tapsetDir, ...this.includePaths];
      const extensions = wantIndex ? ['.stp', '.stpm'] : ['.stpm'];
      const cache = wantIndex ? this.hooks.indexCache : undefined;
      // The cache file is read while the library is listed: its read is started first.
      let listedNow!: (files: readonly ListedFile[] | Promise<readonly ListedFile[]>) => void;
      const listing = new Promise<readonly ListedFile[]>((resolve) => (listedNow = resolve));
      const cached = cache?.read({ environment: this.key, files: listing });
      try {
        // A small library synchronously, a large one without blocking: see listLibraryFilesWithin.
        const now = this.hooks.syncIo ? listLibraryFiles(dirs, extensions, arch, report) : listLibraryFilesWithin(dirs, extensions, arch, QUICK_LISTING_ENTRIES, report);
        listedNow(now ?? listLibraryFilesAsync(dirs, extensions, arch, report));
      } catch (e) {
        listedNow(Promise.reject(e as Error));
      }
      const listed = await listing;
      if (this.disposed) return;
      const key: IndexCacheKey = { environment: this.key, files: listed };
      const read = await cached;
      if (this.disposed) return;
      if (read && 'hit' in read) {
        // Macros and index in one change: documents are checked once.
        for (const [file, reason] of read.hit.skipped) report(file, reason);
        this.useMacros(read.hit.macros);
        this.useIndex(read.hit.index);
        this.changed();
        this.indexDone();
        const ms = Date.now() - started;
        // Requests waiting for the index are answered before the C grammar and the kernel's data load, and before
        // the count of probe aliases below makes them.
        await new Promise((resolve) => setImmediate(resolve));
        this.log('info', `tapset library indexed: ${read.hit.index.functions.size} functions, ${read.hit.index.probes.size} probe aliases, read from ${cache!.fileFor(this.key)} in ${ms} ms`);
        return;
      }
      if (read) this.log('info', `tapset index cache not used: ${read.miss}`);
      // What is left out is kept with the index, to be told again when it is read back.
      const skipped: [string, string][] = [];
      const skip = (file: string, reason: string) => {
        skipped.push([file, reason]);
        report(file, reason);
      };
      const texts = new Map<string, string>();
      const macroFiles = listed.filter((f) => f.path.endsWith('.stpm')).map((f) => f.path);
      const macros = this.hooks.syncIo ? readLibraryMacros(macroFiles, skip, texts) : await readLibraryMacrosAsync(macroFiles, skip, texts);
      if (this.disposed) return;
      this.useMacros({ macros, texts });
      this.changed();
      await parserSettled();
      if (this.disposed || !wantIndex) return;
      const indexStarted = Date.now();
      const stpFiles = listed.filter((f) => f.path.endsWith('.stp')).map((f) => f.path);
      const index = await indexLibraryFiles(stpFiles, this.target, macros, skip);
      if (this.disposed) return;
      this.useIndex(index);
      this.changed();
      this.indexDone();
      this.log('info', `tapset library indexed: ${index.functions.size} functions, ${index.probes.size} probe aliases in ${Date.now() - indexStarted} ms`);
      // After the index, which requests wait for: the two would share the CPU at start-up.
      this.startKernel();
      // An empty library (none installed, no include folder) is quick to index again.
      if (cache && listed.length > 0) {
        this.writing = cache
          .write(key, { index, macros: { macros, texts }, skipped })
          .catch((e) => this.log('warn', `cannot keep the tapset index in ${cache.dir}: ${clip((e as Error)?.message ?? String(e))}; it is built again at each start`));
        await this.writing;
      }
    } catch (e) {
      this.log('error', `cannot load the tapset library: ${(e as Error)?.stack ?? e}`);
      if (this.disposed) return;
      this.loadedMacros = true;
      this.changed();
      this.startKernel();
    } finally {
      this.indexDone();
      // Whatever way loading ended (no index wanted, say), the kernel's data comes last.
      if (!this.disposed) this.startKernel();
      await parserSettled();
      await this.kernelLoading;
    }
  }

  private useMacros({ macros, texts }: LibraryMacros): void {
    this.macros = macros;
    this.macroTexts = texts;
    this.loadedMacros = true;
  }

  private useIndex(index: TapsetIndex): void {
    this.tapsetIndex = index;
    // No library, no check: every call would look unknown.
    this.functions = index.functions.size > 0 ? new Set(index.functions.keys()) : undefined;
  }

  private startKernel(): void {
    if (this.hooks.kernel !== false && this.hooks.kernel !== 'onRequest') this.kernelLoading ??= this.loadKernel();
  }

  /** Loads the kernel's type data now, symbol table included, unless the kernel checks are off; resolves when done. */
  async loadKernelNow(): Promise<void> {
    if (this.hooks.kernel === false) return;
    this.kernelLoading ??= this.loadKernel();
    await this.kernelLoading;
  }

  private async loadKernel(): Promise<void> {
    if (this.disposed) return;
    // Environments of the same kernel share its data: it is loaded, and told of, once.
    const shared = acquireKernel({ kernelTypes: this.settings.kernelTypes, kernelRelease: this.target.kernelRelease }, this.hooks.kernelSources);
    this.releaseKernel = shared.release;
    let loaded: KernelLoad;
    try {
      loaded = await shared.load;
    } catch (e) {
      loaded = { state: 'failed', message: `cannot load the kernel type data: ${(e as Error)?.stack ?? e}` };
    }
    if (this.disposed) return;
    if (loaded.state !== 'loaded') {
      this.kernelState = { state: loaded.state, message: loaded.message };
      // A file the settings name that cannot be used is worth a warning.
      if (shared.first) this.log(loaded.state === 'failed' ? 'warn' : 'info', loaded.message);
      return;
    }
    this.kernelTypes = loaded.types;
    this.kernelState = { state: 'loaded', message: loaded.message };
    if (shared.first) this.log('info', loaded.message);
    this.changed();
    const failed = await loaded.symbols;
    if (this.disposed) return;
    if (failed && shared.first) this.log('warn', failed);
    // The function names BTF lacks are in: the function check can speak.
    this.changed();
  }

  private async loadParser(): Promise<void> {
    try {
      const parser = await loadCParser();
      if (this.disposed) return;
      this.parser = parser;
      this.changed();
    } catch (e) {
      this.log('warn', `embedded C checks disabled: cannot load the C grammar: ${(e as Error)?.message ?? e}`);
    }
  }
}

/**
 * Environments shared by settings: users whose settings resolve alike get
 * the same environment, so that a library is read and indexed once. The last
 * user to release one disposes it.
 */
export class EnvironmentPool {
  private readonly byKey = new Map<string, { environment: Environment; users: number }>();

  constructor(private readonly hooks: EnvironmentHooks = {}) {}

  /** The environment for these settings, loading; release it when done with it. */
  acquire(settings: EnvironmentSettings): Environment {
    const resolved = resolveSettings(settings);
    const key = environmentKey(resolved);
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { environment: new Environment(resolved, this.hooks), users: 0 };
      this.byKey.set(key, entry);
      void entry.environment.load();
    }
    entry.users++;
    return entry.environment;
  }

  release(environment: Environment): void {
    const entry = this.byKey.get(environment.key);
    if (!entry || entry.environment !== environment) return;
    if (--entry.users > 0) return;
    this.byKey.delete(environment.key);
    environment.dispose();
  }

  /** The environments in use. */
  all(): Environment[] {
    return [...this.byKey.values()].map((e) => e.environment);
  }
}
