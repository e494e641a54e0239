// What the rest of the server needs to know about one `%{ %}` region, read
// from its tree-sitter C tree: STAP_* macro uses outside comments and strings,
// #includes, and C syntax errors, all as offsets into the script text.

import type { Node as CNode } from 'web-tree-sitter';
import { OffsetRange } from '../syntax/diagnostic';
import { KERNEL_DOCS, pragmaOf } from '../docs/kernelIdioms';
import { CParser } from './cParser';
import { EmbeddedRegion } from './regions';

export interface Identifier extends OffsetRange {
  text: string;
}

export interface CFacts {
  region: EmbeddedRegion;
  /** `STAP_ARG_name` identifiers; `name` is the part after the prefix. */
  stapArgs: (Identifier & { name: string })[];
  /** STAP_RETVALUE, STAP_RETURN, STAP_ERROR, ... and CONTEXT, MAXSTRINGLEN, THIS. */
  stapMacros: Identifier[];
  includes: Identifier[];
  syntaxErrors: (OffsetRange & { message: string })[];
  /** STAP_RETVALUE as the destination of a string copy: `snprintf(STAP_RETVALUE, ...)`. */
  retvalueAsBuffer: Identifier[];
  /** STAP_RETVALUE on the left of `=`. */
  retvalueAssigned: Identifier[];
  /** Old-style `THIS->name` (the whole expression) and the field it names. */
  thisUses: (Identifier & { field: string })[];
  /** Kernel names with reference text (printk, jiffies, KERN_ERR, ...). */
  kernelNames: Identifier[];
  /** Pragma comments: `/* pure *\/`, `/* pragma:read:x *\/`; `text` is the pragma's name. */
  pragmas: Identifier[];
}

/** C functions whose first argument is the buffer they write a string into. */
const STRING_COPIES = new Set(['snprintf', 'sprintf', 'strlcpy', 'strncpy', 'strcpy', 'strlcat', 'strcat', 'vsnprintf']);

/** Names the stap runtime gives embedded C besides the STAP_ macros. */
const RUNTIME_NAMES = new Set(['THIS', 'CONTEXT', 'MAXSTRINGLEN', 'kread', 'uread', 'kderef', 'uderef', 'kwrite', 'uwrite', 'store_kderef', 'store_uderef', 'CATCH_DEREF_FAULT']);

// Function bodies are statements, expressions are expressions: wrap each so the
// C grammar sees it in its real context. Offsets shift by the prefix length.
const WRAPPERS = {
  topLevel: ['', ''],
  functionBody: ['void __stap_function(void) {', '\n}'],
  expression: ['void __stap_expression(void) { (void)(', '\n); }'],
} as const;

/** Facts in the coordinates of the wrapped C text, before placing them in the document. */
type RawFacts = Omit<CFacts, 'region'>;

// Typing in one function must not re-parse the C of every other: facts are
// cached by the region's kind and text, most recently used last.
const CACHE_SIZE = 4000;
const cache = new Map<string, RawFacts>();

export function analyzeRegion(parser: CParser, region: EmbeddedRegion): CFacts {
  const { codeStart, codeEnd, code, expanded } = region.code;
  const key = region.context.kind + '\0' + code;
  let raw = cache.get(key);
  if (raw) cache.delete(key);
  else raw = parseRegion(parser, region.context.kind, code);
  cache.set(key, raw);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);

  const prefixLength = WRAPPERS[region.context.kind][0].length;
  // C from a library macro has no place in this file: point at the macro use.
  const toDoc = (i: number) => (expanded ? codeStart : Math.min(Math.max(codeStart + i - prefixLength, codeStart), codeEnd));
  const place = <T extends OffsetRange>(x: T): T => ({ ...x, start: toDoc(x.start), end: toDoc(x.end) });
  return {
    region,
    stapArgs: raw.stapArgs.map(place),
    stapMacros: raw.stapMacros.map(place),
    includes: raw.includes.map(place),
    syntaxErrors: raw.syntaxErrors.map(place),
    retvalueAsBuffer: raw.retvalueAsBuffer.map(place),
    retvalueAssigned: raw.retvalueAssigned.map(place),
    thisUses: raw.thisUses.map(place),
    kernelNames: raw.kernelNames.map(place),
    pragmas: raw.pragmas.map(place),
  };
}

