// The environments of a workspace, one per settings scope. Every `systemtap.*`
// setting is `scope: resource`: a workspace folder may set its own kernel
// release, architecture or include folders. A document's scope is the
// workspace folder it is in, or, outside every folder, the document itself;
// its settings are read with that scope's URI. Scopes whose settings resolve
// alike share one environment (EnvironmentPool): a library is indexed once.

import { URI } from 'vscode-uri';
import { globalOptionNames } from '../analysis/globalOptions';
import { OPTIONS_WITH_ARGUMENT } from '../analysis/shebang';
import { DEFAULT_SERVER_SETTINGS, readRunExtraArgs, resolveIncludePaths, resolveKernelTypes, ServerSettings, workspaceFolderOf } from '../workspaceSettings';
import { Disposable, Environment, EnvironmentPool, EnvironmentSettings } from './environment';

/** A request's cancellation, as LSP gives it. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): Disposable;
}

/** The scope of the workspace's own settings (no scopeUri), read while there is no workspace folder. */
export const WORKSPACE_SCOPE = '';

/**
 * Reads the `systemtap` section for a scope (a URI; WORKSPACE_SCOPE: without
 * one). May reject or never answer: the defaults are used meanwhile.
 */
export type SettingsReader = (scopeUri: string | undefined) => Promise<unknown>;

interface Scope {
  uri: string;
  environment?: Environment;
  subscription?: Disposable;
  /** Counts reads: an answer to an older one is dropped. */
  generation: number;
  /** The globals the Run command's extra arguments give a value (`-G NAME=VALUE`), by name. */
  globalValues: readonly string[];
}

