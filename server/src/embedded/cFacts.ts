// What the rest of the server needs to know about one `%{ %}` region, read
// from its tree-sitter C tree: STAP_* macro uses outside comments and strings,
// #includes, #defines, calls of kernel macros, C syntax errors, and the
// struct-typed declarations and member accesses the kernel's types are
// checked against, all as offsets into the script text.

import type { Node as CNode } from 'web-tree-sitter';
import { BodyFacts, movedAll, movedRanges } from '../syntax/bodyFacts';
import { OffsetRange } from '../syntax/diagnostic';
import { KERNEL_DOCS, pragmaOf } from '../docs/kernelIdioms';
import { CParser } from './cParser';
import { EmbeddedRegion } from './regions';

export interface Identifier extends OffsetRange {
  text: string;
}

/** A variable or parameter declared with a struct, union or typedef type: `struct sk_buff *skb`. */
export interface CTypedVariable {
  name: string;
  /** `struct sk_buff`, `union x`, or a typedef name. */
  type: string;
  pointers: number;
}

/** One step of a member access chain: `->field`, `.field`, or `[index]`. */
export type CAccessStep = (Identifier & { op: '->' | '.' }) | { op: '[]' };

/** `skb->dev->name`, `((struct sock *)p)->sk_state`: a base and what is reached from it. */
export interface CMemberAccess {
  /** A variable by name, or a cast's type. */
  base: { variable: string } | { type: string; pointers: number };
  steps: CAccessStep[];
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
  /** Calls of upper-case names, the kernel's macros (`ICMP_INC_STATS_BH(net, f)`): the callee, and whether an `#if`/`#ifdef` arm holds it. */
  macroCalls: (Identifier & { conditional: boolean })[];
  /** Names the C `#define`s itself. */
  defines: Identifier[];
  /** Declarations with a struct, union or typedef type. */
  typedVariables: CTypedVariable[];
  /** Struct, union and typedef names this C defines itself: not the kernel's. */
  definedTypes: string[];
  /** Member accesses, each chain once (from its outermost `->` or `.`). */
  memberAccesses: CMemberAccess[];
}

/** C functions whose first argument is the buffer they write a string into. */
const STRING_COPIES = new Set(['snprintf', 'sprintf', 'strlcpy', 'strncpy', 'strcpy', 'strlcat', 'strcat', 'vsnprintf']);

/** A kernel macro's name: upper case, digits and underscores. */
const MACRO_NAME = /^_*[A-Z][A-Z0-9_]*$/;
/** The C preprocessor's conditional arms: what they hold is compiled only on some kernels. */
const PREPROCESSOR_ARMS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef', 'preproc_else']);

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

/** Facts placed in the document, by region (bodyFacts.ts): moved with a declaration an edit moves. */
const placedByCode = new BodyFacts<RawFacts>((facts, d, nodes) => (nodes ? mapPlaces(facts, (i) => i + d) : movePlaces(facts, d)));

export function analyzeRegion(parser: CParser, region: EmbeddedRegion): CFacts {
  let placed = placedByCode.get(region.code);
  if (!placed) {
    const { raw, cached } = cachedRaw(parser, region);
    placed = placeRaw(raw, region);
    if (cached) placedByCode.set(region.code, placed);
  }
  // The same facts as the last analysis's, for a region in the same context: its object again, not a new one each time.
  const last = lastFacts.get(placed);
  if (last && sameContext(last.region, region)) return last;
  const facts = { region, ...placed };
  lastFacts.set(placed, facts);
  return facts;
}

/** The facts last given out for each placed set of facts (which is kept, and moved, per region). */
const lastFacts = new WeakMap<RawFacts, CFacts>();

const sameContext = (a: EmbeddedRegion, b: EmbeddedRegion) =>
  a.code === b.code && a.context.kind === b.context.kind && (a.context.kind === 'topLevel' || a.context.fn === (b.context as { fn?: unknown }).fn);

