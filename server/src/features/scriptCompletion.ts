// Completion in the script itself (outside `%{ %}`), by where the cursor is
// (cursorContext.ts): between declarations, what may start one; in a probe
// header, probe points (stap's own and every tapset alias such as
// `syscall.open`, one level at a time); at a statement's start, statement
// keywords besides values; in an expression, the script's functions and
// globals, stap's print functions and the tapset library's functions; after
// `@`, the `@` operators and the script's macros. Nothing in comments and
// strings, nor after `->` or `.`.

import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { TapsetIndex } from '../analysis/tapsetIndex';
import { AT_OPERATOR_DOCS, CONDITION_NAMES, DOLLAR_NAMES, PRINT_FUNCTIONS, STATEMENT_KEYWORDS, TOP_LEVEL_STARTS } from '../docs/builtins';
import { functionSignature } from '../syntax/signature';
import { CursorContext, cursorContext } from './cursorContext';
import { libraryFunctionDoc, libraryProbeDoc, scriptFunctionDoc } from './libraryDocs';
import { toRange } from './lspRanges';
import { snippetItems } from './snippetCompletion';
import { scriptArgumentItems } from './dollarCompletion';
import type { CompletionExtras } from './completion';
import { MacroDefinition } from '../syntax/preprocessor';

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });
const fence = (code: string) => ['```systemtap', code, '```'].join('\n');
const TRIGGER_SUGGEST = { title: 'more', command: 'editor.action.triggerSuggest' };

// Probe points stap provides itself, as snippets: [label, snippet, what it is].
const BUILTIN_PROBES: [string, string, string][] = [
  ['begin', 'begin', 'when the script starts'],
  ['end', 'end', 'when the script ends (exit(), Ctrl+C, -c command done)'],
  ['error', 'error', 'when the script stops on an error'],
  ['never', 'never', 'never: for code that must only compile'],
  ['timer.s', 'timer.s(${1:1})', 'every N seconds'],
  ['timer.ms', 'timer.ms(${1:100})', 'every N milliseconds'],
  ['timer.us', 'timer.us(${1:1000})', 'every N microseconds'],
  ['timer.hz', 'timer.hz(${1:100})', 'N times a second'],
  ['timer.profile', 'timer.profile', 'on every profiling tick, on every CPU'],
  ['kernel.function', 'kernel.function("${1:ip_output}")', 'entry of a kernel function (needs kernel debuginfo)'],
  ['kernel.function.return', 'kernel.function("${1:ip_output}").return', 'return from a kernel function'],
  ['kernel.statement', 'kernel.statement("${1:*@net/ipv4/ip_output.c:100}")', 'a kernel source line'],
  ['kernel.trace', 'kernel.trace("${1:sched_switch}")', 'a kernel tracepoint'],
  ['module.function', 'module("${1:ext4}").function("${2:ext4_file_open}")', 'entry of a function in a kernel module'],
  ['process.function', 'process("${1:/bin/ls}").function("${2:main}")', 'entry of a function in a user-space program'],
  ['process.statement', 'process("${1:/bin/ls}").statement("${2:*@main.c:10}")', 'a source line in a user-space program'],
  ['process.mark', 'process("${1:/usr/bin/python3}").mark("${2:function__entry}")', 'a static user-space marker (SDT)'],
  ['process.begin', 'process.begin', 'when any process starts'],
  ['process.end', 'process.end', 'when any process ends'],
  ['procfs.read', 'procfs("${1:name}").read', 'when /proc/systemtap/MODULE/name is read'],
  ['procfs.write', 'procfs("${1:name}").write', 'when /proc/systemtap/MODULE/name is written'],
  ['kprobe.function', 'kprobe.function("${1:vfs_read}")', 'entry of a kernel function, without debuginfo'],
  ['perf', 'perf.type(${1:0}).config(${2:0})', 'a perf event, by type and config number'],
  ['netfilter.hook', 'netfilter.hook("${1:NF_INET_PRE_ROUTING}")', 'a netfilter hook, for each packet that passes it'],
];

