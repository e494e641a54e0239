// The language server's session: the open documents, their analyses, the
// environment of each settings scope, and the LSP requests answered from them.
// It is given a connection (`register`), so that a test can run it in-process
// over an in-memory one; server.ts gives it the real one.

import { CodeActionKind, Connection, ErrorCodes, InitializeParams, InitializeResult, ResponseError, ServerCapabilities, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis, AnalysisOptions, EDITOR_LIMITS } from './analysis/analyze';
import { AnalysisCache } from './analysis/documents';
import { EMPTY_INDEX, TapsetIndex } from './analysis/tapsetIndex';
import { indexCacheDirectory, serverBuildId, TapsetIndexCache } from './analysis/tapsetIndexCache';
import { findTapsetDir, reportOnce } from './analysis/tapsetLibrary';
import { machineTarget } from './analysis/target';
import { CParser, loadCParser } from './embedded/cParser';
import { Environment, EnvironmentHooks, EnvironmentPool } from './environment/environment';
import { Cancellation, EnvironmentScopes } from './environment/scopes';
import { codeActions } from './features/codeActions';
import { completionList } from './features/completion';
import { definition } from './features/definition';
import { toDiagnostics } from './features/diagnostics';
import { foldingRanges } from './features/folding';
import { hover } from './features/hover';
import { inactiveRegions } from './features/inactiveRegions';
import { inferredTypeHintsOn, inlayHints } from './features/inlayHints';
import { highlights, invalidName, prepareRename, references, rename } from './features/references';
import { resolveCompletion } from './features/scriptCompletion';
import { scriptInfo } from './features/scriptInfo';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './features/semanticTokens';
import { signatureHelp } from './features/signatureHelp';
import { documentSymbols } from './features/symbols';
import { WorkspaceSymbolIndex } from './features/workspaceSymbols';
import { embeddedRegionAt } from './features/cursorContext';
import { formatDocument, formatOnType, formatOptions, formatRange, ON_TYPE_TRIGGERS } from './format/requests';
import { FormatSettings, readFormatSettings } from './format/options';
import { INACTIVE_REGIONS_NOTIFICATION, PUBLISH_SCRIPT_INFO_NOTIFICATION, SCRIPT_ARGUMENTS_NOTIFICATION, SCRIPT_INFO_REQUEST } from './protocol';

// Re-analyse after a short pause in typing, not on every keystroke; a file
// whose analysis is slow waits for a longer pause, so typing stays fluent.
const DEBOUNCE_MS = 150;
const MAX_DEBOUNCE_MS = 3000;
// A request about library names waits this long at most for the library's index (built cold in about a
// second, several on a busy machine); the client cancels it sooner when the user moves on.
const LIBRARY_WAIT_MS = 10_000;
// At shutdown, an index being written to the cache is given this long to finish.
const SHUTDOWN_WRITE_WAIT_MS = 2000;

export interface StapServerOptions {
  /** Told to the client in `serverInfo`. */
  version?: string;
  /** How long a settings scope waits for the client's answer before it takes the defaults. */
  settingsWaitMs?: number;
  /**
   * Where the tapset index is kept between runs when the client names no
   * folder (`initializationOptions.cacheDirectory`): default
   * `$XDG_CACHE_HOME/systemtap-guru`; null: nowhere.
   */
  cacheDirectory?: string | null;
  /** How long a request about library names waits for the index (default LIBRARY_WAIT_MS). */
  libraryWaitMs?: number;
}

