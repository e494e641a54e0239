// What the target kernel has, asked by name: its functions (from BTF, and
// from its symbol table for those BTF leaves out) with their prototypes,
// its structs and unions with their members, its tracepoints with their
// arguments. The query API the diagnostics, completion and hover share:
//   names:      hasFunction, functionsWithPrefix, typesWithPrefix,
//               hasTracepoint, tracepointsWithPrefix (sorted, capped)
//   prototypes: function(name), tracepoint(name)   (params: name, C type, ref)
//   types:      typeNamed / aggregate (as @cast names them), aggregateOf,
//               members / member (through pointers, typedefs, qualifiers,
//               anonymous members), elementOf ([i]), typeText (C text)
//   modules:    moduleTypes(name) (the same API over a module's BTF),
//               moduleNamesWithPrefix
// Types are decoded on demand; member lists and prototypes are cached, a
// bounded number.

import { Btf, BtfKind } from './btf';
import { BtfIndex } from './btfIndex';
import { typeText } from './cType';
import { ownedName } from './kallsyms';
import { mergePrefixed, SortedNames } from './sortedNames';

/** A type of one BTF, opaque to callers: they pass it back to ask for its members. */
export interface TypeRef {
  readonly btf: Btf;
  readonly id: number;
}

export interface KernelParam {
  /** Empty when the kernel's data has no name for it. */
  name: string;
  /** As C writes it: `struct sock *`. */
  type: string;
  ref: TypeRef;
}

export interface KernelFunction {
  name: string;
  /** `int tcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)` */
  prototype: string;
  returnType: string;
  returnRef: TypeRef;
  params: KernelParam[];
  variadic: boolean;
}

export interface KernelMember {
  name: string;
  type: string;
  ref: TypeRef;
  /** From the start of the outermost struct, members of anonymous structs and unions included. */
  bitOffset: number;
  byteOffset: number;
  /** Set for bitfields. */
  bitfieldSize?: number;
}

export interface KernelAggregate {
  kind: 'struct' | 'union';
  /** Empty for an anonymous one. */
  name: string;
  /** `struct sk_buff` */
  text: string;
  size: number;
  ref: TypeRef;
}

export interface KernelTracepoint {
  name: string;
  /** The tracepoint's arguments, without the context pointer every probe gets first. */
  args: KernelParam[];
}

/** Typedef chains and qualifiers deeper than this are malformed data. */
const MAX_CHAIN = 64;
/** Member lists kept decoded. */
const MEMBER_CACHE = 2000;
/** Function prototypes kept decoded. */
const FUNCTION_CACHE = 2000;

const MODIFIERS = new Set<number>([BtfKind.typedef, BtfKind.const, BtfKind.volatile, BtfKind.restrict, BtfKind.typeTag]);

export interface KernelTypesOptions {
  /** Where the data comes from, for messages: `/sys/kernel/btf/vmlinux`. */
  source: string;
  /** Function names from the symbol table (kallsyms, or the vmlinux ELF's), for functions BTF does not describe. */
  symbols?: string[];
  /** Text symbols of loaded modules, by module. */
  moduleSymbols?: Map<string, string[]>;
  /** The modules that have BTF (the files beside vmlinux), for completing `module("...")`. */
  listModules?: () => string[];
  /** The BTF of a module (split over this BTF), or undefined when it has none; called once per module. */
  loadModule?: (name: string) => Btf | undefined;
  /** The module this is, for module BTF. */
  module?: string;
  /** For module BTF: the kernel's, where the base types are looked up. */
  parent?: KernelTypes;
}

export class KernelTypes {
  readonly source: string;
  readonly module: string | undefined;
  /** Set while a symbol table is on its way: until it is in, a name BTF lacks may still be a function. */
  symbolsExpected = false;
  private readonly index: BtfIndex;
  private symbols: SortedNames | undefined;
  private readonly moduleSymbols: Map<string, string[]>;
  private readonly modules = new Map<string, KernelTypes | undefined>();
  private readonly memberCache = new Map<number, KernelMember[]>();
  private readonly functionCache = new Map<string, KernelFunction | undefined>();
  private traceArgNames: Map<string, string[] | null> | undefined;

  constructor(
    readonly btf: Btf,
    private readonly options: KernelTypesOptions,
  ) {
    this.source = options.source;
    this.module = options.module;
    this.index = new BtfIndex(btf);
    this.moduleSymbols = options.moduleSymbols ?? new Map();
    if (options.symbols) this.symbols = new SortedNames(options.symbols.filter((n) => this.index.functionId(n) === undefined).map(ownedName));
  }