function cachedRaw(parser: CParser, region: EmbeddedRegion): { raw: RawFacts; cached: boolean } {
  const key = region.context.kind + '\0' + region.code.code;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { raw: hit, cached: true };
  }
  try {
    const raw = parseRegion(parser, region.context.kind, region.code.code);
    cache.set(key, raw);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return { raw, cached: true };
  } catch (e) {
    // Not seen, even at 200,000 levels of nesting; but a failing C parser
    // must not take the script's analysis with it. Not cached: it may pass next time.
    return { raw: failed(WRAPPERS[region.context.kind][0].length, e), cached: false };
  }
}

/** The facts in the document's coordinates. */
function placeRaw(raw: RawFacts, region: EmbeddedRegion): RawFacts {
  const { codeStart, codeEnd, expanded } = region.code;
  const prefixLength = WRAPPERS[region.context.kind][0].length;
  // C from a library macro has no place in this file: point at the macro use.
  return mapPlaces(raw, (i) => (expanded ? codeStart : Math.min(Math.max(codeStart + i - prefixLength, codeStart), codeEnd)));
}

/** The facts with every offset mapped by `to`. */
function mapPlaces(facts: RawFacts, to: (offset: number) => number): RawFacts {
  const place = <T extends OffsetRange>(x: T): T => ({ ...x, start: to(x.start), end: to(x.end) });
  return {
    stapArgs: movedAll(facts.stapArgs, place),
    stapMacros: movedAll(facts.stapMacros, place),
    includes: movedAll(facts.includes, place),
    syntaxErrors: movedAll(facts.syntaxErrors, place),
    retvalueAsBuffer: movedAll(facts.retvalueAsBuffer, place),
    retvalueAssigned: movedAll(facts.retvalueAssigned, place),
    thisUses: movedAll(facts.thisUses, place),
    kernelNames: movedAll(facts.kernelNames, place),
    pragmas: movedAll(facts.pragmas, place),
    macroCalls: movedAll(facts.macroCalls, place),
    defines: movedAll(facts.defines, place),
    typedVariables: facts.typedVariables,
    definedTypes: facts.definedTypes,
    memberAccesses: movedAll(facts.memberAccesses, (a) => ({ base: a.base, steps: a.steps.map((st) => (st.op === '[]' ? st : place(st))) })),
  };
}

/** The facts themselves, every offset in them moved `d` on: for a region moved where it is, whose old place no one holds. */
function movePlaces(facts: RawFacts, d: number): RawFacts {
  const lists: readonly OffsetRange[][] = [
    facts.stapArgs,
    facts.stapMacros,
    facts.includes,
    facts.syntaxErrors,
    facts.retvalueAsBuffer,
    facts.retvalueAssigned,
    facts.thisUses,
    facts.kernelNames,
    facts.pragmas,
    facts.macroCalls,
    facts.defines,
  ];
  for (const list of lists) movedRanges(list, d, undefined);
  for (const access of facts.memberAccesses) for (const step of access.steps) if (step.op !== '[]') movedRanges([step], d, undefined);
  return facts;
}

// Kernel annotations that mean nothing to a C parser; blanked out, same length.
const ANNOTATIONS = /\b(?:__user|__kernel|__iomem|__percpu|__rcu|__force|__must_check|__always_inline|__maybe_unused|__init|__exit|__read_mostly|noinline|notrace)\b/g;
// Both arms of #if/#else are in the text, and the bpf runtime's %{ %} is not C:
// syntax errors there say nothing about the code stap compiles.
const UNCHECKABLE = /^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else)\b|\$/m;
// `list_entry(p, struct page, lru)`: kernel macros take types as arguments.
const TYPE_START = /^(?:struct|union|enum|const|volatile|unsigned|signed|int|long|short|char|void|u8|u16|u32|u64|s8|s16|s32|s64|size_t)\b/;