// What may follow a component with an argument: `process("ls").|`, `kernel.function("f").|`.
const PROBE_SUFFIXES: Record<string, [string, string, string][]> = {
  function: [
    ['return', 'return', 'the return from the function'],
    ['call', 'call', 'only where the function is called, not inlined'],
    ['inline', 'inline', 'only its inlined instances'],
    ['exported', 'exported', 'only exported functions'],
    ['callees', 'callees', 'every function it calls'],
    ['callee', 'callee("${1:name}")', 'a function it calls'],
    ['label', 'label("${1:name}")', 'a label in the function'],
  ],
  statement: [
    ['nearest', 'nearest', 'the nearest line that has code'],
    ['absolute', 'absolute', 'an absolute address'],
  ],
  process: [
    ['function', 'function("${1:main}")', 'entry of a function of the program'],
    ['statement', 'statement("${1:*@main.c:10}")', 'a source line of the program'],
    ['mark', 'mark("${1:name}")', 'a static marker (SDT) of the program'],
    ['provider', 'provider("${1:name}").mark("${2:name}")', 'a static marker of one provider'],
    ['library', 'library("${1:libc.so.6}").function("${2:malloc}")', 'a function of a library the program loads'],
    ['plt', 'plt', 'calls through the procedure linkage table'],
    ['begin', 'begin', 'when the program starts'],
    ['end', 'end', 'when the program ends'],
    ['thread.begin', 'thread.begin', 'when a thread starts'],
    ['thread.end', 'thread.end', 'when a thread ends'],
    ['syscall', 'syscall', 'every system call of the program'],
    ['syscall.return', 'syscall.return', 'every return from a system call'],
  ],
  module: [
    ['function', 'function("${1:name}")', 'entry of a function of the module'],
    ['statement', 'statement("${1:*@file.c:10}")', 'a source line of the module'],
  ],
  procfs: [
    ['read', 'read', 'when the file is read'],
    ['write', 'write', 'when the file is written'],
  ],
};
PROBE_SUFFIXES.library = PROBE_SUFFIXES.process.filter(([label]) => ['function', 'statement', 'mark', 'plt'].includes(label));

export function completeScript(
  analysis: Analysis,
  document: TextDocument,
  offset: number,
  index: TapsetIndex,
  context: CursorContext = cursorContext(analysis, offset),
  extras: CompletionExtras = {},
): CompletionItem[] {
  const range = toRange(document, { start: context.start, end: offset });
  switch (context.kind) {
    case 'topLevel':
      return [...topLevelItems(range), ...snippetItems('topLevel', range)];
    case 'afterPrivate':
      return keywordItems(['function', 'global'], range);
    case 'type':
      return keywordItems(['long', 'string'], range);
    case 'probePoint':
      return context.chain !== undefined ? suffixItems(context.chain, range) : probeItems(index, context.typed, range);
    case 'statement':
      return [...statementItems(range), ...valueItems(analysis, index, analysis.text.slice(context.start, offset)), ...snippetItems('statement', range)];
    case 'expression':
      return valueItems(analysis, index, analysis.text.slice(context.start, offset));
    case 'atName':
      return [...atItems(analysis, range, extras.libraryMacros), ...scriptArgumentItems(analysis, range, '@', extras.scriptArgs)];
    case 'dollar':
      return [...DOLLAR_NAMES].map(([name, doc]) => ({ label: name, kind: CompletionItemKind.Variable, documentation: markdown(doc), textEdit: { range, newText: name } }));
    case 'ppCondition':
      return [...CONDITION_NAMES].map(([name, doc]) => ({ label: name, kind: CompletionItemKind.Constant, documentation: markdown(doc), textEdit: { range, newText: name } }));
    default:
      return [];
  }
}

