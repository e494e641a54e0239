// `kernel.function("tcp_sendmsgg")`: a function this kernel does not have,
// found as the name is typed rather than at stap's pass 2 ("no match").
// Known functions are those of the kernel's BTF and its symbol table. Never
// said of patterns (wildcards, `@file`, `:line`), of optional probes (`?`,
// `!`, and the points after a `!`), of `.inline` probes (inline functions are in neither), of modules
// whose functions are not known, or while the symbol table is still loading.

import { ProbeDecl, Script } from '../syntax/ast';
import { quoted } from '../syntax/diagnostic';
import { KernelTypes } from '../kernel/kernelTypes';
import { Finding } from './diagnostic';
import { kernelProbePoints, pointsOf } from './kernelProbes';
import { closestName } from './names';

// A nearest name among 60,000 would take a tenth of a second, at every
// keystroke of a name being typed: the candidates are those that begin with
// the same character (a typo there is rare), and each name is looked up
// once per kernel.
const suggestionCache = new WeakMap<KernelTypes, Map<string, string | undefined>>();
const MAX_CACHED = 1000;

function suggest(kernel: KernelTypes, key: string, name: string, candidates: () => Iterable<string>): string | undefined {
  let cache = suggestionCache.get(kernel);
  if (!cache) suggestionCache.set(kernel, (cache = new Map()));
  if (!cache.has(key)) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, closestName(name, candidates()));
  }
  return cache.get(key);
}

/** Whether a module's function is known, or undefined when the module's functions are not known at all. */
function moduleHas(kernel: KernelTypes, module: string, name: string): { known: boolean; names: () => Iterable<string> } | undefined {
  const types = kernel.moduleTypes(module);
  if (types) return { known: types.hasFunction(name), names: () => types.functionsWithPrefix(name[0], Infinity) };
  const symbols = kernel.moduleFunctionSymbols(module);
  if (symbols) return { known: symbols.includes(name), names: () => symbols };
  return undefined;
}

export function checkKernelFunctions(script: Script, text: string, kernel: KernelTypes): Finding[] {
  if (kernel.symbolsPending) return [];
  const findings: Finding[] = [];
  for (const item of script.items) {
    if (item.kind !== 'probe') continue;
    const points = pointsOf(item as ProbeDecl);
    for (const kp of kernelProbePoints(item as ProbeDecl, text)) {
      if (kp.kind === 'trace' || !kp.name || kp.point.optional || kp.point.sufficient || kp.suffixes.includes('inline')) continue;
      // `A!, B`: B is tried only when A fails, which may be what happens here.
      if (points.slice(0, points.indexOf(kp.point)).some((p) => p.sufficient)) continue;
      const name = kp.name;
      let known: boolean;
      let candidates: () => Iterable<string>;
      if (kp.module !== undefined) {
        const found = moduleHas(kernel, kp.module, name);
        if (!found) continue;
        ({ known, names: candidates } = found);
      } else {
        known = kernel.hasFunction(name);
        candidates = () => kernel.functionsWithPrefix(name[0], Infinity);
      }
      if (known) continue;
      const replacement = suggest(kernel, `${kp.module ?? ''}\0${name}`, name, candidates);
      const where = kp.module !== undefined ? `module ${quoted(kp.module)}` : 'this kernel';
      findings.push({
        start: kp.start,
        end: kp.end,
        severity: 'warning',
        code: 'kernel-function-unknown',
        message:
          `${where} has no function ${quoted(name)}${replacement ? ` (did you mean '${replacement}'?)` : ''}: it is in neither the kernel's BTF nor its symbol table (${kernel.source}). ` +
          `An inline function is in neither, and stap may still find it with debuginfo; a probe that may be missing can be made optional with '?'`,
        replacement,
      });
    }
  }
  return findings;
}
