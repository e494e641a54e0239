// Names to type ids for one BTF, without decoding every type: the functions
// at once (the function checks and completion need them from the start),
// the structs, unions, typedefs and enums the first time one is asked for,
// the tracepoints likewise. For split BTF (a module's) only its own types
// are indexed; KernelTypes looks in the base after it.

import { Btf, BtfKind, kindMask } from './btf';
import { SortedNames } from './sortedNames';

export class BtfIndex {
  /** Function name -> the id of its first FUNC. */
  readonly functionIds = new Map<string, number>();
  private sortedFunctions: SortedNames | undefined;
  private named: { struct: Map<string, number>; union: Map<string, number>; typedef: Map<string, number>; enum: Map<string, number> } | undefined;
  private tracepointIds: Map<string, number> | undefined;
  private sortedTracepoints: SortedNames | undefined;

  constructor(readonly btf: Btf) {
    btf.forEachNamed(kindMask(BtfKind.func), (id, name) => {
      if (!this.functionIds.has(name)) this.functionIds.set(name, id);
    });
  }

  /** The function names, sorted: built on the first prefix search. */
  get functions(): SortedNames {
    return (this.sortedFunctions ??= new SortedNames([...this.functionIds.keys()]));
  }

  /** The id of a struct, union, typedef or enum by name (a complete one rather than a forward declaration). */
  typeId(space: 'struct' | 'union' | 'typedef' | 'enum', name: string): number | undefined {
    return this.namedTypes()[space].get(name);
  }

  /** `btf_trace_<name>` typedefs: tracepoint name -> typedef id. */
  get tracepoints(): Map<string, number> {
    if (!this.tracepointIds) {
      this.tracepointIds = new Map();
      for (const [name, id] of this.namedTypes().typedef) if (name.startsWith('btf_trace_')) this.tracepointIds.set(name.slice('btf_trace_'.length), id);
    }
    return this.tracepointIds;
  }

  get sortedTracepointNames(): SortedNames {
    return (this.sortedTracepoints ??= new SortedNames([...this.tracepoints.keys()]));
  }

  private namedTypes() {
    if (!this.named) {
      const named = { struct: new Map<string, number>(), union: new Map<string, number>(), typedef: new Map<string, number>(), enum: new Map<string, number>() };
      this.btf.forEachNamed(kindMask(BtfKind.struct, BtfKind.union, BtfKind.typedef, BtfKind.enum, BtfKind.enum64), (id, name) => {
        const kind = this.btf.kindOf(id);
        const map = kind === BtfKind.struct ? named.struct : kind === BtfKind.union ? named.union : kind === BtfKind.typedef ? named.typedef : named.enum;
        if (!map.has(name)) map.set(name, id);
      });
      this.named = named;
    }
    return this.named;
  }
}
