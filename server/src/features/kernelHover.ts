// Hover from the target kernel's data: a function (tracepoint) named in a
// probe point shows its prototype; `$var` its C type and the probed
// function's prototype; a member in `$a->b` (or in C, `p->b`) its type and
// offset; a struct name after `struct ` in C its size and member count.

import { Analysis } from '../analysis/analyze';
import { ProbeTarget, targetName } from '../analysis/kernelTargets';
import { EmbeddedRegion } from '../embedded/regions';
import { KernelTypes } from '../kernel/kernelTypes';
import { chainBeforeWord, chainTarget, ProbeString, probeStringAt, targetsAt, VariableTypes } from './kernelAt';
import { MemberChain } from './memberChain';
import { cVariablesOf, memberPlace } from './kernelCompletion';
import { wordAt } from './nameAt';
import { Span } from './lspRanges';

export interface KernelHover {
  markdown: string;
  span: Span;
}

const cFence = (code: string) => ['```c', code, '```'].join('\n');

/** In the script: a probe point's kernel name, a `$` variable, a member of a chain. */
export function scriptKernelHover(analysis: Analysis, offset: number, kernel: KernelTypes): KernelHover | undefined {
  const text = analysis.text;
  const at = probeStringAt(text, offset);
  if (at && offset <= at.end) return probeNameHover(text.slice(at.start, at.end), at, kernel);
  const word = wordAt(text, offset);
  if (!word) return undefined;
  if (text[word.start - 1] === '$' && text[word.start - 2] !== '$') {
    const name = targetName(`$${word.text}`);
    const targets = name === undefined ? undefined : targetsAt(analysis, offset, kernel);
    const target = targets?.find((t) => t.params.has(name!) || (name === 'return' && t.returnRef));
    if (!target || name === undefined) return undefined;
    const span = { start: word.start - 1, end: word.end };
    if (name === 'return') return { markdown: `${cFence(target.types.typeText(target.returnRef!))}\n\nThe return value of\n\n${cFence(target.prototype)}`, span };
    const param = target.params.get(name)!;
    const what = target.kind === 'trace' ? 'Argument' : 'Parameter';
    return { markdown: `${cFence(target.types.typeText(param.ref, `$${name}`))}\n\n${what} of\n\n${cFence(target.prototype)}`, span };
  }
  return memberHover(analysis, word, kernel, (chain) => (chain.base.kind === 'variable' ? undefined : targetsAt(analysis, offset, kernel)));
}

/** In a `%{ %}` region: a member of a typed variable, a struct or union name. */
export function embeddedKernelHover(analysis: Analysis, region: EmbeddedRegion, offset: number, kernel: KernelTypes): KernelHover | undefined {
  const text = analysis.text;
  const word = wordAt(text, offset);
  if (!word) return undefined;
  const keyword = /\b(struct|union)\s+$/.exec(text.slice(Math.max(region.code.codeStart, word.start - 20), word.start));
  if (keyword) {
    const aggregate = kernel.aggregate(`${keyword[1]} ${word.text}`);
    if (!aggregate) return undefined;
    const count = kernel.members(aggregate.ref)?.length ?? 0;
    return { markdown: `${cFence(aggregate.text)}\n\n${aggregate.size} bytes, ${count} member${count === 1 ? '' : 's'} (${kernel.source})`, span: word };
  }
  const variables: VariableTypes = cVariablesOf(analysis, region);
  return memberHover(analysis, word, kernel, () => undefined, variables);
}

function memberHover(
  analysis: Analysis,
  word: { start: number; end: number; text: string },
  kernel: KernelTypes,
  targetsFor: (chain: MemberChain) => ProbeTarget[] | undefined,
  variables?: VariableTypes,
): KernelHover | undefined {
  const chain = chainBeforeWord(analysis.text, word.start);
  if (!chain) return undefined;
  const reached = chainTarget(chain, kernel, targetsFor(chain), variables);
  const member = reached && reached.types.member(reached.ref, word.text);
  if (!reached || !member) return undefined;
  const aggregate = reached.types.aggregateOf(reached.ref);
  const where = aggregate ? `Member of \`${aggregate.text}\`, ${memberPlace(member)}` : memberPlace(member);
  const declaration = reached.types.typeText(member.ref, member.name) + (member.bitfieldSize !== undefined ? ` : ${member.bitfieldSize}` : '');
  return { markdown: `${cFence(declaration)}\n\n${where}`, span: word };
}

function probeNameHover(name: string, at: ProbeString, kernel: KernelTypes): KernelHover | undefined {
  const span = { start: at.start, end: at.end };
  if (!/^\w+$/.test(name)) return undefined;
  if (at.names === 'trace') {
    const tp = kernel.tracepoint(name);
    return tp && { markdown: `${cFence(`${tp.name}(${tp.args.map((a) => kernel.typeText(a.ref, a.name)).join(', ')})`)}\n\nTracepoint (${kernel.source})`, span };
  }
  if (at.names === 'module') return undefined;
  const types = at.module !== undefined ? kernel.moduleTypes(at.module) : kernel;
  const fn = types?.function(name);
  if (fn) return { markdown: `${cFence(fn.prototype)}\n\n${types!.source}`, span };
  const known = at.module !== undefined ? kernel.moduleFunctionSymbols(at.module)?.includes(name) : kernel.hasFunction(name);
  return known ? { markdown: `\`${name}\`: in the kernel's symbol table; its BTF does not describe its parameters`, span } : undefined;
}
