#!/usr/bin/env node
// The SystemTap language server. Started by the VS Code client over IPC, or by
// any LSP client with `--stdio`.

import * as fs from 'fs';
import * as path from 'path';
import { CodeActionKind, createConnection, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis, AnalysisOptions, EDITOR_LIMITS } from './analysis/analyze';
import { AnalysisCache } from './analysis/documents';
import { buildTapsetIndex, EMPTY_INDEX, TapsetIndex } from './analysis/tapsetIndex';
import { findTapsetDir, loadLibraryMacros } from './analysis/tapsetLibrary';
import { kernelReleaseOf, machineTarget, tapsetArchDir } from './analysis/target';
import { CParser, loadCParser } from './embedded/cParser';
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
import { DEFAULT_SERVER_SETTINGS, INACTIVE_REGIONS_NOTIFICATION, SCRIPT_INFO_REQUEST, ScriptInfo, ScriptInfoParams, ServerSettings } from './protocol';
import { MacroDefinition } from './syntax/preprocessor';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

let target = machineTarget();
let includePaths: string[] = [];
let workspaceRoot: string | undefined;
let canReadSettings = false;
const tapsetDir = findTapsetDir();
let libraryMacros: Map<string, MacroDefinition> = new Map();
let tapsetIndex: TapsetIndex = EMPTY_INDEX;
let libraryFunctions: ReadonlySet<string> | undefined; // undefined until the library is indexed
let cParser: CParser | undefined;

function isLibraryFile(uri: string): boolean {
  const file = URI.parse(uri).fsPath;
  return file.endsWith('.stpm') || [tapsetDir, ...includePaths].some((dir) => !!dir && file.startsWith(dir + '/'));
}

const analyses = new AnalysisCache(
  (uri): AnalysisOptions => ({ target, libraryMacros, cParser, libraryFunctions, isLibrary: isLibraryFile(uri), limits: EDITOR_LIMITS }),
);

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
      publish(document.uri);
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
  const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  workspaceRoot = root ? URI.parse(root).fsPath : undefined;
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
    },
    serverInfo: { name: 'stap-language-server', version: typeof VERSION === 'string' ? VERSION : 'dev' },
  };
});

connection.onInitialized(() => {
  if (!tapsetDir) connection.console.info('no SystemTap tapset library found (install systemtap): library macros are unknown');
  libraryMacros = loadLibraryMacros(tapsetDir, tapsetArchDir(target.arch));
  void applySettings();
  // The C grammar first: the embedded-C checks matter more than library docs, and indexing takes the CPU for a while.
  loadCParser()
    .then(
      (parser) => {
        cParser = parser;
        reanalyzeAll();
      },
      (e) => connection.console.error(`embedded C support disabled: cannot load the C grammar: ${(e as Error).message}`),
    )
    .finally(() => {
      if (indexGeneration === 0) indexLibrary();
    });
  reanalyzeAll();
});

/** The kernel and architecture `%( %)` conditions are evaluated for come from the settings. */
async function applySettings(): Promise<void> {
  if (!canReadSettings) return;
  let settings: ServerSettings = DEFAULT_SERVER_SETTINGS;
  try {
    settings = { ...DEFAULT_SERVER_SETTINGS, ...((await connection.workspace.getConfiguration('systemtap')) as Partial<ServerSettings> | null) };
  } catch (e) {
    connection.console.error(`cannot read the systemtap settings: ${(e as Error).message}`);
  }
  const next = machineTarget({ kernelRelease: kernelReleaseOf(String(settings.kernelRelease ?? '')), arch: String(settings.arch ?? '') });
  const nextPaths = (Array.isArray(settings.includePaths) ? settings.includePaths : [])
    .filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    .map((p) => path.resolve(workspaceRoot ?? process.cwd(), p));
  const pathsChanged = nextPaths.join('\0') !== includePaths.join('\0');
  if (next.kernelRelease === target.kernelRelease && next.arch === target.arch && !pathsChanged) return;
  const archChanged = next.arch !== target.arch;
  target = next;
  includePaths = nextPaths;
  if (archChanged) libraryMacros = loadLibraryMacros(tapsetDir, tapsetArchDir(target.arch));
  if (archChanged || pathsChanged) indexLibrary();
  reanalyzeAll();
}

