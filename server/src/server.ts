#!/usr/bin/env node
// The SystemTap language server. Started by the VS Code client over IPC, or by
// any LSP client with `--stdio`.

import * as path from 'path';
import { CodeActionKind, createConnection, ErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis, AnalysisOptions, EDITOR_LIMITS } from './analysis/analyze';
import { AnalysisCache } from './analysis/documents';
import { buildTapsetIndex, EMPTY_INDEX, TapsetIndex } from './analysis/tapsetIndex';
import { findTapsetDir, loadLibraryMacrosAsync, reportOnce } from './analysis/tapsetLibrary';
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

let target = machineTarget();
let includePaths: string[] = [];
let workspaceRoot: string | undefined;
let canReadSettings = false;
const tapsetDir = findTapsetDir();
let libraryMacros: Map<string, MacroDefinition> = new Map();
let macroFileTexts: ReadonlyMap<string, string> = new Map(); // the .stpm files as read, for Go to Definition
let tapsetIndex: TapsetIndex = EMPTY_INDEX;
let libraryFunctions: ReadonlySet<string> | undefined; // undefined until the library is indexed
// No diagnostics until the library's macros are known: a script using them would flash false errors.
let macrosLoaded = false;
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
      if (macrosLoaded) publish(document.uri); // else reanalyzeAll() comes once they are
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

let cParserSettled: Promise<void> = Promise.resolve();

connection.onInitialized(() => {
  if (!tapsetDir) connection.console.info('no SystemTap tapset library found (install systemtap): library macros are unknown');
  // The C grammar first: the embedded-C checks matter more than library docs, and indexing takes the CPU for a while.
  cParserSettled = loadCParser().then(
    (parser) => {
      cParser = parser;
      reanalyzeAll();
    },
    (e) => connection.console.error(`embedded C support disabled: cannot load the C grammar: ${(e as Error).message}`),
  );
  // The library (include folders too) once the settings are known; a client slow to tell them does not hold it up for long.
  const settingsWait = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
  void Promise.race([applySettings(), settingsWait]).finally(() => {
    if (libraryGeneration === 0) loadLibrary();
  });
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
  if (archChanged || pathsChanged) loadLibrary();
  reanalyzeAll();
}

connection.onDidChangeConfiguration(() => void applySettings());

// A library file left out (not a regular file, too large, failed to parse) is told about once.
const reportSkipped = reportOnce((file, reason) => connection.console.warn(`tapset library: skipped ${file}: ${reason}`));

/**
 * Loads the library's macros (`.stpm`) and then indexes its functions and
 * probe aliases, in the background and without blocking: the installed
 * library and the include folders.
 */
let libraryGeneration = 0;
function loadLibrary(): void {
  const generation = ++libraryGeneration;
  const current = () => generation === libraryGeneration; // else the settings changed meanwhile: a newer load is coming
  const arch = tapsetArchDir(target.arch);
  const forTarget = target;
  const paths = includePaths;
  void (async () => {
    const texts = new Map<string, string>();
    const macros = await loadLibraryMacrosAsync(tapsetDir, arch, paths, reportSkipped, texts);
    if (!current()) return;
    libraryMacros = macros;
    macroFileTexts = texts;
    macrosLoaded = true;
    reanalyzeAll();
    await cParserSettled;
    if (!current()) return;
    const started = Date.now();
    const index = await buildTapsetIndex(tapsetDir, arch, forTarget, macros, paths, reportSkipped);
    if (!current()) return;
    tapsetIndex = index;
    // No library, no check: every call would look unknown.
    libraryFunctions = index.functions.size > 0 ? new Set(index.functions.keys()) : undefined;
    reanalyzeAll();
    connection.console.info(`tapset library indexed: ${index.functions.size} functions, ${index.probes.size} probe aliases in ${Date.now() - started} ms`);
  })().catch((e) => {
    connection.console.error(`cannot load the tapset library: ${(e as Error).stack ?? e}`);
    if (!current()) return;
    macrosLoaded = true;
    reanalyzeAll();
  });
}

/** Go to Definition of a library macro: its file as it was read (the macro's offsets are into that text). */
function readLibraryFile(file: string): string | undefined {
  return macroFileTexts.get(file);
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