  /** Adds the symbol table's function names (they load after the BTF). */
  addSymbols(symbols: string[], moduleSymbols?: Map<string, string[]>): void {
    // Kept: the few BTF lacks, each its own string (not a slice of the whole table's text).
    this.symbols = new SortedNames([...(this.symbols ?? []), ...symbols.filter((n) => this.index.functionId(n) === undefined).map(ownedName)]);
    for (const [m, names] of moduleSymbols ?? []) this.moduleSymbols.set(m, names);
  }

  /** Whether a symbol table is still loading: "no such function" cannot be said yet. */
  get symbolsPending(): boolean {
    return this.symbolsExpected && this.symbols === undefined && !this.options.parent;
  }

  /** How many functions BTF describes, and how many more the symbol table names. */
  get counts(): { types: number; functions: number; symbolsOnly: number } {
    return { types: this.btf.ownTypeCount, functions: this.index.functionCount, symbolsOnly: this.symbols?.size ?? 0 };
  }

  // --- Functions ---

  /** Whether the kernel (or this module) has a function of this name: in BTF or in the symbol table. */
  hasFunction(name: string): boolean {
    return this.index.functionId(name) !== undefined || !!this.symbols?.has(name);
  }

  /** Up to `limit` function names starting with `prefix`, sorted: BTF's and the symbol table's. */
  functionsWithPrefix(prefix: string, limit: number): string[] {
    const fromBtf = this.index.functions.withPrefix(prefix, limit);
    return this.symbols ? mergePrefixed([fromBtf, this.symbols.withPrefix(prefix, limit)], limit) : fromBtf;
  }

  /** Builds, a step at a time, what the first completion or tracepoint would otherwise wait for. */
  async warmUp(): Promise<void> {
    const step = () => new Promise((resolve) => setImmediate(resolve));
    await step();
    this.index.functions.withPrefix('', 0);
    await step();
    this.index.sortedTracepointNames.withPrefix('', 0);
  }

  /** A function's prototype from BTF; undefined for functions BTF does not describe. */
  function(name: string): KernelFunction | undefined {
    // Asked again at every analysis of a script that probes it: kept, a bounded number.
    if (this.functionCache.has(name)) return this.functionCache.get(name);
    const fn = this.decodeFunction(name);
    if (this.functionCache.size >= FUNCTION_CACHE) this.functionCache.delete(this.functionCache.keys().next().value!);
    this.functionCache.set(name, fn);
    return fn;
  }

  private decodeFunction(name: string): KernelFunction | undefined {
    const id = this.index.functionId(name);
    if (id === undefined) return undefined;
    const protoId = this.btf.referencedType(id);
    const proto = this.btf.type(protoId);
    if (proto?.kind !== 'funcProto') return undefined;
    return {
      name,
      prototype: typeText(this.btf, protoId, name),
      returnType: typeText(this.btf, proto.returnType),
      returnRef: { btf: this.btf, id: proto.returnType },
      params: proto.params.map((p) => this.param(p.name, p.type)),
      variadic: proto.variadic,
    };
  }

  // --- Modules ---

  /** A module's data (its functions and types over the kernel's), undefined when it has no BTF. */
  moduleTypes(name: string): KernelTypes | undefined {
    if (this.options.parent) return this.options.parent.moduleTypes(name);
    // A name, never a path: it becomes one under /sys/kernel/btf.
    const normalized = name.replace(/-/g, '_');
    if (!/^\w+$/.test(normalized)) return undefined;
    if (!this.modules.has(normalized)) {
      let types: KernelTypes | undefined;
      try {
        const btf = this.options.loadModule?.(normalized);
        if (btf) types = new KernelTypes(btf, { source: `${this.source} + module ${normalized}`, module: normalized, parent: this, symbols: this.moduleSymbols.get(normalized) ?? [] });
      } catch {
        types = undefined; // unreadable or malformed: as if there were none
      }
      this.modules.set(normalized, types);
    }
    return this.modules.get(normalized);
  }

  /** Up to `limit` module names starting with `prefix`, sorted: those with BTF and those the symbol table names. */
  moduleNamesWithPrefix(prefix: string, limit: number): string[] {
    if (this.options.parent) return this.options.parent.moduleNamesWithPrefix(prefix, limit);
    let listed: string[] = [];
    try {
      listed = this.options.listModules?.() ?? [];
    } catch {
      listed = []; // an unreadable folder: the symbol table's names still count
    }
    const names = new Set([...listed, ...this.moduleSymbols.keys()].filter((n) => n !== 'vmlinux' && n.startsWith(prefix)));
    return [...names].sort().slice(0, limit);
  }

  /** The text symbols of a loaded module (kallsyms), when its BTF is missing. */
  moduleFunctionSymbols(name: string): readonly string[] | undefined {
    return (this.options.parent ?? this).moduleSymbols.get(name.replace(/-/g, '_'));
  }

  // --- Types ---

