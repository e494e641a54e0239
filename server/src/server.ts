#!/usr/bin/env node
// The SystemTap language server. Started by the VS Code client over IPC, or by
// any LSP client with `--stdio`.

import { CodeActionKind, createConnection, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis, AnalysisOptions, EDITOR_LIMITS } from './analysis/analyze';
import { AnalysisCache } from './analysis/documents';
import { EMPTY_INDEX, TapsetIndex } from './analysis/tapsetIndex';
import { findTapsetDir, reportOnce } from './analysis/tapsetLibrary';
import { machineTarget } from './analysis/target';
import { loadCParser } from './embedded/cParser';
import { Environment, EnvironmentPool } from './environment/environment';
import { EnvironmentScopes } from './environment/scopes';
import { codeActions } from './features/codeActions';
import { definition } from './features/definition';
import { foldingRanges } from './features/folding';
import { highlights, invalidName, prepareRename, references, rename } from './features/references';
import { completeScript, resolveCompletion } from './features/scriptCompletion';
import { signatureHelp } from './features/signatureHelp';
import { documentSymbols } from './features/symbols';
import { complete } from './features/completion';
import { toDiagnostics } from './features/diagnostics';
import { hover } from './features/hover';
import { inactiveRegions } from './features/inactiveRegions';
import { inEmbeddedC } from './features/nameAt';
import { scriptInfo } from './features/scriptInfo';
import { INACTIVE_REGIONS_NOTIFICATION, SCRIPT_INFO_REQUEST, ScriptInfo, ScriptInfoParams } from './protocol';

// Without a transport createConnection throws, and Node prints the minified line it threw from.
const USAGE = 'usage: stap-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME';
if (!hasTransport(process.argv.slice(2))) {
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  (help ? process.stdout : process.stderr).write(USAGE + '\n');
  process.exit(help ? 0 : 2);
}

/** Whether vscode-languageserver/node finds how to talk in these arguments, read as it reads them. */
function hasTransport(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--stdio' || arg === '--node-ipc') return true;
    if (arg === '--socket') return !!parseInt(args[i + 1] ?? '');
    if (arg === '--pipe') return !!args[i + 1];
    const [name, value = ''] = arg.split('=');
    if (name === '--socket') return !!parseInt(value);
    if (name === '--pipe') return !!value;
  }
  return false;
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let canReadSettings = false;

// A library file left out (not a regular file, too large, failed to parse) is told about once.
const reportSkipped = reportOnce((file, reason) => connection.console.warn(`tapset library: skipped ${file}: ${reason}`));
const logged = new Set<string>();
const environments = new EnvironmentPool({
  report: reportSkipped,
  log: (level, message) => {
    if (level === 'info') connection.console.info(message);
    else if (!logged.has(message)) {
      logged.add(message);
      connection.console[level](message);
    }
  },
});

/** The `systemtap` settings of a scope (a workspace folder, or a document outside every folder). */
async function readSettings(scopeUri: string | undefined): Promise<unknown> {
  if (!canReadSettings) return undefined;
  try {
    return await connection.workspace.getConfiguration({ scopeUri, section: 'systemtap' });
  } catch (e) {
    connection.console.error(`cannot read the systemtap settings: ${(e as Error).message}`);
    return undefined;
  }
}

const scopes = new EnvironmentScopes(environments, readSettings);
let workspaceFolders: string[] = [];

// The environment of a scope changed (its settings, or it loaded more): check its documents again.
scopes.onDidChange((scope) => {
  for (const d of documents.all()) {
    if (scopes.scopeOf(d.uri) !== scope) continue;
    analyses.delete(d.uri);
    schedule(d, 0);
  }
});

const environmentOf = (uri: string): Environment | undefined => scopes.environmentOf(uri);

function isLibraryFile(uri: string): boolean {
  return !!environmentOf(uri)?.isLibraryFile(URI.parse(uri).fsPath);
}

// Before the settings are read (a request that comes first): no library yet.
const analyses = new AnalysisCache((uri): AnalysisOptions => environmentOf(uri)?.analysisOptions(URI.parse(uri).fsPath, { limits: EDITOR_LIMITS }) ?? { target: machineTarget(), limits: EDITOR_LIMITS });

const indexOf = (uri: string): TapsetIndex => environmentOf(uri)?.index ?? EMPTY_INDEX;

// Re-analyse after a short pause in typing, not on every keystroke; a file
// whose analysis is slow waits for a longer pause, so typing stays fluent.
const DEBOUNCE_MS = 150;
const MAX_DEBOUNCE_MS = 3000;
const pending = new Map<string, NodeJS.Timeout>();

function schedule(document: TextDocument, delay = Math.min(MAX_DEBOUNCE_MS, Math.max(DEBOUNCE_MS, 2 * analyses.lastDuration(document.uri)))): void {
  clearTimeout(pending.get(document.uri));
  pending.set(
    document.uri,
    setTimeout(() => {
      pending.delete(document.uri);
      // Else the scope's environment tells when it has its settings and macros.
      if (scopes.isSettled(document.uri) && environmentOf(document.uri)?.macrosLoaded) publish(document.uri);
    }, delay),
  );
}

function publish(uri: string): void {
  withAnalysis(uri, undefined, (analysis, document) => {
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: toDiagnostics(analysis, document) });
    void connection.sendNotification(INACTIVE_REGIONS_NOTIFICATION, inactiveRegions(analysis, document));
  });
}

