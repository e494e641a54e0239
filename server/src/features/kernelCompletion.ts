// Completion from the target kernel's data: function, tracepoint and module
// names in a probe point's string; `$` target variables in a probe body;
// members after `->` and `.` (in the script and in `%{ %}` C); struct names
// after `struct ` in C. Without kernel data only the `$$` names are offered.
// Names are filtered by what is typed and capped: a kernel has 60,000
// functions, and the list says when it is cut so the editor asks again.

import { CompletionItem, CompletionItemKind, MarkupKind, Range } from 'vscode-languageserver';
import { Analysis } from '../analysis/analyze';
import { cVariableTypes, ownTypesOf } from '../analysis/cMembers';
import { DOLLAR_NAMES } from '../docs/builtins';
import { EmbeddedRegion } from '../embedded/regions';
import { KernelMember, KernelTypes } from '../kernel/kernelTypes';
import { chainBeforeWord, chainTarget, KERNEL_NAME_LIMIT, probeStringAt, Reached, returnsAt, targetsAt, VariableTypes } from './kernelAt';

export interface KernelItems {
  items: CompletionItem[];
  /** Cut at the limit: typing more gives other names. */
  isIncomplete: boolean;
}

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });
const cFence = (code: string) => ['```c', code, '```'].join('\n');

/** Names for the probe point string at `offset`; undefined when the cursor is in no such string. */
export function probeStringItems(text: string, offset: number, kernel: KernelTypes, rangeOf: (start: number, end: number) => Range): KernelItems | undefined {
  const at = probeStringAt(text, offset);
  if (!at) return undefined;
  const typed = text.slice(at.start, offset);
  if (!/^[\w-]*$/.test(typed)) return { items: [], isIncomplete: false }; // a wildcard or `@file`: nothing to add
  let names: string[];
  let kind: CompletionItemKind = CompletionItemKind.Function;
  let detail: ((name: string) => string | undefined) | undefined;
  if (at.names === 'module') {
    names = kernel.moduleNamesWithPrefix(typed, KERNEL_NAME_LIMIT + 1);
    kind = CompletionItemKind.Module;
  } else if (at.names === 'trace') {
    names = kernel.tracepointsWithPrefix(typed, KERNEL_NAME_LIMIT + 1);
    kind = CompletionItemKind.Event;
  } else if (at.module !== undefined) {
    const types = kernel.moduleTypes(at.module);
    names = types
      ? types.functionsWithPrefix(typed, KERNEL_NAME_LIMIT + 1)
      : (kernel.moduleFunctionSymbols(at.module) ?? [])
          .filter((n) => n.startsWith(typed))
          .sort()
          .slice(0, KERNEL_NAME_LIMIT + 1);
    detail = (name) => types?.function(name)?.prototype;
  } else {
    names = kernel.functionsWithPrefix(typed, KERNEL_NAME_LIMIT + 1);
    detail = (name) => kernel.function(name)?.prototype;
  }
  const isIncomplete = names.length > KERNEL_NAME_LIMIT;
  const range = rangeOf(at.start, offset);
  // Prototypes for the first few only: each is decoded from BTF, and the editor shows a handful.
  const items = names.slice(0, KERNEL_NAME_LIMIT).map((name, i): CompletionItem => {
    const item: CompletionItem = { label: name, kind, textEdit: { range, newText: name } };
    const prototype = i < 50 ? detail?.(name) : undefined;
    if (prototype) item.detail = prototype;
    return item;
  });
  return { items, isIncomplete };
}