// Kernel annotations that mean nothing to a C parser; blanked out, same length.
const ANNOTATIONS = /\b(?:__user|__kernel|__iomem|__percpu|__rcu|__force|__must_check|__always_inline|__maybe_unused|__init|__exit|__read_mostly|noinline|notrace)\b/g;
// Both arms of #if/#else are in the text, and the bpf runtime's %{ %} is not C:
// syntax errors there say nothing about the code stap compiles.
const UNCHECKABLE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else)\b|\$/m;
// `list_entry(p, struct page, lru)`: kernel macros take types as arguments.
const TYPE_START = /^(?:struct|union|enum|const|volatile|unsigned|signed|int|long|short|char|void|u8|u16|u32|u64|s8|s16|s32|s64|size_t)\b/;

/** `list_entry(p, struct page, lru)`: a kernel macro given a type. */
function isTypeArgument(error: CNode): boolean {
  if (error.parent?.type !== 'argument_list') return false;
  return TYPE_START.test(error.text) || TYPE_START.test(error.previousSibling?.text ?? '');
}

/** `list_for_each_entry(pos, head, member) { ... }`: a macro used as a loop header. */
function isLoopMacro(before: CNode | null): boolean {
  const callee = before?.type === 'call_expression' ? before.childForFieldName('function')?.text : undefined;
  return !!callee && /for_each|foreach/.test(callee);
}

function parseRegion(parser: CParser, kind: keyof typeof WRAPPERS, code: string): RawFacts {
  const [prefix, suffix] = WRAPPERS[kind];
  const tree = parser.parse(prefix + code.replace(ANNOTATIONS, (m) => ' '.repeat(m.length)) + suffix);
  const checkSyntax = !UNCHECKABLE.test(code);
  const facts: RawFacts = { stapArgs: [], stapMacros: [], includes: [], syntaxErrors: [], retvalueAsBuffer: [], retvalueAssigned: [], thisUses: [], kernelNames: [], pragmas: [] };
  const ident = (n: CNode) => ({ text: n.text, start: n.startIndex, end: n.endIndex });
  try {
    const walk = (node: CNode) => {
      if (node.type === 'comment') {
        const pragma = pragmaOf(node.text);
        if (pragma) facts.pragmas.push({ text: pragma, start: node.startIndex, end: node.endIndex });
        return;
      }
      if (node.type === 'string_literal' || node.type === 'char_literal') return;
      if (node.isMissing) {
        if (checkSyntax && !isLoopMacro(node.previousSibling)) facts.syntaxErrors.push({ message: `C syntax error: missing '${node.type}'`, start: node.startIndex, end: node.startIndex });
        return;
      }
      if (node.type === 'ERROR' && checkSyntax && !isTypeArgument(node)) {
        facts.syntaxErrors.push({ message: `C syntax error near '${firstLine(node.text)}'`, start: node.startIndex, end: node.endIndex });
      }
      if (node.type === 'identifier' || node.type === 'field_identifier' || node.type === 'type_identifier') {
        const id = { text: node.text, start: node.startIndex, end: node.endIndex };
        if (id.text.startsWith('STAP_ARG_')) facts.stapArgs.push({ ...id, name: id.text.slice('STAP_ARG_'.length) });
        else if (id.text.startsWith('STAP_') || RUNTIME_NAMES.has(id.text)) facts.stapMacros.push(id);
        else if (Object.hasOwn(KERNEL_DOCS, id.text)) facts.kernelNames.push(id);
      }
      if (node.type === 'call_expression') {
        const callee = node.childForFieldName('function');
        const first = node.childForFieldName('arguments')?.namedChildren[0];
        if (callee && STRING_COPIES.has(callee.text) && first?.type === 'identifier' && first.text === 'STAP_RETVALUE') facts.retvalueAsBuffer.push(ident(first));
      }
      if (node.type === 'assignment_expression') {
        const left = node.childForFieldName('left');
        if (left?.type === 'identifier' && left.text === 'STAP_RETVALUE') facts.retvalueAssigned.push(ident(left));
      }
      if (node.type === 'field_expression') {
        const argument = node.childForFieldName('argument');
        const field = node.childForFieldName('field');
        if (argument?.text === 'THIS' && field) facts.thisUses.push({ ...ident(node), field: field.text });
      }
      if (node.type === 'preproc_include') {
        const p = node.childForFieldName('path');
        if (p) facts.includes.push({ text: p.text, start: p.startIndex, end: p.endIndex });
      }
      for (const child of node.children) if (child) walk(child);
    };
    walk(tree.rootNode);
  } finally {
    tree.delete(); // wasm memory is not garbage collected
  }
  return facts;
}

function firstLine(s: string): string {
  const line = s.trim().split('\n')[0];
  return line.length > 40 ? line.slice(0, 40) + '…' : line;
}