/** `list_entry(p, struct page, lru)`: a kernel macro given a type. */
function isTypeArgument(error: CNode, parentType: string | undefined, previous: CNode | null): boolean {
  if (parentType !== 'argument_list') return false;
  return TYPE_START.test(error.text) || TYPE_START.test(previous?.text ?? '');
}

/** `list_for_each_entry(pos, head, member) { ... }`: a macro used as a loop header. */
function isLoopMacro(before: CNode | null): boolean {
  const callee = before?.type === 'call_expression' ? before.childForFieldName('function')?.text : undefined;
  return !!callee && /for_each|foreach/.test(callee);
}

/** Facts with one warning, at the start of the C text, for a region the C parser failed on. */
function failed(prefixLength: number, e: unknown): RawFacts {
  const message = `embedded C not analysed: the C parser failed (${String(e)})`;
  return {
    stapArgs: [],
    stapMacros: [],
    includes: [],
    syntaxErrors: [{ message, start: prefixLength, end: prefixLength + 2 }],
    retvalueAsBuffer: [],
    retvalueAssigned: [],
    thisUses: [],
    kernelNames: [],
    pragmas: [],
    macroCalls: [],
    defines: [],
    typedVariables: [],
    definedTypes: [],
    memberAccesses: [],
  };
}