/** A file path for a `file:` URI, else undefined. */
function filePath(uri: string): string | undefined {
  try {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** What an environment is built from, for the settings read for a scope. */
export function environmentSettings(read: unknown, scopeUri: string, folders: readonly string[]): EnvironmentSettings {
  const settings: ServerSettings = { ...DEFAULT_SERVER_SETTINGS, ...(read && typeof read === 'object' ? (read as Partial<ServerSettings>) : {}) };
  const folderPaths = folders.map(filePath).filter((p): p is string => p !== undefined);
  const scopeFile = scopeUri === WORKSPACE_SCOPE ? undefined : filePath(scopeUri);
  return {
    kernelRelease: String(settings.kernelRelease ?? ''),
    arch: String(settings.arch ?? ''),
    includePaths: resolveIncludePaths(settings.includePaths, scopeFile, folderPaths),
    kernelTypes: resolveKernelTypes(settings.kernelTypes, scopeFile, folderPaths),
  };
}

export class EnvironmentScopes {
  private folders: string[] = [];
  private readonly scopes = new Map<string, Scope>();
  private readonly listeners = new Set<(scope: string) => void>();

  constructor(
    private readonly pool: EnvironmentPool,
    private readonly read: SettingsReader,
    /** How long a scope waits for its settings before it takes the defaults (and then the settings, when they come). */
    private readonly settingsWaitMs = 2000,
  ) {}

  /** The workspace folders' URIs. */
  get workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /** A document's scope: the innermost workspace folder holding it, else the document itself. */
  scopeOf(documentUri: string): string {
    const file = filePath(documentUri);
    if (file === undefined) return documentUri;
    const paths = new Map(this.folders.map((f) => [filePath(f), f] as const));
    const folder = workspaceFolderOf(
      file,
      [...paths.keys()].filter((p): p is string => p !== undefined),
    );
    return folder === undefined ? documentUri : paths.get(folder)!;
  }

  /**
   * The environment a document is checked in. Until its scope's settings are
   * known (a document just opened outside every folder), requests are
   * answered in the workspace's or the first folder's; undefined before any
   * settings are known.
   */
  environmentOf(documentUri: string): Environment | undefined {
    return this.scopes.get(this.scopeOf(documentUri))?.environment ?? (this.scopes.get(WORKSPACE_SCOPE) ?? this.scopes.get(this.folders[0]))?.environment;
  }

  /** The globals a run of the document gives a value with `-G` in `systemtap.run.extraArgs`, by name. */
  globalValuesOf(documentUri: string): readonly string[] {
    return this.scopes.get(this.scopeOf(documentUri))?.globalValues ?? [];
  }

  /** Whether the document's own scope has its environment: diagnostics wait for it, lest they flash. */
  isSettled(documentUri: string): boolean {
    return !!this.scopes.get(this.scopeOf(documentUri))?.environment;
  }

  /**
   * Resolves once the document's own scope has its environment and that
   * environment its library index (or gave up on it), or after `timeoutMs`,
   * or when cancelled, whichever comes first. Never rejects.
   */
  async whenIndexed(documentUri: string, timeoutMs: number, cancellation?: Cancellation): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const environment = this.isSettled(documentUri) ? this.environmentOf(documentUri) : undefined;
      if (environment?.indexed) return;
      const left = deadline - Date.now();
      if (left <= 0 || cancellation?.isCancellationRequested) return;
      // The environment finishes its index, or the scope gets (another) environment: look again.
      await new Promise<void>((resolve) => {
        const subscriptions: Disposable[] = [];
        let timer: NodeJS.Timeout | undefined = undefined;
        const done = () => {
          clearTimeout(timer);
          for (const s of subscriptions) s.dispose();
          resolve();
        };
        timer = setTimeout(done, left);
        subscriptions.push(this.onDidChange(done));
        if (cancellation) subscriptions.push(cancellation.onCancellationRequested(done));
        void environment?.whenIndexed().then(done);
      });
    }
  }

  /** Called with a scope whose environment changed or loaded more: its documents are to be checked again. */
  onDidChange(listener: (scope: string) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Keeps the scopes in use: the workspace folders (the workspace's own
   * settings while there is none, so that the library loads before a
   * document opens) and those of the open documents. New ones have their
   * settings read; the others are dropped.
   */
  update(folders: readonly string[], documentUris: Iterable<string>): void {
    this.folders = [...folders];
    const wanted = new Set<string>(this.folders.length > 0 ? this.folders : [WORKSPACE_SCOPE]);
    for (const uri of documentUris) wanted.add(this.scopeOf(uri));
    for (const [uri, scope] of this.scopes) {
      if (wanted.has(uri)) continue;
      this.scopes.delete(uri);
      this.drop(scope);
    }
    for (const uri of wanted) {
      if (this.scopes.has(uri)) continue;
      const scope: Scope = { uri, generation: 0, globalValues: [] };
      this.scopes.set(uri, scope);
      void this.refreshScope(scope);
    }
  }

  /** Reads the settings of every scope again (they changed). */
  async refresh(): Promise<void> {
    await Promise.all([...this.scopes.values()].map((s) => this.refreshScope(s)));
  }

  dispose(): void {
    for (const scope of this.scopes.values()) this.drop(scope);
    this.scopes.clear();
    this.listeners.clear();
  }

  private async refreshScope(scope: Scope): Promise<void> {
    const generation = ++scope.generation;
    const current = () => generation === scope.generation && this.scopes.get(scope.uri) === scope;
    const read = this.read(scope.uri === WORKSPACE_SCOPE ? undefined : scope.uri).then(
      (settings) => ({ settings }),
      () => ({ settings: undefined }),
    );
    // A client slow to answer does not hold the library up for long.
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.settingsWaitMs);
      timer.unref?.();
    });
    const first = await Promise.race([read, wait]);
    clearTimeout(timer);
    if (!current()) return;
    if (!first) {
      if (!scope.environment) this.use(scope, environmentSettings(undefined, scope.uri, this.folders));
      const late = await read;
      if (!current()) return;
      this.useRunArgs(scope, late.settings);
      this.use(scope, environmentSettings(late.settings, scope.uri, this.folders));
      return;
    }
    this.useRunArgs(scope, first.settings);
    this.use(scope, environmentSettings(first.settings, scope.uri, this.folders));
  }

  /** The scope's `-G` names from the Run command's extra arguments; a change has its documents checked again (the environment may stay the same). */
  private useRunArgs(scope: Scope, settings: unknown): void {
    const names = globalOptionNames(readRunExtraArgs(settings), OPTIONS_WITH_ARGUMENT);
    if (names.join('\0') === scope.globalValues.join('\0')) return;
    scope.globalValues = names;
    if (scope.environment) this.changed(scope.uri);
  }

  /** Gives a scope the environment for these settings; nothing happens if it has it already. */
  private use(scope: Scope, settings: EnvironmentSettings): void {
    const next = this.pool.acquire(settings);
    if (next === scope.environment) {
      this.pool.release(next);
      return;
    }
    this.drop(scope);
    scope.environment = next;
    scope.subscription = next.onDidChange(() => this.changed(scope.uri));
    this.changed(scope.uri);
  }

  private drop(scope: Scope): void {
    scope.subscription?.dispose();
    if (scope.environment) this.pool.release(scope.environment);
    scope.environment = undefined;
    scope.subscription = undefined;
  }

  private changed(scope: string): void {
    for (const listener of [...this.listeners]) listener(scope);
  }
}