/** After `$` in a body: the probed function's parameters (or tracepoint's arguments), `$return` where it returns, and the `$$` names. */
export function targetVariableItems(analysis: Analysis, offset: number, range: Range, kernel: KernelTypes | undefined): CompletionItem[] {
  const returns = returnsAt(analysis, offset);
  const items: CompletionItem[] = [];
  const targets = kernel ? targetsAt(analysis, offset, kernel) : undefined;
  if (targets && targets.length > 0) {
    // With several points, only what every one of them has.
    const [first, ...rest] = targets;
    for (const [name, param] of first.params) {
      if (!name || rest.some((t) => !t.params.has(name))) continue;
      items.push({
        label: `$${name}`,
        kind: CompletionItemKind.Variable,
        detail: param.type,
        documentation: markdown(`${first.kind === 'trace' ? 'Argument' : 'Parameter'} of\n\n${cFence(first.prototype)}`),
        sortText: `0${name}`,
        textEdit: { range, newText: `$${name}` },
      });
    }
    const returnRef = first.returnRef;
    if (returnRef && targets.every((t) => t.returnRef)) {
      items.push({
        label: '$return',
        kind: CompletionItemKind.Variable,
        detail: first.types.typeText(returnRef),
        documentation: markdown(`The return value of\n\n${cFence(first.prototype)}`),
        sortText: '1return',
        textEdit: { range, newText: '$return' },
      });
    }
  }
  for (const [name, doc] of DOLLAR_NAMES) {
    if (name === '$$return' && returns === false) continue;
    items.push({ label: name, kind: CompletionItemKind.Variable, documentation: markdown(doc), sortText: `2${name}`, textEdit: { range, newText: name } });
  }
  return items;
}

/** After `->` or `.` in the script: the members of the type the chain before reaches. */
export function scriptMemberItems(analysis: Analysis, wordStart: number, range: Range, kernel: KernelTypes): CompletionItem[] {
  const chain = chainBeforeWord(analysis.text, wordStart);
  if (!chain || chain.base.kind === 'variable') return [];
  return memberItems(chainTarget(chain, kernel, targetsAt(analysis, wordStart, kernel)), range);
}

/** In a `%{ %}` region: members after `p->` and `v.`, struct and union names after `struct ` and `union `. */
export function embeddedKernelItems(analysis: Analysis, region: EmbeddedRegion, wordStart: number, offset: number, range: Range, kernel: KernelTypes): CompletionItem[] {
  const text = analysis.text;
  const keyword = /\b(struct|union)\s+$/.exec(text.slice(Math.max(region.code.codeStart, wordStart - 20), wordStart));
  if (keyword) {
    const space = keyword[1] as 'struct' | 'union';
    return kernel
      .typesWithPrefix(space, text.slice(wordStart, offset), KERNEL_NAME_LIMIT)
      .map((name) => ({ label: name, kind: CompletionItemKind.Struct, detail: `${space} ${name}`, textEdit: { range, newText: name } }));
  }
  const chain = chainBeforeWord(text, wordStart);
  if (!chain) return [];
  return memberItems(chainTarget(chain, kernel, undefined, cVariablesOf(analysis, region)), range);
}

/** How the C of a region types its variables. */
export function cVariablesOf(analysis: Analysis, region: EmbeddedRegion): VariableTypes {
  const facts = analysis.cFacts.find((f) => f.region === region);
  return facts ? cVariableTypes(facts, ownTypesOf(analysis.cFacts)) : () => undefined;
}

function memberItems(reached: Reached | undefined, range: Range): CompletionItem[] {
  if (!reached) return [];
  const aggregate = reached.types.aggregateOf(reached.ref);
  const members = reached.types.members(reached.ref) ?? [];
  return members
    .filter((m) => m.name !== '')
    .map((m) => ({
      label: m.name,
      kind: CompletionItemKind.Field,
      detail: memberType(m),
      // The kernel's internal members (`__cloned_offset`) after the others, as the library's `_` names.
      sortText: `${m.name.startsWith('_') ? 1 : 0}${m.name}`,
      documentation: aggregate ? markdown(`Member of \`${aggregate.text}\`, ${memberPlace(m)}`) : undefined,
      textEdit: { range, newText: m.name },
    }));
}

export const memberType = (m: KernelMember) => (m.bitfieldSize !== undefined ? `${m.type} : ${m.bitfieldSize}` : m.type);

/** `at byte 80`, or for a bitfield `at bit 673 (byte 84)`. */
export const memberPlace = (m: KernelMember) => (m.bitfieldSize !== undefined ? `at bit ${m.bitOffset} (byte ${m.byteOffset})` : `at byte ${m.byteOffset}`);
