// Writes BTF (and ELF files that carry it) for the tests, so that the kernel
// type data is tested on a machine without BTF, with fixtures made in the
// test rather than binaries committed. Written from the format's
// description, independently of the reader it tests.

/** One type to write; `id`s are assigned in the order types are added (or reserved). */
type TypeSpec =
  | { kind: 'int'; name: string; size: number; encoding: number; bits: number; offset: number }
  | { kind: 'ptr' | 'typedef' | 'volatile' | 'const' | 'restrict' | 'typeTag'; name?: string; type: number }
  | { kind: 'array'; type: number; indexType: number; nelems: number }
  | { kind: 'struct' | 'union'; name: string; size: number; members: MemberSpec[]; kindFlag: boolean }
  | { kind: 'enum'; name: string; size: number; values: [string, number][]; signed: boolean }
  | { kind: 'enum64'; name: string; size: number; values: [string, bigint][]; signed: boolean }
  | { kind: 'fwd'; name: string; union: boolean }
  | { kind: 'func'; name: string; type: number; linkage: number }
  | { kind: 'funcProto'; returnType: number; params: [string, number][]; variadic: boolean }
  | { kind: 'var'; name: string; type: number; linkage: number }
  | { kind: 'datasec'; name: string; size: number; vars: [number, number, number][] }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'declTag'; name: string; type: number; componentIndex: number }
  | { kind: 'raw'; words: number[] };

export interface MemberSpec {
  name: string;
  type: number;
  bitOffset: number;
  bitfieldSize?: number;
}

const KIND = {
  int: 1,
  ptr: 2,
  array: 3,
  struct: 4,
  union: 5,
  enum: 6,
  fwd: 7,
  typedef: 8,
  volatile: 9,
  const: 10,
  restrict: 11,
  func: 12,
  funcProto: 13,
  var: 14,
  datasec: 15,
  float: 16,
  declTag: 17,
  typeTag: 18,
  enum64: 19,
};

export class BtfWriter {
  private readonly types: (TypeSpec | undefined)[] = [];
  private readonly strings: string[] = [''];
  private readonly stringOffsets = new Map<string, number>([['', 0]]);
  private stringBytes = 1;

  /** For split BTF: the base's type count (void included) and string section length. */
  constructor(private readonly base?: { typeCount: number; stringsLength: number }) {}

  /** The id the next type gets. */
  get nextId(): number {
    return (this.base?.typeCount ?? 1) + this.types.length;
  }

  /** An id for a type defined later with `define` (a struct that points to itself). */
  reserve(): number {
    this.types.push(undefined);
    return this.nextId - 1;
  }

  define(id: number, spec: TypeSpec): number {
    this.types[id - (this.base?.typeCount ?? 1)] = spec;
    return id;
  }

  add(spec: TypeSpec): number {
    this.types.push(spec);
    return this.nextId - 1;
  }

  int(name: string, size: number, options: { signed?: boolean; char?: boolean; bool?: boolean; bits?: number; offset?: number } = {}): number {
    const encoding = (options.signed ? 1 : 0) | (options.char ? 2 : 0) | (options.bool ? 4 : 0);
    return this.add({ kind: 'int', name, size, encoding, bits: options.bits ?? size * 8, offset: options.offset ?? 0 });
  }
  ptr(type: number): number {
    return this.add({ kind: 'ptr', type });
  }
  typedef(name: string, type: number): number {
    return this.add({ kind: 'typedef', name, type });
  }
  const(type: number): number {
    return this.add({ kind: 'const', type });
  }
  volatile(type: number): number {
    return this.add({ kind: 'volatile', type });
  }
  restrict(type: number): number {
    return this.add({ kind: 'restrict', type });
  }
  typeTag(name: string, type: number): number {
    return this.add({ kind: 'typeTag', name, type });
  }
  array(type: number, nelems: number, indexType = 0): number {
    return this.add({ kind: 'array', type, indexType, nelems });
  }
  struct(name: string, size: number, members: MemberSpec[], options: { kindFlag?: boolean; id?: number } = {}): number {
    const spec: TypeSpec = { kind: 'struct', name, size, members, kindFlag: options.kindFlag ?? members.some((m) => m.bitfieldSize !== undefined) };
    return options.id !== undefined ? this.define(options.id, spec) : this.add(spec);
  }
  union(name: string, size: number, members: MemberSpec[]): number {
    return this.add({ kind: 'union', name, size, members, kindFlag: members.some((m) => m.bitfieldSize !== undefined) });
  }
  enum(name: string, values: [string, number][], signed = false): number {
    return this.add({ kind: 'enum', name, size: 4, values, signed });
  }
  enum64(name: string, values: [string, bigint][], signed = false): number {
    return this.add({ kind: 'enum64', name, size: 8, values, signed });
  }
  fwd(name: string, union = false): number {
    return this.add({ kind: 'fwd', name, union });
  }
  funcProto(returnType: number, params: [string, number][], variadic = false): number {
    return this.add({ kind: 'funcProto', returnType, params, variadic });
  }
  func(name: string, proto: number, linkage = 1): number {
    return this.add({ kind: 'func', name, type: proto, linkage });
  }
  /** A function with its prototype. */
  function(name: string, returnType: number, params: [string, number][], variadic = false): number {
    return this.func(name, this.funcProto(returnType, params, variadic));
  }
  var(name: string, type: number, linkage = 1): number {
    return this.add({ kind: 'var', name, type, linkage });
  }
  datasec(name: string, size: number, vars: [number, number, number][]): number {
    return this.add({ kind: 'datasec', name, size, vars });
  }
  float(name: string, size: number): number {
    return this.add({ kind: 'float', name, size });
  }
  declTag(name: string, type: number, componentIndex = -1): number {
    return this.add({ kind: 'declTag', name, type, componentIndex });
  }