/**
 * Runs a feature on the current analysis of a document. A bug in one feature
 * must not take the server down with the user's work: it answers `fallback`.
 */
function withAnalysis<T>(uri: string, fallback: T, feature: (analysis: Analysis, document: TextDocument) => T): T {
  const document = documents.get(uri);
  if (!document) return fallback;
  try {
    return feature(analyses.get(document), document);
  } catch (e) {
    connection.console.error(`request on ${uri} failed: ${(e as Error).stack ?? e}`);
    return fallback;
  }
}

connection.onInitialize((params) => {
  canReadSettings = !!params.capabilities.workspace?.configuration;
  canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
  workspaceFolders = params.workspaceFolders ? params.workspaceFolders.map((f) => f.uri) : params.rootUri ? [params.rootUri] : [];
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['_', '.'], resolveProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: { label: 'SystemTap' },
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentHighlightProvider: true,
      renameProvider: { prepareProvider: true },
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [')'] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'stap-language-server', version: typeof VERSION === 'string' ? VERSION : 'dev' },
  };
});

let canWatchFolders = false;

connection.onInitialized(() => {
  if (!findTapsetDir()) connection.console.info('no SystemTap tapset library found (install systemtap): library macros are unknown');
  // The C grammar first: the embedded-C checks matter more than library docs, and indexing takes the CPU for a while.
  void loadCParser().catch(() => undefined);
  // The library of each workspace folder (include folders too) loads once its settings are known.
  updateScopes();
  if (canWatchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...e.added.map((f) => f.uri)];
      updateScopes();
      // A document may be in another folder now, or in none.
      reanalyzeAll();
    });
  }
});

/** The scopes in use: the workspace folders and those of the open documents. */
function updateScopes(): void {
  scopes.update(workspaceFolders, documents.keys());
}

connection.onDidChangeConfiguration(() => void scopes.refresh());

/** What Go to Definition looks in: the library of the document's environment. */
function libraryOf(uri: string) {
  const environment = environmentOf(uri);
  return { macros: environment?.libraryMacros ?? new Map(), index: environment?.index ?? EMPTY_INDEX, readFile: (file: string) => environment?.readLibraryFile(file) };
}

/** What the analysis depends on changed (library macros, the C grammar): start over. */
function reanalyzeAll(): void {
  analyses.clear();
  for (const d of documents.all()) schedule(d, 0);
}

connection.onHover((p) => withAnalysis(p.textDocument.uri, null, (a, d) => hover(a, d, d.offsetAt(p.position), indexOf(p.textDocument.uri))));
connection.onCompletion((p) =>
  withAnalysis(p.textDocument.uri, [], (a, d) => {
    const offset = d.offsetAt(p.position);
    // In C a `.` is a member access: nothing of ours to offer there.
    if (inEmbeddedC(a, offset)) return p.context?.triggerCharacter === '.' ? [] : complete(a, offset);
    // Resolving an item looks in the library of the document it was offered in.
    return completeScript(a, d, offset, indexOf(p.textDocument.uri)).map((item) => (item.data ? { ...item, data: { ...item.data, uri: p.textDocument.uri } } : item));
  }),
);
connection.onRequest(SCRIPT_INFO_REQUEST, (p: ScriptInfoParams): ScriptInfo | null => withAnalysis(p.uri, null, (a, d) => scriptInfo(a, d, isLibraryFile(p.uri))));
connection.onDocumentSymbol((p) => withAnalysis(p.textDocument.uri, [], (a, d) => documentSymbols(a, d)));
connection.onFoldingRanges((p) => withAnalysis(p.textDocument.uri, [], (a, d) => foldingRanges(a, d)));
connection.onDefinition((p) => withAnalysis(p.textDocument.uri, [], (a, d) => definition(a, d, d.offsetAt(p.position), libraryOf(p.textDocument.uri))));
connection.onCompletionResolve((item) => resolveCompletion(item, indexOf(String((item.data as { uri?: unknown } | undefined)?.uri ?? ''))));
connection.onReferences((p) => withAnalysis(p.textDocument.uri, [], (a, d) => references(a, d, d.offsetAt(p.position), p.context.includeDeclaration)));
connection.onDocumentHighlight((p) => withAnalysis(p.textDocument.uri, [], (a, d) => highlights(a, d, d.offsetAt(p.position))));
connection.onPrepareRename((p) => withAnalysis(p.textDocument.uri, null, (a, d) => prepareRename(a, d, d.offsetAt(p.position))));
connection.onRenameRequest((p) => {
  const invalid = invalidName(p.newName);
  if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
  return withAnalysis(p.textDocument.uri, null, (a, d) => rename(a, d, d.offsetAt(p.position), p.newName));
});
connection.onSignatureHelp((p) => withAnalysis(p.textDocument.uri, null, (a, d) => signatureHelp(a, d.offsetAt(p.position), indexOf(p.textDocument.uri))));
connection.onCodeAction((p) => withAnalysis(p.textDocument.uri, [], (a, d) => codeActions(a, d, p.range, p.context.diagnostics)));

documents.onDidOpen((e) => {
  updateScopes();
  schedule(e.document, 0);
});
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  analyses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  updateScopes();
});

declare const VERSION: string; // injected by the bundler

documents.listen(connection);
connection.listen();
