// Names to type ids for one BTF: functions, structs, unions, typedefs and
// enums, each in a hash table keyed by the hash of the name's bytes in the
// string section, so that building it decodes no string at all (a Map of
// 56,000 decoded names cost more than the rest of a load). The sorted
// function names that prefix search needs are made the first time one is
// asked for. For split BTF (a module's) only its own types are indexed;
// KernelTypes looks in the base after it.

import { Btf, BtfKind, hashName, kindMask } from './btf';
import { SortedNames } from './sortedNames';

/** Open addressing over name hashes; the first type of a name wins, as in id order. */
class NameTable {
  private ids = new Int32Array(1 << 10);
  private hashes = new Uint32Array(1 << 10);
  size = 0;

  constructor(private readonly btf: Btf) {}

  add(id: number, hash: number): void {
    if (this.size * 2 >= this.ids.length) this.grow();
    const mask = this.ids.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const other = this.ids[i];
      if (other === 0) {
        this.ids[i] = id;
        this.hashes[i] = hash;
        this.size++;
        return;
      }
      // Strings are deduplicated: one name, one offset (decoded only if not).
      if (this.hashes[i] === hash && (this.btf.nameOffsetOf(other) === this.btf.nameOffsetOf(id) || this.btf.nameOf(other) === this.btf.nameOf(id))) return;
    }
  }

  get(name: string): number | undefined {
    const hash = hashName(name);
    const mask = this.ids.length - 1;
    for (let i = hash & mask; this.ids[i] !== 0; i = (i + 1) & mask) {
      if (this.hashes[i] === hash && this.btf.nameIs(this.ids[i], name)) return this.ids[i];
    }
    return undefined;
  }

  /** The ids, in id order: pahole writes functions sorted by name, and sorting what is nearly sorted is quick. */
  all(): Int32Array {
    return this.ids.filter((id) => id !== 0).sort();
  }

  private grow(): void {
    const ids = this.ids;
    const hashes = this.hashes;
    this.ids = new Int32Array(ids.length * 2);
    this.hashes = new Uint32Array(ids.length * 2);
    const mask = this.ids.length - 1;
    for (let j = 0; j < ids.length; j++) {
      if (ids[j] === 0) continue;
      let i = hashes[j] & mask;
      while (this.ids[i] !== 0) i = (i + 1) & mask;
      this.ids[i] = ids[j];
      this.hashes[i] = hashes[j];
    }
  }
}

export type NameSpace = 'struct' | 'union' | 'typedef' | 'enum';

export class BtfIndex {
  private readonly functionTable: NameTable;
  private readonly tables: Record<NameSpace, NameTable>;
  private sortedFunctions: SortedNames | undefined;
  private readonly sortedTypes = new Map<NameSpace, SortedNames>();
  private tracepointIds: Map<string, number> | undefined;
  private sortedTracepoints: SortedNames | undefined;

  constructor(readonly btf: Btf) {
    this.functionTable = new NameTable(btf);
    this.tables = { struct: new NameTable(btf), union: new NameTable(btf), typedef: new NameTable(btf), enum: new NameTable(btf) };
    const byKind: (NameTable | undefined)[] = [];
    byKind[BtfKind.func] = this.functionTable;
    byKind[BtfKind.struct] = this.tables.struct;
    byKind[BtfKind.union] = this.tables.union;
    byKind[BtfKind.typedef] = this.tables.typedef;
    byKind[BtfKind.enum] = this.tables.enum;
    byKind[BtfKind.enum64] = this.tables.enum;
    btf.forEachNameHash(kindMask(BtfKind.func, BtfKind.struct, BtfKind.union, BtfKind.typedef, BtfKind.enum, BtfKind.enum64), (id, hash) => byKind[btf.kindOf(id)]!.add(id, hash));
  }

  /** The id of the first function of this name. */
  functionId(name: string): number | undefined {
    return this.functionTable.get(name);
  }

  get functionCount(): number {
    return this.functionTable.size;
  }

  /** The function names, sorted: decoded the first time they are asked for. */
  get functions(): SortedNames {
    if (!this.sortedFunctions) {
      const names: string[] = [];
      for (const id of this.functionTable.all()) names.push(this.btf.nameOf(id));
      this.sortedFunctions = new SortedNames(names);
    }
    return this.sortedFunctions;
  }

  /** The id of a struct, union, typedef or enum by name. */
  typeId(space: NameSpace, name: string): number | undefined {
    return this.tables[space].get(name);
  }

  /** The struct, union, typedef or enum names, sorted: decoded the first time they are asked for. */
  typeNames(space: NameSpace): SortedNames {
    let names = this.sortedTypes.get(space);
    if (!names) {
      const list: string[] = [];
      for (const id of this.tables[space].all()) list.push(this.btf.nameOf(id));
      this.sortedTypes.set(space, (names = new SortedNames(list)));
    }
    return names;
  }

  /** `btf_trace_<name>` typedefs: tracepoint name -> typedef id. */
  get tracepoints(): Map<string, number> {
    if (!this.tracepointIds) {
      this.tracepointIds = new Map();
      for (const id of this.tables.typedef.all()) {
        const name = this.btf.nameOf(id);
        if (name.startsWith('btf_trace_') && !this.tracepointIds.has(name.slice(10))) this.tracepointIds.set(name.slice(10), id);
      }
    }
    return this.tracepointIds;
  }

  get sortedTracepointNames(): SortedNames {
    return (this.sortedTracepoints ??= new SortedNames([...this.tracepoints.keys()]));
  }
}