connection.onDidChangeConfiguration(() => void applySettings());

/** Indexes the tapset library's functions and probe aliases in the background. */
let indexGeneration = 0;
function indexLibrary(): void {
  const started = Date.now();
  const generation = ++indexGeneration;
  buildTapsetIndex(tapsetDir, tapsetArchDir(target.arch), target, libraryMacros, includePaths).then(
    (index) => {
      if (generation !== indexGeneration) return; // the settings changed meanwhile: a newer index is coming
      tapsetIndex = index;
      // No library, no check: every call would look unknown.
      libraryFunctions = index.functions.size > 0 ? new Set(index.functions.keys()) : undefined;
      reanalyzeAll();
      connection.console.info(`tapset library indexed: ${index.functions.size} functions, ${index.probes.size} probe aliases in ${Date.now() - started} ms`);
    },
    (e) => connection.console.error(`cannot index the tapset library: ${(e as Error).message}`),
  );
}

function readLibraryFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** What the analysis depends on changed (library macros, the C grammar): start over. */
function reanalyzeAll(): void {
  analyses.clear();
  for (const d of documents.all()) schedule(d, 0);
}

connection.onHover((p) => withAnalysis(p.textDocument.uri, null, (a, d) => hover(a, d, d.offsetAt(p.position), tapsetIndex)));
connection.onCompletion((p) =>
  withAnalysis(p.textDocument.uri, [], (a, d) => {
    const offset = d.offsetAt(p.position);
    // In C a `.` is a member access: nothing of ours to offer there.
    if (inEmbeddedC(a, offset)) return p.context?.triggerCharacter === '.' ? [] : complete(a, offset);
    return completeScript(a, d, offset, tapsetIndex);
  }),
);
connection.onRequest(SCRIPT_INFO_REQUEST, (p: ScriptInfoParams): ScriptInfo | null => withAnalysis(p.uri, null, (a, d) => scriptInfo(a, d, isLibraryFile(p.uri))));
connection.onDocumentSymbol((p) => withAnalysis(p.textDocument.uri, [], (a, d) => documentSymbols(a, d)));
connection.onFoldingRanges((p) => withAnalysis(p.textDocument.uri, [], (a, d) => foldingRanges(a, d)));
connection.onDefinition((p) => withAnalysis(p.textDocument.uri, [], (a, d) => definition(a, d, d.offsetAt(p.position), { macros: libraryMacros, index: tapsetIndex, readFile: readLibraryFile })));
connection.onCompletionResolve((item) => resolveCompletion(item, tapsetIndex));
connection.onReferences((p) => withAnalysis(p.textDocument.uri, [], (a, d) => references(a, d, d.offsetAt(p.position), p.context.includeDeclaration)));
connection.onDocumentHighlight((p) => withAnalysis(p.textDocument.uri, [], (a, d) => highlights(a, d, d.offsetAt(p.position))));
connection.onPrepareRename((p) => withAnalysis(p.textDocument.uri, null, (a, d) => prepareRename(a, d, d.offsetAt(p.position))));
connection.onRenameRequest((p) => {
  const invalid = invalidName(p.newName);
  if (invalid) throw new ResponseError(ErrorCodes.InvalidParams, invalid);
  return withAnalysis(p.textDocument.uri, null, (a, d) => rename(a, d, d.offsetAt(p.position), p.newName));
});
connection.onSignatureHelp((p) => withAnalysis(p.textDocument.uri, null, (a, d) => signatureHelp(a, d.offsetAt(p.position), tapsetIndex)));
connection.onCodeAction((p) => withAnalysis(p.textDocument.uri, [], (a, d) => codeActions(a, d, p.range, p.context.diagnostics)));

documents.onDidOpen((e) => schedule(e.document, 0));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  clearTimeout(pending.get(e.document.uri));
  pending.delete(e.document.uri);
  analyses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

declare const VERSION: string; // injected by the bundler

documents.listen(connection);
connection.listen();