export class StapServer {
  readonly documents = new TextDocuments(TextDocument);
  private connection: Connection | undefined;
  private canReadSettings = false;
  private canWatchFolders = false;
  /** Whether the client asks again for inlay hints when told (`workspace/inlayHint/refresh`). */
  private canRefreshInlayHints = false;
  /** Whether the client asks again for semantic tokens when told (`workspace/semanticTokens/refresh`). */
  private canRefreshSemanticTokens = false;
  private workspaceFolders: string[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly logged = new Set<string>();
  private readonly environmentHooks: EnvironmentHooks;
  private readonly environments: EnvironmentPool;
  private readonly scopes: EnvironmentScopes;
  /** The C parser once loaded, for analyses made before any settings are known (`fallbackCParser`). */
  private cParser: CParser | undefined;
  /** The scripts of the workspace and include folders, for Go to Symbol in Workspace. */
  private readonly workspaceSymbols = new WorkspaceSymbolIndex();
  /** The arguments of each file's last run, as the client remembers them. */
  private readonly lastRunArgs = new Map<string, readonly string[]>();
  // Before the settings are read (a request that comes first): no library yet, but the C grammar once it is loaded.
  private readonly analyses = new AnalysisCache(
    (uri): AnalysisOptions =>
      this.environmentOf(uri)?.analysisOptions(URI.parse(uri).fsPath, { limits: EDITOR_LIMITS, ...this.scriptArgsOf(uri), globalValues: this.scopes.globalValuesOf(uri) }) ?? {
        target: machineTarget(),
        cParser: this.fallbackCParser(),
        isLibrary: uri.endsWith('.stpm'),
        limits: EDITOR_LIMITS,
      },
  );

  constructor(private readonly options: StapServerOptions = {}) {
    // A library file left out (not a regular file, too large, failed to parse) is told about once.
    const reportSkipped = reportOnce((file, reason) => this.connection?.console.warn(`tapset library: skipped ${file}: ${reason}`));
    // The index cache joins the hooks at `initialize`, before any environment loads.
    this.environmentHooks = { report: reportSkipped, log: (level, message) => this.log(level, message) };
    this.environments = new EnvironmentPool(this.environmentHooks);
    this.scopes = new EnvironmentScopes(this.environments, (scopeUri) => this.readSettings(scopeUri), options.settingsWaitMs);
    // The environment of a scope changed (its settings, or it loaded more): check its documents again.
    this.scopes.onDidChange((scope) => {
      for (const d of this.documents.all()) {
        if (this.scopes.scopeOf(d.uri) !== scope) continue;
        this.analyses.delete(d.uri);
        this.schedule(d, 0);
      }
      // The library's functions are coloured as such once it is indexed.
      if (this.canRefreshSemanticTokens) void Promise.resolve(this.connection?.languages.semanticTokens.refresh() as unknown).catch(() => undefined); // typed void, but a request
    });
  }

  /** What the server offers, as `initialize` answers. */
  capabilities(): ServerCapabilities {
    return {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      // A space only asks after `probe` (completion answers nothing elsewhere), `@` opens the `@` operators;
      // `$`, `->` and a probe point's `"` open the kernel's variables, members and names.
      completionProvider: { triggerCharacters: ['_', '.', ' ', '@', '$', '>', '"'], resolveProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: { label: 'SystemTap' },
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
      documentOnTypeFormattingProvider: { firstTriggerCharacter: ON_TYPE_TRIGGERS.first, moreTriggerCharacter: ON_TYPE_TRIGGERS.more },
      inlayHintProvider: true,
      workspaceSymbolProvider: true,
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
  }

  /** Answers on this connection; the caller then calls its `listen()`. */
  register(connection: Connection): void {
    this.connection = connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.initialized());
    connection.onDidChangeConfiguration(() => {
      void this.scopes.refresh();
      // The hints setting is read with each request: the editor asks again when told.
      if (this.canRefreshInlayHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
    });
    connection.onShutdown(async () => {
      // An index being written to the cache is finished, lest the next start build it again.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(this.environments.all().map((e) => e.whenWritten())), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WRITE_WAIT_MS)))]);
      clearTimeout(timer);
      this.dispose();
    });

    // Requests about library names wait for the library's index; in embedded C they need none.
    connection.onHover(async (p, token) => {
      if (!this.inEmbeddedC(p.textDocument.uri, p.position)) await this.libraryReady(p.textDocument.uri, token);
      return this.withAnalysis(p.textDocument.uri, null, (a, d) => hover(a, d, d.offsetAt(p.position), this.indexOf(p.textDocument.uri), this.environmentOf(p.textDocument.uri)?.kernel));
    });
    connection.onCompletion(async (p, token) => {
      if (!this.inEmbeddedC(p.textDocument.uri, p.position)) await this.libraryReady(p.textDocument.uri, token);
      return this.withAnalysis(p.textDocument.uri, [], (a, d) => {
        const environment = this.environmentOf(p.textDocument.uri);
        const extras = { libraryMacros: environment?.libraryMacros, scriptArgs: this.lastRunArgs.get(p.textDocument.uri) };
        const list = completionList(a, d, d.offsetAt(p.position), this.indexOf(p.textDocument.uri), p.context?.triggerCharacter, environment?.kernel, extras);
        // Resolving an item looks in the library of the document it was offered in.
        const items = list.items.map((item) => (item.data ? { ...item, data: { ...item.data, uri: p.textDocument.uri } } : item));
        return list.isIncomplete ? { isIncomplete: true, items } : items;
      });
    });
    connection.onCompletionResolve(async (item, token) => {
      const uri = String((item.data as { uri?: unknown } | undefined)?.uri ?? '');
      await this.libraryReady(uri, token);
      return resolveCompletion(item, this.indexOf(uri));
    });
    // Also pushed with the diagnostics (publish); the request stays for other editors, and for our client when no push came.
    connection.onRequest(SCRIPT_INFO_REQUEST, (p) => this.withAnalysis(p.uri, null, (a, d) => scriptInfo(a, d, this.isLibraryFile(p.uri))));
    connection.onNotification(SCRIPT_ARGUMENTS_NOTIFICATION, (p) => {
      if (p.args) this.lastRunArgs.set(p.uri, p.args.map(String));
      else this.lastRunArgs.delete(p.uri);
      this.analyses.delete(p.uri);
      const document = this.documents.get(p.uri);
      if (document) this.schedule(document, 0);
    });
    connection.onDocumentSymbol((p) => this.withAnalysis(p.textDocument.uri, [], (a, d) => documentSymbols(a, d)));
    connection.onFoldingRanges((p) => this.withAnalysis(p.textDocument.uri, [], (a, d) => foldingRanges(a, d)));
    connection.onDefinition(async (p, token) => {
      await this.libraryReady(p.textDocument.uri, token);
      return this.withAnalysis(p.textDocument.uri, [], (a, d) => definition(a, d, d.offsetAt(p.position), this.libraryOf(p.textDocument.uri)));
    });
    connection.onReferences((p) => this.withAnalysis(p.textDocument.uri, [], (a, d) => references(a, d, d.offsetAt(p.position), p.context.includeDeclaration)));
    connection.onDocumentHighlight((p) => this.withAnalysis(p.textDocument.uri, [], (a, d) => highlights(a, d, d.offsetAt(p.position))));
    connection.onPrepareRename((p) => this.withAnalysis(p.textDocument.uri, null, (a, d) => prepareRename(a, d, d.offsetAt(p.position))));
    connection.onRenameRequest((p) => {
      const invalid = invalidName(p.newName);
      if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
      return this.withAnalysis(p.textDocument.uri, null, (a, d) => rename(a, d, d.offsetAt(p.position), p.newName));
    });
    connection.onSignatureHelp(async (p, token) => {
      await this.libraryReady(p.textDocument.uri, token);
      return this.withAnalysis(p.textDocument.uri, null, (a, d) => signatureHelp(a, d.offsetAt(p.position), this.indexOf(p.textDocument.uri)));
    });
    connection.onDocumentFormatting(async (p) => {
      const options = formatOptions(p.options, await this.formatSettings(p.textDocument.uri));
      return this.withDocument(p.textDocument.uri, (d) => formatDocument(d, options));
    });
    connection.onDocumentRangeFormatting(async (p) => {
      const options = formatOptions(p.options, await this.formatSettings(p.textDocument.uri));
      return this.withDocument(p.textDocument.uri, (d) => formatRange(d, p.range, options));
    });
    connection.onDocumentOnTypeFormatting(async (p) => {
      const options = formatOptions(p.options, await this.formatSettings(p.textDocument.uri));
      return this.withDocument(p.textDocument.uri, (d) => formatOnType(d, p.position, p.ch, options));
    });
    connection.languages.inlayHint.on(async (p) => {
      if (!(await this.inferredTypeHintsWanted(p.textDocument.uri))) return [];
      return this.withAnalysis(p.textDocument.uri, [], (a, d) => inlayHints(a, d, p.range));
    });
    connection.onWorkspaceSymbol(async (p, token) => {
      const roots = [
        ...this.workspaceFolders
          .map((f) => URI.parse(f))
          .filter((u) => u.scheme === 'file')
          .map((u) => u.fsPath),
        ...this.environments.all().flatMap((e) => e.includePaths),
      ];
      this.workspaceSymbols.setRoots(roots);
      const open = this.documents.all().flatMap((d) => this.withAnalysis(d.uri, [], (a) => [{ uri: d.uri, text: a.text, script: a.script }]));
      return this.workspaceSymbols.query(p.query, { open, library: this.environments.all()[0]?.index, cancel: token });
    });
    // The client watches the workspace's scripts (a file created, changed or deleted outside the editor).
    connection.onDidChangeWatchedFiles((p) => {
      for (const change of p.changes) {
        const uri = URI.parse(change.uri);
        if (uri.scheme === 'file') this.workspaceSymbols.changed(uri.fsPath);
      }
    });
    connection.languages.semanticTokens.on((p) => this.withAnalysis(p.textDocument.uri, { data: [] }, (a, d) => semanticTokens(a, d)));
    connection.languages.semanticTokens.onRange((p) =>
      this.withAnalysis(p.textDocument.uri, { data: [] }, (a, d) => semanticTokens(a, d, { start: d.offsetAt(p.range.start), end: d.offsetAt(p.range.end) })),
    );
    connection.onCodeAction((p) => this.withAnalysis(p.textDocument.uri, [], (a, d) => codeActions(a, d, p.range, p.context.diagnostics)));

    this.documents.onDidOpen((e) => {
      this.updateScopes();
      this.schedule(e.document, 0);
    });
    this.documents.onDidChangeContent((e) => this.schedule(e.document));
    this.documents.onDidClose((e) => {
      clearTimeout(this.pending.get(e.document.uri));
      this.pending.delete(e.document.uri);
      this.analyses.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
      this.updateScopes();
    });
    this.documents.listen(connection);
  }

  /** Stops the background work: pending checks, library loads. */
  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.scopes.dispose();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.canReadSettings = !!params.capabilities.workspace?.configuration;
    this.canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
    this.canRefreshInlayHints = !!params.capabilities.workspace?.inlayHint?.refreshSupport;
    this.canRefreshSemanticTokens = !!params.capabilities.workspace?.semanticTokens?.refreshSupport;
    this.workspaceFolders = params.workspaceFolders ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [];
    const cacheDirectory = indexCacheDirectory(params.initializationOptions, this.options.cacheDirectory);
    this.environmentHooks.indexCache = cacheDirectory ? new TapsetIndexCache(cacheDirectory, serverBuildId(this.options.version ?? 'dev')) : undefined;
    return { capabilities: this.capabilities(), serverInfo: { name: 'stap-language-server', version: this.options.version ?? 'dev' } };
  }

  private initialized(): void {
    if (!findTapsetDir()) this.connection?.console.info('no SystemTap tapset library found (install systemtap): library macros are unknown');
    // The library of each workspace folder (include folders too) loads once its settings are known.
    this.updateScopes();
    if (this.canWatchFolders && this.connection) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => f.uri));
        this.workspaceFolders = [...this.workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => f.uri)];
        this.updateScopes();
        // A document may be in another folder now, or in none.
        this.reanalyzeAll();
      });
    }
  }

  /**
   * The C grammar for an analysis made before any settings are known, loaded
   * when first asked for. Not at start-up: each environment loads it (before
   * indexing the library, or just after reading the index from the cache,
   * which library requests wait for), and the two would share the CPU.
   */
  private fallbackCParser(): CParser | undefined {
    if (!this.cParser)
      void loadCParser().then(
        (parser) => (this.cParser = parser),
        () => undefined, // each environment tells
      );
    return this.cParser;
  }

  /** Errors and warnings are told once: every environment would tell of a missing C grammar. */
  private log(level: 'info' | 'warn' | 'error', message: string): void {
    if (level !== 'info') {
      if (this.logged.has(message)) return;
      this.logged.add(message);
    }
    this.connection?.console[level](message);
  }

  /** The `systemtap` settings of a scope (a workspace folder, or a document outside every folder). */
  private async readSettings(scopeUri: string | undefined): Promise<unknown> {
    if (!this.canReadSettings || !this.connection) return undefined;
    try {
      return await this.connection.workspace.getConfiguration({ scopeUri, section: 'systemtap' });
    } catch (e) {
      this.connection.console.error(`cannot read the systemtap settings: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The `systemtap.format` settings for a document. */
  private async formatSettings(uri: string): Promise<FormatSettings> {
    if (!this.canReadSettings || !this.connection) return readFormatSettings(undefined);
    try {
      return readFormatSettings(await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'systemtap.format' }));
    } catch {
      return readFormatSettings(undefined);
    }
  }

  /** `systemtap.inlayHints.inferredTypes` for a document, read live: off when the client cannot say. */
  private async inferredTypeHintsWanted(uri: string): Promise<boolean> {
    if (!this.canReadSettings || !this.connection) return false;
    try {
      return inferredTypeHintsOn(await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'systemtap.inlayHints' }));
    } catch {
      return false;
    }
  }

  /** A request about a document's text alone: no analysis needed. */
  private withDocument<T>(uri: string, feature: (document: TextDocument) => T[]): T[] {
    const document = this.documents.get(uri);
    if (!document) return [];
    try {
      return feature(document);
    } catch (e) {
      this.connection?.console.error(`request on ${uri} failed: ${(e as Error).stack ?? e}`);
      return [];
    }
  }

  /** The scopes in use: the workspace folders and those of the open documents. */
  private updateScopes(): void {
    this.scopes.update(this.workspaceFolders, this.documents.keys());
  }

  private environmentOf(uri: string): Environment | undefined {
    return this.scopes.environmentOf(uri);
  }

  private indexOf(uri: string): TapsetIndex {
    return this.environmentOf(uri)?.index ?? EMPTY_INDEX;
  }

  /** Waits, within a bound, for the library index of an open document's environment: asked before, a hover on a library function would find nothing. */
  private async libraryReady(uri: string, token: Cancellation): Promise<void> {
    if (this.documents.get(uri)) await this.scopes.whenIndexed(uri, this.options.libraryWaitMs ?? LIBRARY_WAIT_MS, token);
  }

  private inEmbeddedC(uri: string, position: { line: number; character: number }): boolean {
    // Without `%{` in the text there is no region of its own: no analysis (before the library is in, one that would be thrown away).
    if (this.documents.get(uri)?.getText().includes('%{') === false) return false;
    return this.withAnalysis(uri, false, (a, d) => embeddedRegionAt(a, d.offsetAt(position)) !== undefined);
  }

  private isLibraryFile(uri: string): boolean {
    return !!this.environmentOf(uri)?.isLibraryFile(URI.parse(uri).fsPath);
  }

  private scriptArgsOf(uri: string): Pick<AnalysisOptions, 'scriptArgs' | 'scriptArgsSource'> {
    const args = this.lastRunArgs.get(uri);
    return args ? { scriptArgs: args, scriptArgsSource: 'last run' } : {};
  }

  /** What Go to Definition looks in: the library of the document's environment. */
  private libraryOf(uri: string) {
    const environment = this.environmentOf(uri);
    return { macros: environment?.libraryMacros ?? new Map(), index: environment?.index ?? EMPTY_INDEX, readFile: (file: string) => environment?.readLibraryFile(file) };
  }

  private schedule(document: TextDocument, delay = Math.min(MAX_DEBOUNCE_MS, Math.max(DEBOUNCE_MS, 2 * this.analyses.lastDuration(document.uri)))): void {
    clearTimeout(this.pending.get(document.uri));
    this.pending.set(
      document.uri,
      setTimeout(() => {
        this.pending.delete(document.uri);
        // Else the scope's environment tells when it has its settings and macros.
        if (this.scopes.isSettled(document.uri) && this.environmentOf(document.uri)?.macrosLoaded) this.publish(document.uri);
      }, delay),
    );
  }

  /**
   * Sends what the client shows of one analysis. The script info goes first, so that a client that has the
   * diagnostics of a version also has its script info; each message on its own, so that a bug in one feature
   * does not hold back the others.
   */
  private publish(uri: string): void {
    this.withAnalysis(uri, undefined, (analysis, document) => {
      const info = scriptInfo(analysis, document, this.isLibraryFile(uri));
      void this.connection?.sendNotification(PUBLISH_SCRIPT_INFO_NOTIFICATION, { uri, version: document.version, info });
    });
    this.withAnalysis(uri, undefined, (analysis, document) => {
      void this.connection?.sendDiagnostics({ uri, version: document.version, diagnostics: toDiagnostics(analysis, document) });
    });
    this.withAnalysis(uri, undefined, (analysis, document) => {
      void this.connection?.sendNotification(INACTIVE_REGIONS_NOTIFICATION, inactiveRegions(analysis, document));
    });
  }

  /**
   * Runs a feature on the current analysis of a document. A bug in one feature
   * must not take the server down with the user's work: it answers `fallback`.
   */
  private withAnalysis<T>(uri: string, fallback: T, feature: (analysis: Analysis, document: TextDocument) => T): T {
    const document = this.documents.get(uri);
    if (!document) return fallback;
    try {
      return feature(this.analyses.get(document), document);
    } catch (e) {
      this.connection?.console.error(`request on ${uri} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  }

  /** What the analysis depends on changed: start over. */
  private reanalyzeAll(): void {
    this.analyses.clear();
    for (const d of this.documents.all()) this.schedule(d, 0);
  }
}