function parseRegion(parser: CParser, kind: keyof typeof WRAPPERS, code: string): RawFacts {
  const [prefix, suffix] = WRAPPERS[kind];
  const facts: RawFacts = {
    stapArgs: [],
    stapMacros: [],
    includes: [],
    syntaxErrors: [],
    retvalueAsBuffer: [],
    retvalueAssigned: [],
    thisUses: [],
    kernelNames: [],
    pragmas: [],
    macroCalls: [],
    defines: [],
    typedVariables: [],
    definedTypes: [],
    memberAccesses: [],
  };
  /** How many `#if`/`#ifdef`/`#else` arms enclose the node being visited. */
  let conditionalDepth = 0;
  const tree = parser.parse(prefix + code.replace(ANNOTATIONS, (m) => ' '.repeat(m.length)) + suffix);
  const checkSyntax = !UNCHECKABLE.test(code);
  // Members inside #if/#else are for some kernels and not others: not checked against one.
  const conditional = conditionalBlocks(code, prefix.length);
  const ident = (n: CNode) => ({ text: n.text, start: n.startIndex, end: n.endIndex });
  /**
   * Looks at one node; false: nothing below it matters. Each property of a
   * node is a call into wasm: `type` is read once, `isMissing` only where
   * the parent has errors below it (`mayBeMissing`).
   */
  const visit = (node: CNode, type: string, mayBeMissing: boolean, parentType: string | undefined, previous: CNode | null): boolean => {
    if (type === 'comment') {
      const pragma = pragmaOf(node.text);
      if (pragma) facts.pragmas.push({ text: pragma, start: node.startIndex, end: node.endIndex });
      return false;
    }
    if (type === 'string_literal' || type === 'char_literal') return false;
    if (mayBeMissing && node.isMissing) {
      if (checkSyntax && !isLoopMacro(previous)) facts.syntaxErrors.push({ message: `C syntax error: missing '${type}'`, start: node.startIndex, end: node.startIndex });
      return false;
    }
    if (type === 'ERROR' && checkSyntax && !isTypeArgument(node, parentType, previous)) {
      facts.syntaxErrors.push({ message: `C syntax error near '${firstLine(node.text)}'`, start: node.startIndex, end: node.endIndex });
    }
    if (type === 'identifier' || type === 'field_identifier' || type === 'type_identifier') {
      const id = ident(node);
      if (id.text.startsWith('STAP_ARG_')) facts.stapArgs.push({ ...id, name: id.text.slice('STAP_ARG_'.length) });
      else if (id.text.startsWith('STAP_') || RUNTIME_NAMES.has(id.text)) facts.stapMacros.push(id);
      else if (Object.hasOwn(KERNEL_DOCS, id.text)) facts.kernelNames.push(id);
    } else if (type === 'call_expression') {
      const callee = node.childForFieldName('function');
      const first = node.childForFieldName('arguments')?.namedChildren[0];
      const name = callee?.text;
      if (name && STRING_COPIES.has(name) && first?.type === 'identifier' && first.text === 'STAP_RETVALUE') facts.retvalueAsBuffer.push(ident(first));
      if (name && MACRO_NAME.test(name) && callee!.type === 'identifier') facts.macroCalls.push({ ...ident(callee!), conditional: conditionalDepth > 0 });
    } else if (type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === 'STAP_RETVALUE') facts.retvalueAssigned.push(ident(left));
    } else if (type === 'field_expression') {
      const argument = node.childForFieldName('argument');
      const field = node.childForFieldName('field');
      if (argument?.text === 'THIS' && field) facts.thisUses.push({ ...ident(node), field: field.text });
      else if (parentType !== 'field_expression' && !conditional.some(([from, to]) => node.startIndex >= from && node.startIndex < to)) {
        const access = memberAccess(node);
        if (access) facts.memberAccesses.push(access);
      }
    } else if (type === 'declaration' || type === 'parameter_declaration' || type === 'type_definition') {
      readDeclaration(node, type, facts);
    } else if ((type === 'struct_specifier' || type === 'union_specifier') && node.childForFieldName('body')) {
      // `struct foo { ... }`: a definition of the C's own, whatever the kernel calls foo.
      const name = typeName(node);
      if (name) facts.definedTypes.push(name);
    } else if (type === 'preproc_def' || type === 'preproc_function_def') {
      const name = node.childForFieldName('name');
      if (name) facts.defines.push(ident(name));
    } else if (type === 'preproc_include') {
      const p = node.childForFieldName('path');
      if (p) facts.includes.push(ident(p));
    }
    return true;
  };
  // Every node, parents first, with a tree cursor rather than recursion: C
  // nests as deep as its writer likes (tens of thousands of parentheses).
  // From the root to the current node: each node, its type, whether it has
  // errors below it, and the previous sibling at each level.
  const cursor = tree.walk();
  try {
    const path: CNode[] = [];
    const types: string[] = [];
    const hasErrors: boolean[] = [];
    const previous: (CNode | null)[] = [null];
    for (;;) {
      const node = cursor.currentNode;
      const type = node.type;
      const mayBeMissing = hasErrors.length === 0 || hasErrors[hasErrors.length - 1];
      if (visit(node, type, mayBeMissing, types[types.length - 1], previous[previous.length - 1]) && cursor.gotoFirstChild()) {
        path.push(node);
        types.push(type);
        if (PREPROCESSOR_ARMS.has(type)) conditionalDepth++;
        hasErrors.push(mayBeMissing && node.hasError);
        previous.push(null);
        continue;
      }
      previous[previous.length - 1] = node;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return facts;
        if (PREPROCESSOR_ARMS.has(types.pop()!)) conditionalDepth--;
        hasErrors.pop();
        previous.pop();
        previous[previous.length - 1] = path.pop()!;
      }
    }
  } finally {
    cursor.delete();
    tree.delete(); // wasm memory is not garbage collected
  }
}