  private str(s: string | undefined): number {
    if (!s) return 0;
    let off = this.stringOffsets.get(s);
    if (off === undefined) {
      off = (this.base?.stringsLength ?? 0) + this.stringBytes;
      this.stringOffsets.set(s, off);
      this.strings.push(s);
      this.stringBytes += Buffer.byteLength(s) + 1;
    }
    return off;
  }

  /** The BTF: header, types, strings. `headerExtra` appends fields to the header (a newer header). */
  build(options: { bigEndian?: boolean; headerExtra?: number[] } = {}): Buffer {
    const words: number[] = [];
    const info = (kind: number, vlen: number, kindFlag = false) => ((kindFlag ? 1 : 0) << 31) | (kind << 24) | vlen;
    for (const [i, t] of this.types.entries()) {
      if (!t) throw new Error(`type ${(this.base?.typeCount ?? 1) + i} reserved but never defined`);
      switch (t.kind) {
        case 'raw':
          words.push(...t.words);
          break;
        case 'int':
          words.push(this.str(t.name), info(KIND.int, 0), t.size, (t.encoding << 24) | (t.offset << 16) | t.bits);
          break;
        case 'ptr':
        case 'typedef':
        case 'volatile':
        case 'const':
        case 'restrict':
        case 'typeTag':
          words.push(this.str(t.name), info(KIND[t.kind], 0), t.type);
          break;
        case 'array':
          words.push(0, info(KIND.array, 0), 0, t.type, t.indexType, t.nelems);
          break;
        case 'struct':
        case 'union':
          words.push(this.str(t.name), info(KIND[t.kind], t.members.length, t.kindFlag), t.size);
          for (const m of t.members) words.push(this.str(m.name), m.type, t.kindFlag ? ((m.bitfieldSize ?? 0) << 24) | m.bitOffset : m.bitOffset);
          break;
        case 'enum':
          words.push(this.str(t.name), info(KIND.enum, t.values.length, t.signed), t.size);
          for (const [name, value] of t.values) words.push(this.str(name), value >>> 0);
          break;
        case 'enum64':
          words.push(this.str(t.name), info(KIND.enum64, t.values.length, t.signed), t.size);
          for (const [name, value] of t.values) {
            const v = BigInt.asUintN(64, value);
            words.push(this.str(name), Number(v & 0xffffffffn), Number(v >> 32n));
          }
          break;
        case 'fwd':
          words.push(this.str(t.name), info(KIND.fwd, 0, t.union), 0);
          break;
        case 'func':
          words.push(this.str(t.name), info(KIND.func, t.linkage), t.type);
          break;
        case 'funcProto': {
          const params = t.variadic ? [...t.params, ['', 0] as [string, number]] : t.params;
          words.push(0, info(KIND.funcProto, params.length), t.returnType);
          for (const [name, type] of params) words.push(this.str(name), type);
          break;
        }
        case 'var':
          words.push(this.str(t.name), info(KIND.var, 0), t.type, t.linkage);
          break;
        case 'datasec':
          words.push(this.str(t.name), info(KIND.datasec, t.vars.length), t.size);
          for (const v of t.vars) words.push(...v);
          break;
        case 'float':
          words.push(this.str(t.name), info(KIND.float, 0), t.size);
          break;
        case 'declTag':
          words.push(this.str(t.name), info(KIND.declTag, 0), t.type, t.componentIndex >>> 0);
          break;
      }
    }
    const stringSection = Buffer.from(this.strings.map((s) => s + '\0').join(''), 'utf8');
    const extra = options.headerExtra ?? [];
    const hdrLen = 24 + 4 * extra.length;
    const out = Buffer.alloc(hdrLen + words.length * 4 + stringSection.length);
    const le = !options.bigEndian;
    const u32 = (v: number, at: number) => (le ? out.writeUInt32LE(v >>> 0, at) : out.writeUInt32BE(v >>> 0, at));
    if (le) out.writeUInt16LE(0xeb9f, 0);
    else out.writeUInt16BE(0xeb9f, 0);
    out.writeUInt8(1, 2);
    u32(hdrLen, 4);
    u32(0, 8);
    u32(words.length * 4, 12);
    u32(words.length * 4, 16);
    u32(stringSection.length, 20);
    extra.forEach((v, i) => u32(v, 24 + 4 * i));
    words.forEach((w, i) => u32(w, hdrLen + 4 * i));
    stringSection.copy(out, hdrLen + words.length * 4);
    return out;
  }

