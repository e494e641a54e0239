// What to suggest for a member a struct lacks. Edit distance alone picks
// `stats` for task_struct's `state`, where the kernel renamed it `__state`,
// and `sk_stamp` for sock's `sk_state`, which C reaches through the macro
// `#define sk_state __sk_common.skc_state`. So, in order: the same name with
// leading underscores added or dropped; the member inside an embedded struct
// (`__sk_common->skc_state`), by name or by a kernel macro's renaming of its
// prefix; the nearest name by edit distance.

import { KernelMember, KernelTypes, TypeRef } from '../kernel/kernelTypes';
import { closestName } from './names';

export interface MemberSuggestion {
  /** The member, or the path to it through embedded structs. */
  path: string[];
  /** Found under another prefix (`sk_state` as `__sk_common.skc_state`): C code may reach it through a kernel macro. */
  macroAlias: boolean;
}

/** How deep embedded structs are searched (inet_sock's `inet_daddr` is `sk.__sk_common.skc_daddr`). */
const MAX_NESTING = 3;

export function suggestMember(types: KernelTypes, ref: TypeRef, name: string, members: KernelMember[]): MemberSuggestion | undefined {
  const bare = name.replace(/^_+/, '');
  const underscored = members.find((m) => m.name !== name && m.name.replace(/^_+/, '') === bare);
  if (underscored) return { path: [underscored.name], macroAlias: false };
  const nested = nestedMember(types, ref, name);
  if (nested) return nested;
  const closest = closestName(
    name,
    members.map((m) => m.name),
  );
  return closest ? { path: [closest], macroAlias: false } : undefined;
}

/** `prefix_rest` -> [prefix, rest]; undefined for a name without such a prefix. */
function splitPrefix(name: string): [string, string] | undefined {
  const m = /^([A-Za-z0-9]+)_(\w+)$/.exec(name);
  return m ? [m[1], m[2]] : undefined;
}

/** The member inside embedded (not pointed-to) structs, breadth first: by its name, else by the same name under another prefix. */
function nestedMember(types: KernelTypes, ref: TypeRef, name: string): MemberSuggestion | undefined {
  const split = splitPrefix(name);
  let level: { path: string[]; members: KernelMember[] }[] = [{ path: [], members: types.members(ref) ?? [] }];
  for (let depth = 0; depth < MAX_NESTING && level.length > 0; depth++) {
    const next: typeof level = [];
    let alias: MemberSuggestion | undefined;
    for (const { path, members } of level) {
      for (const m of members) {
        if (depth > 0 && m.name === name) return { path: [...path, m.name], macroAlias: false };
        const other = splitPrefix(m.name);
        if (depth > 0 && split && other && other[1] === split[1] && other[0] !== split[0]) alias ??= { path: [...path, m.name], macroAlias: true };
        const inner = types.aggregateOf(m.ref, false) && types.members(m.ref);
        if (inner && inner.length > 0) next.push({ path: [...path, m.name], members: inner });
      }
    }
    if (alias) return alias;
    level = next;
  }
  return undefined;
}