function topLevelItems(range: Range): CompletionItem[] {
  return TOP_LEVEL_STARTS.map(({ label, snippet, doc }) => ({
    label,
    kind: CompletionItemKind.Keyword,
    documentation: markdown(doc),
    sortText: `0${label}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: snippet },
    // After `probe `, the probe points.
    ...(label === 'probe' ? { command: TRIGGER_SUGGEST } : {}),
  }));
}

const keywordItems = (words: string[], range: Range): CompletionItem[] => words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword, textEdit: { range, newText: w } }));

function statementItems(range: Range): CompletionItem[] {
  return [...STATEMENT_KEYWORDS].map(([word, doc]) => ({ label: word, kind: CompletionItemKind.Keyword, documentation: markdown(doc), sortText: `1${word}`, textEdit: { range, newText: word } }));
}

/** The script's functions and globals, stap's print functions, the library's functions. */
function valueItems(analysis: Analysis, index: TapsetIndex, typed: string): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const push = (item: CompletionItem) => {
    if (seen.has(item.label)) return;
    seen.add(item.label);
    items.push(item);
  };
  for (const item of analysis.script.items) {
    if (item.kind === 'function') {
      push({
        label: item.name.text,
        kind: CompletionItemKind.Function,
        detail: functionSignature(item),
        documentation: markdown(scriptFunctionDoc(item)),
        sortText: `0${item.name.text}`,
        ...callSnippet(item.name.text, item.params.length),
      });
    } else if (item.kind === 'global') {
      for (const v of item.vars) push({ label: v.text, kind: v.isArray ? CompletionItemKind.Struct : CompletionItemKind.Variable, detail: 'global', sortText: `0${v.text}` });
    }
  }
  // stap's own print functions come before library names that share their prefix (print_backtrace...).
  for (const [name, { signature, doc }] of PRINT_FUNCTIONS) {
    push({
      label: name,
      kind: CompletionItemKind.Function,
      detail: signature,
      documentation: markdown(`${fence(signature)}\n\n${doc}`),
      sortText: `1${name}`,
      insertText: `${name}($0)`,
      insertTextFormat: InsertTextFormat.Snippet,
      command: { title: 'signature', command: 'editor.action.triggerParameterHints' },
    });
  }
  for (const [name, fns] of index.functions) {
    // Names starting with `_` are the library's internals: offered once the user types `_`.
    if (name.startsWith('_') && !typed.startsWith('_')) continue;
    push({
      label: name,
      kind: CompletionItemKind.Function,
      detail: fns[0].signature,
      data: { function: name } satisfies ResolveData,
      sortText: `2${name}`,
      ...callSnippet(name, paramCount(fns[0].signature)),
    });
  }
  return items;
}

/** The `@` operators, then the script's macros and the library's (a script's own macro hides a library one of its name). */
function atItems(analysis: Analysis, range: Range, libraryMacros?: ReadonlyMap<string, MacroDefinition>): CompletionItem[] {
  const items: CompletionItem[] = [...AT_OPERATOR_DOCS].map(([name, { signature, doc }]) => ({
    label: name,
    kind: CompletionItemKind.Function,
    detail: signature,
    documentation: markdown(`${fence(signature)}\n\n${doc}`),
    sortText: `1${name}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: `${name}($0)` },
  }));
  const seen = new Set<string>();
  const macroItem = (macro: MacroDefinition, sortText: string, detail: string): CompletionItem => {
    const call = macro.params.length ? `@${macro.name}(${macro.params.map((p, i) => `\${${i + 1}:${p}}`).join(', ')})` : `@${macro.name}`;
    const written = macro.params.length ? `@${macro.name}(${macro.params.join(', ')})` : `@${macro.name}`;
    return {
      label: `@${macro.name}`,
      kind: CompletionItemKind.Constant,
      detail,
      documentation: markdown(fence(written)),
      sortText,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: call },
    };
  };
  for (const macro of analysis.script.macros) {
    if (macro.file || seen.has(macro.name)) continue;
    seen.add(macro.name);
    items.push(macroItem(macro, `0${macro.name}`, 'macro'));
  }
  for (const [name, macro] of libraryMacros ?? []) {
    // `__` names are the library's internals.
    if (seen.has(name) || name.startsWith('__')) continue;
    seen.add(name);
    items.push(macroItem(macro, `2${name}`, `library macro${macro.file ? ` (${macro.file.replace(/^.*\//, '')})` : ''}`));
  }
  return items;
}

function callSnippet(name: string, params: number): Partial<CompletionItem> {
  if (params === 0) return { insertText: `${name}()` };
  const placeholders = Array.from({ length: params }, (_, i) => `\${${i + 1}}`).join(', ');
  return { insertText: `${name}(${placeholders})`, insertTextFormat: InsertTextFormat.Snippet };
}

const paramCount = (signature: string) => {
  const inside = signature.slice(signature.indexOf('(') + 1, -1).trim();
  return inside ? inside.split(',').length : 0;
};

function probeItems(index: TapsetIndex, typed: string, range: Range): CompletionItem[] {
  const items: CompletionItem[] = BUILTIN_PROBES.map(([label, snippet, what]) => ({
    label,
    kind: CompletionItemKind.Event,
    detail: what,
    filterText: label,
    sortText: `0${label}`,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: snippet },
  }));
  // Thousands of aliases: offer one level below what is typed (`syscall` ->
  // `syscall.open`), as a file picker offers folders; their docs come on resolve.
  // A whole level name typed (`netdev`, as accepting it leaves it) also opens the level below.
  const stems = [typed.slice(0, typed.lastIndexOf('.') + 1)];
  if (typed && !typed.endsWith('.')) stems.push(`${typed}.`);
  const levels = new Map<string, boolean>(); // name -> has deeper aliases
  for (const name of index.probes.keys()) {
    if (name.includes('*')) continue;
    for (const stem of stems) {
      if (!name.startsWith(stem)) continue;
      const rest = name.slice(stem.length);
      const level = stem + rest.split('.')[0];
      levels.set(level, (levels.get(level) ?? false) || rest.includes('.'));
    }
  }
  for (const [name, deeper] of levels) {
    const alias = index.probes.get(name);
    const item: CompletionItem = { label: name, filterText: name, sortText: `1${name}`, textEdit: { range, newText: name } };
    if (alias) {
      Object.assign(item, { kind: CompletionItemKind.Event, detail: alias[0].summary ?? 'tapset probe alias', data: { probe: name } satisfies ResolveData });
      if (deeper) item.detail = `${item.detail} (more below: type .)`;
    } else {
      // A level only: accepting it (Enter, or typing `.`) opens the level below. It
      // inserts no `.` itself, so that a `.` typed out of habit does not make `netdev..`.
      Object.assign(item, { kind: CompletionItemKind.Module, detail: 'probe aliases', commitCharacters: ['.'], command: TRIGGER_SUGGEST });
    }
    items.push(item);
  }
  return items;
}

function suffixItems(chain: string, range: Range): CompletionItem[] {
  return (PROBE_SUFFIXES[chain] ?? []).map(([label, snippet, what]) => ({
    label,
    kind: CompletionItemKind.Event,
    detail: what,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: snippet },
  }));
}

/** What a library item needs to fetch its documentation on resolve. */
interface ResolveData {
  probe?: string;
  function?: string;
}

/** Adds the documentation of library items, left out of the list to keep it small. */
export function resolveCompletion(item: CompletionItem, index: TapsetIndex): CompletionItem {
  const data = item.data as ResolveData | undefined;
  const probes = data?.probe ? index.probes.get(data.probe) : undefined;
  const fns = data?.function ? index.functions.get(data.function) : undefined;
  if (probes) return { ...item, documentation: markdown(libraryProbeDoc(probes)) };
  if (fns) return { ...item, documentation: markdown(libraryFunctionDoc(fns)) };
  return item;
}