  /** For split BTF over this one. */
  get typeCount(): number {
    return this.nextId;
  }
  get stringsLength(): number {
    return (this.base?.stringsLength ?? 0) + this.stringBytes;
  }
}

export interface ElfSectionSpec {
  name: string;
  /** 1 PROGBITS, 2 SYMTAB, 3 STRTAB, 8 NOBITS. */
  type: number;
  data: Buffer;
  /** Section index (1-based, as in the file) of a symbol table's string table. */
  link?: number;
  entsize?: number;
}

/** A minimal ELF file (64-bit unless told, little-endian unless told): the sections given, then the section name table. */
export function writeElf(sections: ElfSectionSpec[], options: { is64?: boolean; bigEndian?: boolean } = {}): Buffer {
  const is64 = options.is64 ?? true;
  const le = !options.bigEndian;
  const names = ['', ...sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let shstrtab = '';
  for (const n of names) {
    nameOffsets.push(shstrtab.length);
    shstrtab += n + '\0';
  }
  const all: ElfSectionSpec[] = [{ name: '', type: 0, data: Buffer.alloc(0) }, ...sections, { name: '.shstrtab', type: 3, data: Buffer.from(shstrtab, 'latin1') }];
  const ehsize = is64 ? 64 : 52;
  const shentsize = is64 ? 64 : 40;
  const offsets: number[] = [];
  let at = ehsize;
  for (const s of all) {
    at = (at + 7) & ~7;
    offsets.push(at);
    if (s.type !== 8) at += s.data.length;
  }
  const shoff = (at + 7) & ~7;
  const out = Buffer.alloc(shoff + shentsize * all.length);
  const u16 = (v: number, o: number) => (le ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (le ? out.writeUInt32LE(v >>> 0, o) : out.writeUInt32BE(v >>> 0, o));
  const word = (v: number, o: number) => (is64 ? (le ? out.writeBigUInt64LE(BigInt(v), o) : out.writeBigUInt64BE(BigInt(v), o)) : u32(v, o));
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1], 0);
  u16(2, 16); // ET_EXEC
  u16(is64 ? 62 : 3, 18);
  u32(1, 20);
  word(shoff, is64 ? 0x28 : 0x20);
  u16(ehsize, is64 ? 0x34 : 0x28);
  u16(shentsize, is64 ? 0x3a : 0x2e);
  u16(all.length, is64 ? 0x3c : 0x30);
  u16(all.length - 1, is64 ? 0x3e : 0x32);
  all.forEach((s, i) => {
    if (s.type !== 8) s.data.copy(out, offsets[i]);
    const h = shoff + i * shentsize;
    u32(nameOffsets[i], h);
    u32(s.type, h + 4);
    word(offsets[i], h + (is64 ? 24 : 16));
    word(s.data.length, h + (is64 ? 32 : 20));
    u32(s.link ?? 0, h + (is64 ? 40 : 24));
    word(s.entsize ?? 0, h + (is64 ? 56 : 36));
  });
  return out;
}

/** A symbol table and its string table for writeElf: [name, STT type (2 FUNC, 1 OBJECT)] each. */
export function symbolSections(symbols: [string, number][], strtabIndex: number, options: { is64?: boolean; bigEndian?: boolean } = {}): ElfSectionSpec[] {
  const is64 = options.is64 ?? true;
  const le = !options.bigEndian;
  const size = is64 ? 24 : 16;
  let strtab = '\0';
  const table = Buffer.alloc(size * (symbols.length + 1));
  symbols.forEach(([name, type], i) => {
    const at = size * (i + 1);
    const nameOff = strtab.length;
    strtab += name + '\0';
    if (le) table.writeUInt32LE(nameOff, at);
    else table.writeUInt32BE(nameOff, at);
    table.writeUInt8(0x10 | type, at + (is64 ? 4 : 12)); // STB_GLOBAL
  });
  return [
    { name: '.symtab', type: 2, data: table, link: strtabIndex, entsize: size },
    { name: '.strtab', type: 3, data: Buffer.from(strtab, 'latin1') },
  ];
}
