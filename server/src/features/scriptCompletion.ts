// Completion in the script itself (outside `%{ %}`): after `probe`, the probe
// points (built-in ones and every tapset alias such as `syscall.open`);
// elsewhere, the script's functions and globals, the tapset library's
// functions with their documentation, and the language's keywords.

import { CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { TapsetIndex } from '../analysis/tapsetIndex';
import { KEYWORDS } from '../syntax/lexer';
import { functionSignature } from '../syntax/signature';
import { libraryFunctionDoc, libraryProbeDoc, scriptFunctionDoc } from './libraryDocs';
import { inEmbeddedC, tokensAround } from './nameAt';
import { toRange } from './lspRanges';

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });

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
];

export function completeScript(analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex): CompletionItem[] {
  if (!inScriptCode(analysis, offset)) return [];
  const text = analysis.text;
  let start = offset;
  while (start > 0 && /[\w.]/.test(text[start - 1])) start--;
  const typed = text.slice(start, offset);
  const range = toRange(document, { start, end: offset });
  if (inProbeHeader(text, start)) return probeItems(index, typed, range);
  if (typed.includes('.') || text[start - 1] === '@' || text[start - 1] === '$') return [];

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
  for (const [name, fns] of index.functions) {
    // Names starting with `_` are the library's internals: offered once the user types `_`.
    if (name.startsWith('_') && !typed.startsWith('_')) continue;
    push({
      label: name,
      kind: CompletionItemKind.Function,
      detail: fns[0].signature,
      data: { function: name } satisfies ResolveData,
      sortText: `1${name}`,
      ...callSnippet(name, paramCount(fns[0].signature)),
    });
  }
  for (const keyword of KEYWORDS) push({ label: keyword, kind: CompletionItemKind.Keyword, sortText: `2${keyword}` });
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
  const stem = typed.slice(0, typed.lastIndexOf('.') + 1);
  const levels = new Map<string, boolean>(); // name -> has deeper aliases
  for (const name of index.probes.keys()) {
    if (!name.startsWith(stem) || name.includes('*')) continue;
    const rest = name.slice(stem.length);
    const level = stem + rest.split('.')[0];
    levels.set(level, (levels.get(level) ?? false) || rest.includes('.'));
  }
  for (const [name, deeper] of levels) {
    const alias = index.probes.get(name);
    const item: CompletionItem = { label: name, filterText: name, sortText: `1${name}`, textEdit: { range, newText: name } };
    if (alias) Object.assign(item, { kind: CompletionItemKind.Event, detail: alias[0].summary ?? 'tapset probe alias', data: { probe: name } satisfies ResolveData });
    else
      Object.assign(item, { kind: CompletionItemKind.Module, detail: 'probe aliases', textEdit: { range, newText: `${name}.` }, command: { title: 'more', command: 'editor.action.triggerSuggest' } });
    if (alias && deeper) item.detail = `${item.detail} (more below: type .)`;
    items.push(item);
  }
  return items;
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

/** After `probe` or a `,` in a probe header: `probe syscall.op|`, `probe begin, tim|`. */
function inProbeHeader(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 2000), start);
  const header = /(?:^|[\s;}])probe\s+([^{};]*)$/.exec(before);
  if (!header) return false;
  // `probe name = ...` (an alias definition) is a header too; a body has begun once `{` appears.
  return header[1] === '' || /,\s*$/.test(header[1]) || /=\s*$/.test(header[1]);
}

/** Not in a comment, a string or embedded C. */
function inScriptCode(analysis: Analysis, offset: number): boolean {
  if (analysis.script.comments.some((c) => offset > c.start && offset <= c.end)) return false;
  if (inEmbeddedC(analysis, offset)) return false;
  return !tokensAround(analysis, offset).some((t) => t.kind === 'string' && offset > t.start && offset < t.end);
}