/** The outermost `#if ... #endif` blocks of C text, as offsets shifted by `shift`. */
function conditionalBlocks(code: string, shift: number): [number, number][] {
  const blocks: [number, number][] = [];
  let depth = 0;
  let start = 0;
  for (const m of code.matchAll(/^[ \t]*#[ \t]*(if|ifdef|ifndef|endif)\b/gm)) {
    if (m[1] === 'endif') {
      if (depth > 0 && --depth === 0) blocks.push([shift + start, shift + m.index!]);
    } else if (depth++ === 0) start = m.index!;
  }
  if (depth > 0) blocks.push([shift + start, shift + code.length]);
  return blocks;
}

/** `struct sk_buff` for a struct or union specifier with a name, the name for a typedef'd type; undefined otherwise. */
function typeName(type: CNode | null): string | undefined {
  if (!type) return undefined;
  if (type.type === 'type_identifier') return type.text;
  if (type.type !== 'struct_specifier' && type.type !== 'union_specifier') return undefined;
  const name = type.childForFieldName('name');
  return name ? `${type.type === 'struct_specifier' ? 'struct' : 'union'} ${name.text}` : undefined;
}

/** A declarator's name and how many pointers deep it is; undefined for arrays, functions and the like. */
function declared(declarator: CNode): { name: string; pointers: number; isType: boolean } | undefined {
  let pointers = 0;
  let d: CNode | null = declarator;
  for (let i = 0; d && i < 64; i++) {
    if (d.type === 'init_declarator') d = d.childForFieldName('declarator');
    else if (d.type === 'pointer_declarator') {
      pointers++;
      d = d.childForFieldName('declarator');
    } else if (d.type === 'identifier' || d.type === 'type_identifier') return { name: d.text, pointers, isType: d.type === 'type_identifier' };
    else return undefined;
  }
  return undefined;
}

/** Declarations of struct-typed variables, and the typedefs this C defines for itself. */
function readDeclaration(node: CNode, type: string, facts: RawFacts): void {
  const name = typeName(node.childForFieldName('type'));
  for (const declarator of node.childrenForFieldName('declarator')) {
    const d = declarator && declared(declarator);
    if (!d) continue;
    if (type === 'type_definition') facts.definedTypes.push(d.name);
    else if (name) facts.typedVariables.push({ name: d.name, type: name, pointers: d.pointers });
  }
}

/** A cast's type: `(struct sock *)` gives `struct sock` and one pointer. */
function castType(node: CNode): { type: string; pointers: number } | undefined {
  const descriptor = node.childForFieldName('type');
  const name = typeName(descriptor?.childForFieldName('type') ?? null);
  if (!name) return undefined;
  let pointers = 0;
  for (let d = descriptor?.childForFieldName('declarator') ?? null; d && pointers < 64; d = d.childForFieldName('declarator')) {
    if (d.type !== 'abstract_pointer_declarator') return undefined;
    pointers++;
  }
  return { type: name, pointers };
}

/** A chain of `->`, `.` and `[i]` down to a variable or a parenthesized cast; undefined for any other base. */
function memberAccess(outer: CNode): CMemberAccess | undefined {
  const steps: CAccessStep[] = [];
  let node: CNode | null = outer;
  for (let i = 0; node && i < 256; i++) {
    if (node.type === 'field_expression') {
      const field = node.childForFieldName('field');
      const op = node.childForFieldName('operator')?.text;
      if (!field || (op !== '->' && op !== '.')) return undefined;
      steps.push({ op, text: field.text, start: field.startIndex, end: field.endIndex });
      node = node.childForFieldName('argument');
    } else if (node.type === 'subscript_expression') {
      steps.push({ op: '[]' });
      node = node.childForFieldName('argument');
    } else if (node.type === 'identifier') {
      return { base: { variable: node.text }, steps: steps.reverse() };
    } else if (node.type === 'parenthesized_expression') {
      const inner: CNode | null = node.namedChild(0);
      if (inner?.type !== 'cast_expression') return undefined;
      const cast = castType(inner);
      return cast ? { base: cast, steps: steps.reverse() } : undefined;
    } else return undefined;
  }
  return undefined;
}

/** The first line of a piece of C, trimmed, at most 40 characters; without splitting all of a long text. */
function firstLine(s: string): string {
  const from = s.search(/\S/);
  if (from < 0) return '';
  const newline = s.indexOf('\n', from);
  const end = Math.min(newline < 0 ? s.length : newline, s.trimEnd().length);
  return end - from > 40 ? s.slice(from, from + 40) + '…' : s.slice(from, end);
}