  /**
   * A type named as `@cast` and C name it: `sk_buff`, `struct sk_buff`,
   * `union bpf_attr`, `enum x`, or a typedef (`u32`, `sk_buff_data_t`).
   * A bare name is tried as a struct, then a union, then a typedef.
   */
  typeNamed(text: string): TypeRef | undefined {
    const m = /^\s*(?:(struct|union|enum)\s+)?([A-Za-z_]\w*)\s*$/.exec(text);
    if (!m) return undefined;
    const [, keyword, name] = m;
    const spaces: ('struct' | 'union' | 'typedef' | 'enum')[] = keyword ? [keyword as 'struct' | 'union' | 'enum'] : ['struct', 'union', 'typedef'];
    for (const space of spaces) {
      const found = this.lookup(space, name);
      if (found) return found;
    }
    return undefined;
  }

  /** Up to `limit` struct (union, typedef, enum) names starting with `prefix`, sorted: for completion after `struct `. */
  typesWithPrefix(space: 'struct' | 'union' | 'typedef' | 'enum', prefix: string, limit: number): string[] {
    const own = this.index.typeNames(space).withPrefix(prefix, limit);
    return this.options.parent ? mergePrefixed([own, this.options.parent.typesWithPrefix(space, prefix, limit)], limit) : own;
  }

  /** A struct or union by name (`sk_buff`, `struct sk_buff`, or a typedef of one). */
  aggregate(text: string): KernelAggregate | undefined {
    const ref = this.typeNamed(text);
    const resolved = ref && this.aggregateRef(ref, false);
    return resolved && this.describeAggregate(resolved);
  }

  /** The struct or union a value of this type has members of: through typedefs, qualifiers and (`throughPointer`) one pointer. */
  aggregateOf(ref: TypeRef, throughPointer = true): KernelAggregate | undefined {
    const resolved = this.aggregateRef(ref, throughPointer);
    return resolved && this.describeAggregate(resolved);
  }

  /**
   * The members `->` reaches on a value of this type: through typedefs,
   * const/volatile, type tags and one pointer; members of anonymous structs
   * and unions are listed as members of their container, as C reaches them.
   * Undefined when the type is not a struct or union (or is only declared).
   */
  members(ref: TypeRef): KernelMember[] | undefined {
    const resolved = this.aggregateRef(ref, true);
    if (!resolved) return undefined;
    // Split BTF continues its base's ids: an id names one type either way.
    const key = resolved.id;
    let members = this.memberCache.get(key);
    if (!members) {
      members = [];
      this.flatten(resolved.btf, resolved.id, 0, members, 0);
      if (this.memberCache.size >= MEMBER_CACHE) this.memberCache.delete(this.memberCache.keys().next().value!);
      this.memberCache.set(key, members);
    }
    return members;
  }

  member(ref: TypeRef, name: string): KernelMember | undefined {
    return this.members(ref)?.find((m) => m.name === name);
  }

  /** What `[i]` gives on a value of this type: an array's element, or a pointer's target. */
  elementOf(ref: TypeRef): TypeRef | undefined {
    const id = skipModifiers(ref.btf, ref.id);
    const kind = ref.btf.kindOf(id);
    if (kind === BtfKind.array) {
      const t = ref.btf.type(id);
      return t?.kind === 'array' ? { btf: ref.btf, id: t.type } : undefined;
    }
    if (kind === BtfKind.ptr) return { btf: ref.btf, id: ref.btf.referencedType(id) };
    return undefined;
  }

  /** The type as C writes it; `declarator` is a name to declare (`struct sk_buff *skb`). */
  typeText(ref: TypeRef, declarator = ''): string {
    return typeText(ref.btf, ref.id, declarator);
  }

  // --- Tracepoints ---

  hasTracepoint(name: string): boolean {
    return this.index.tracepoints.has(name) || !!this.options.parent?.hasTracepoint(name);
  }

  tracepointsWithPrefix(prefix: string, limit: number): string[] {
    return this.index.sortedTracepointNames.withPrefix(prefix, limit);
  }

  /**
   * A tracepoint's arguments. Its `btf_trace_<name>` typedef is a pointer to
   * a prototype whose types are right but whose parameters have no names;
   * the names are those of the event class's `__bpf_trace_<class>`
   * function, which has the same parameter types. Left empty when no such
   * function says, or classes of the same types disagree.
   */
  tracepoint(name: string): KernelTracepoint | undefined {
    const typedefId = this.index.tracepoints.get(name);
    if (typedefId === undefined) return this.options.parent?.tracepoint(name);
    const ptr = this.btf.type(this.btf.referencedType(typedefId));
    const proto = ptr?.kind === 'ptr' ? this.btf.type(ptr.type) : undefined;
    if (proto?.kind !== 'funcProto') return undefined;
    const types = proto.params.slice(1).map((p) => p.type);
    const names = this.traceArgNamesFor(name, types);
    return { name, args: types.map((t, i) => this.param(names?.[i] ?? '', t)) };
  }

  private traceArgNamesFor(event: string, types: number[]): string[] | undefined {
    const own = this.index.functionId(`__bpf_trace_${event}`);
    const ownNames = own !== undefined ? this.traceFunctionArgs(own) : undefined;
    if (ownNames && sameTypes(ownNames.types, types)) return ownNames.names;
    if (!this.traceArgNames) {
      this.traceArgNames = new Map();
      for (const fn of this.index.functions.withPrefix('__bpf_trace_', Infinity)) {
        const args = this.traceFunctionArgs(this.index.functionId(fn)!);
        if (!args) continue;
        const key = args.types.join(',');
        const known = this.traceArgNames.get(key);
        if (known === undefined) this.traceArgNames.set(key, args.names);
        else if (known && known.join(',') !== args.names.join(',')) this.traceArgNames.set(key, null);
      }
    }
    return this.traceArgNames.get(types.join(',')) ?? undefined;
  }

  /** The parameters of a `__bpf_trace_<class>` function after its `__data`. */
  private traceFunctionArgs(funcId: number): { types: number[]; names: string[] } | undefined {
    const proto = this.btf.type(this.btf.referencedType(funcId));
    if (proto?.kind !== 'funcProto') return undefined;
    const params = proto.params.slice(1);
    return { types: params.map((p) => p.type), names: params.map((p) => p.name) };
  }

  // --- Helpers ---

  private param(name: string, type: number): KernelParam {
    return { name, type: typeText(this.btf, type), ref: { btf: this.btf, id: type } };
  }

  /** A named type here, or (for module data) in the kernel's. */
  private lookup(space: 'struct' | 'union' | 'typedef' | 'enum', name: string): TypeRef | undefined {
    const id = this.index.typeId(space, name);
    if (id !== undefined) return { btf: this.btf, id };
    return this.options.parent?.lookup(space, name);
  }

  /** The struct or union a type stands for; `throughPointer`: a pointer to one too. Forward declarations are looked up by name. */
  private aggregateRef(ref: TypeRef, throughPointer: boolean): TypeRef | undefined {
    const btf = ref.btf;
    let id = skipModifiers(btf, ref.id);
    if (throughPointer && btf.kindOf(id) === BtfKind.ptr) id = skipModifiers(btf, btf.referencedType(id));
    const kind = btf.kindOf(id);
    if (kind === BtfKind.struct || kind === BtfKind.union) return { btf, id };
    if (kind === BtfKind.fwd) {
      const t = btf.type(id);
      if (t?.kind !== 'fwd') return undefined;
      const found = this.lookup(t.union ? 'union' : 'struct', t.name);
      return found && (found.btf.kindOf(found.id) === BtfKind.struct || found.btf.kindOf(found.id) === BtfKind.union) ? found : undefined;
    }
    return undefined;
  }

  private describeAggregate(ref: TypeRef): KernelAggregate | undefined {
    const t = ref.btf.type(ref.id);
    if (t?.kind !== 'struct' && t?.kind !== 'union') return undefined;
    return { kind: t.kind, name: t.name, text: `${t.kind} ${t.name || '{...}'}`, size: t.size, ref };
  }

  private flatten(btf: Btf, id: number, base: number, out: KernelMember[], depth: number): void {
    const t = btf.type(id);
    if ((t?.kind !== 'struct' && t?.kind !== 'union') || depth > MAX_CHAIN) return;
    for (const m of t.members) {
      const bitOffset = base + m.bitOffset;
      if (m.name === '') {
        // An anonymous struct or union: its members are the container's.
        const inner = skipModifiers(btf, m.type);
        const kind = btf.kindOf(inner);
        if (kind === BtfKind.struct || kind === BtfKind.union) this.flatten(btf, inner, bitOffset, out, depth + 1);
        continue;
      }
      const member: KernelMember = { name: m.name, type: typeText(btf, m.type), ref: { btf, id: m.type }, bitOffset, byteOffset: Math.floor(bitOffset / 8) };
      const bits = m.bitfieldSize ?? intBitfieldSize(btf, m.type);
      if (bits !== undefined) member.bitfieldSize = bits;
      out.push(member);
    }
  }
}

/** Through typedefs, const, volatile, restrict and type tags. */
export function skipModifiers(btf: Btf, id: number): number {
  for (let i = 0; i < MAX_CHAIN && MODIFIERS.has(btf.kindOf(id)); i++) id = btf.referencedType(id);
  return id;
}

/** Old-style bitfields: an int type narrower than its size. */
function intBitfieldSize(btf: Btf, id: number): number | undefined {
  if (btf.kindOf(id) !== BtfKind.int) return undefined;
  const t = btf.type(id);
  return t?.kind === 'int' && t.bits !== t.size * 8 ? t.bits : undefined;
}

function sameTypes(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}
