// A reader for BTF, the kernel's own type information (the format of
// Documentation/bpf/btf.rst: a header, a type section, a string section).
// The kernel's BTF holds about 126,000 types; materialising them all would
// cost time and memory the editor does not have, so the reader only records
// where each type starts and what kind it is, and decodes a type when asked.
// Split BTF (a module's, over vmlinux's) continues the base's type ids and
// string offsets. Input is untrusted: every read is bounds-checked against
// the section it belongs to, and malformed data throws BtfError at load time.

export class BtfError extends Error {}

/** The kinds, numbered as in the format. */
export const BtfKind = {
  void: 0,
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
} as const;

export interface BtfMember {
  name: string;
  type: number;
  /** From the start of the struct or union. */
  bitOffset: number;
  /** Set for a bitfield. */
  bitfieldSize?: number;
}

export interface BtfParam {
  /** Empty in function pointer types, which carry no names. */
  name: string;
  type: number;
}

export interface BtfEnumValue {
  name: string;
  value: bigint;
}

/** One type, decoded. `id` is its type id; id 0 is `void`. */
export type BtfType = { id: number } & (
  | { kind: 'void' }
  | { kind: 'int'; name: string; size: number; signed: boolean; char: boolean; bool: boolean; bits: number; bitOffset: number }
  | { kind: 'ptr'; type: number }
  | { kind: 'array'; type: number; indexType: number; nelems: number }
  | { kind: 'struct' | 'union'; name: string; size: number; members: BtfMember[] }
  | { kind: 'enum' | 'enum64'; name: string; size: number; signed: boolean; values: BtfEnumValue[] }
  | { kind: 'fwd'; name: string; union: boolean }
  | { kind: 'typedef'; name: string; type: number }
  | { kind: 'volatile' | 'const' | 'restrict'; type: number }
  | { kind: 'typeTag'; name: string; type: number }
  | { kind: 'func'; name: string; type: number; linkage: number }
  | { kind: 'funcProto'; returnType: number; params: BtfParam[]; variadic: boolean }
  | { kind: 'var'; name: string; type: number; linkage: number }
  | { kind: 'datasec'; name: string; size: number; vars: { type: number; offset: number; size: number }[] }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'declTag'; name: string; type: number; componentIndex: number }
);

const MAGIC = 0xeb9f;
const HEADER_MIN = 24;
const TYPE_HEADER = 12;

/** The bytes a type of `kind` with `vlen` entries takes after its 12-byte header; -1 for an unknown kind. */
function extraBytes(kind: number, vlen: number): number {
  switch (kind) {
    case BtfKind.int:
    case BtfKind.var:
    case BtfKind.declTag:
      return 4;
    case BtfKind.array:
      return 12;
    case BtfKind.struct:
    case BtfKind.union:
    case BtfKind.datasec:
    case BtfKind.enum64:
      return 12 * vlen;
    case BtfKind.enum:
    case BtfKind.funcProto:
      return 8 * vlen;
    case BtfKind.ptr:
    case BtfKind.fwd:
    case BtfKind.typedef:
    case BtfKind.volatile:
    case BtfKind.const:
    case BtfKind.restrict:
    case BtfKind.func:
    case BtfKind.float:
    case BtfKind.typeTag:
      return 0;
    default:
      return -1;
  }
}

export class Btf {
  /** The first type id of this BTF's own types: 1, or after the base's. */
  readonly firstId: number;
  /** Type ids are below this (the base's included, void too). */
  readonly typeCount: number;
  /** The base (vmlinux) for module BTF. */
  readonly base: Btf | undefined;

  private readonly view: DataView;
  private readonly bytes: Buffer;
  private readonly le: boolean;
  private readonly strStart: number;
  /**
   * The string section as one string, when it is all ASCII (C names are):
   * a name is then a slice of it, far cheaper than a decoder call per name.
   */
  private readonly ascii: string | undefined;
  private readonly strEnd: number;
  /** String offsets below this are the base's. */
  private readonly strBase: number;
  /** Where each own type starts, by id - firstId. */
  private readonly offsets: Uint32Array;
  private readonly kinds: Uint8Array;

  constructor(data: Uint8Array, base?: Btf) {
    this.base = base;
    this.bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data.byteLength < HEADER_MIN) throw new BtfError('too short for a BTF header');
    const magic = this.view.getUint16(0, true);
    if (magic === MAGIC) this.le = true;
    else if (magic === 0x9feb) this.le = false;
    else throw new BtfError('not BTF (no 0xeB9F magic)');
    const version = this.view.getUint8(2);
    if (version !== 1) throw new BtfError(`BTF version ${version}, only version 1 is known`);
    const hdrLen = this.u32(4);
    if (hdrLen < HEADER_MIN || hdrLen > data.byteLength) throw new BtfError(`bad header length ${hdrLen}`);
    const section = (off: number, len: number, what: string): [number, number] => {
      const start = hdrLen + off;
      if (start + len > data.byteLength) throw new BtfError(`the ${what} section runs past the end of the data`);
      return [start, start + len];
    };
    const [typeStart, typeEnd] = section(this.u32(8), this.u32(12), 'type');
    [this.strStart, this.strEnd] = section(this.u32(16), this.u32(20), 'string');
    this.strBase = base ? base.stringsLength : 0;
    const strings = this.bytes.toString('latin1', this.strStart, this.strEnd);
    this.ascii = /[\x80-\xff]/.test(strings) ? undefined : strings;
    this.firstId = base ? base.typeCount : 1;
    // A later header may describe each kind's layout, so that kinds newer than this reader can be skipped.
    const layout = hdrLen >= 32 && this.u32(28) > 0 ? section(this.u32(24), this.u32(28), 'layout') : undefined;

    const scanned = scanTypes(this.view, this.le, typeStart, typeEnd, this.firstId, layout);
    this.offsets = scanned.offsets;
    this.kinds = scanned.kinds;
    this.typeCount = this.firstId + scanned.offsets.length;
  }

  /** The length of the string section, with the base's: where a split BTF's own strings start. */
  get stringsLength(): number {
    return this.strBase + (this.strEnd - this.strStart);
  }

  /** How many types this BTF itself holds (not its base's). */
  get ownTypeCount(): number {
    return this.offsets.length;
  }

  /** The kind number of a type (BtfKind); 0 for void and for ids out of range. */
  kindOf(id: number): number {
    if (id >= this.firstId && id < this.typeCount) return this.kinds[id - this.firstId];
    if (this.base && id > 0 && id < this.firstId) return this.base.kindOf(id);
    return 0;
  }

  /** The name of a type without decoding it ('' for anonymous types and bad ids). */
  nameOf(id: number): string {
    const off = this.ownOffset(id);
    if (off < 0) return this.base && id > 0 && id < this.firstId ? this.base.nameOf(id) : '';
    return this.string(this.u32(off));
  }

  /** The raw string offset of a type's name: equal offsets, equal names. */
  nameOffsetOf(id: number): number {
    const off = this.ownOffset(id);
    if (off < 0) return this.base && id > 0 && id < this.firstId ? this.base.nameOffsetOf(id) : 0;
    return this.u32(off);
  }

  /** The type a reference kind (ptr, typedef, const, func, ...) refers to, without decoding the rest. */
  referencedType(id: number): number {
    const off = this.ownOffset(id);
    if (off < 0) return this.base && id > 0 && id < this.firstId ? this.base.referencedType(id) : 0;
    return this.u32(off + 8);
  }

  /** The string at an offset of the string section (the base's below its length); '' when out of range. */
  string(offset: number): string {
    if (offset < this.strBase) return this.base!.string(offset);
    const start = this.strStart + offset - this.strBase;
    if (start >= this.strEnd) return '';
    if (this.ascii !== undefined) {
      const end = this.ascii.indexOf('\0', start - this.strStart);
      return this.ascii.slice(start - this.strStart, end < 0 ? undefined : end);
    }
    let end = this.bytes.indexOf(0, start);
    if (end < 0 || end > this.strEnd) end = this.strEnd;
    return this.bytes.toString('utf8', start, end);
  }

  /** Decodes a type; undefined for an id out of range. */
  type(id: number): BtfType | undefined {
    if (id === 0) return { id, kind: 'void' };
    const off = this.ownOffset(id);
    if (off < 0) return this.base && id > 0 && id < this.firstId ? this.base.type(id) : undefined;
    const name = this.string(this.u32(off));
    const info = this.u32(off + 4);
    const vlen = info & 0xffff;
    const kindFlag = info >>> 31 === 1;
    const sizeOrType = this.u32(off + 8);
    const body = off + TYPE_HEADER;
    switch (this.kinds[id - this.firstId]) {
      case BtfKind.int: {
        const bits = this.u32(body);
        const encoding = (bits >>> 24) & 0x0f;
        return { id, kind: 'int', name, size: sizeOrType, signed: (encoding & 1) !== 0, char: (encoding & 2) !== 0, bool: (encoding & 4) !== 0, bits: bits & 0xff, bitOffset: (bits >>> 16) & 0xff };
      }
      case BtfKind.ptr:
        return { id, kind: 'ptr', type: sizeOrType };
      case BtfKind.array:
        return { id, kind: 'array', type: this.u32(body), indexType: this.u32(body + 4), nelems: this.u32(body + 8) };
      case BtfKind.struct:
      case BtfKind.union: {
        const members: BtfMember[] = [];
        for (let i = 0, m = body; i < vlen; i++, m += 12) {
          const raw = this.u32(m + 8);
          const member: BtfMember = { name: this.string(this.u32(m)), type: this.u32(m + 4), bitOffset: kindFlag ? raw & 0xffffff : raw };
          if (kindFlag && raw >>> 24) member.bitfieldSize = raw >>> 24;
          members.push(member);
        }
        return { id, kind: this.kinds[id - this.firstId] === BtfKind.struct ? 'struct' : 'union', name, size: sizeOrType, members };
      }
      case BtfKind.enum: {
        const values: BtfEnumValue[] = [];
        for (let i = 0, e = body; i < vlen; i++, e += 8) {
          const raw = this.u32(e + 4);
          values.push({ name: this.string(this.u32(e)), value: BigInt(kindFlag ? raw | 0 : raw) });
        }
        return { id, kind: 'enum', name, size: sizeOrType, signed: kindFlag, values };
      }
      case BtfKind.enum64: {
        const values: BtfEnumValue[] = [];
        for (let i = 0, e = body; i < vlen; i++, e += 12) {
          const value = (BigInt(this.u32(e + 8)) << 32n) | BigInt(this.u32(e + 4));
          values.push({ name: this.string(this.u32(e)), value: kindFlag ? BigInt.asIntN(64, value) : value });
        }
        return { id, kind: 'enum64', name, size: sizeOrType, signed: kindFlag, values };
      }
      case BtfKind.fwd:
        return { id, kind: 'fwd', name, union: kindFlag };
      case BtfKind.typedef:
        return { id, kind: 'typedef', name, type: sizeOrType };
      case BtfKind.volatile:
        return { id, kind: 'volatile', type: sizeOrType };
      case BtfKind.const:
        return { id, kind: 'const', type: sizeOrType };
      case BtfKind.restrict:
        return { id, kind: 'restrict', type: sizeOrType };
      case BtfKind.typeTag:
        return { id, kind: 'typeTag', name, type: sizeOrType };
      case BtfKind.func:
        return { id, kind: 'func', name, type: sizeOrType, linkage: vlen };
      case BtfKind.funcProto: {
        const params: BtfParam[] = [];
        let variadic = false;
        for (let i = 0, p = body; i < vlen; i++, p += 8) {
          const type = this.u32(p + 4);
          const nameOff = this.u32(p);
          // `...` is a last parameter without name or type.
          if (i === vlen - 1 && type === 0 && nameOff === 0) variadic = true;
          else params.push({ name: this.string(nameOff), type });
        }
        return { id, kind: 'funcProto', returnType: sizeOrType, params, variadic };
      }
      case BtfKind.var:
        return { id, kind: 'var', name, type: sizeOrType, linkage: this.u32(body) };
      case BtfKind.datasec: {
        const vars = [];
        for (let i = 0, v = body; i < vlen; i++, v += 12) vars.push({ type: this.u32(v), offset: this.u32(v + 4), size: this.u32(v + 8) });
        return { id, kind: 'datasec', name, size: sizeOrType, vars };
      }
      case BtfKind.float:
        return { id, kind: 'float', name, size: sizeOrType };
      case BtfKind.declTag:
        return { id, kind: 'declTag', name, type: sizeOrType, componentIndex: this.view.getInt32(body, this.le) };
      default:
        // A kind newer than this reader, skipped by the layout section: nothing to say about it.
        return undefined;
    }
  }

  /**
   * Calls `visit` with the id of each own named type of one of `kinds` (a
   * bit mask of 1 << kind) and the hash of its name (hashName's), without
   * decoding the name: how the name index is built.
   */
  forEachNameHash(kinds: number, visit: (id: number, hash: number) => void): void {
    for (let i = 0; i < this.kinds.length; i++) {
      if (((1 << this.kinds[i]) & kinds) === 0) continue;
      const nameOff = this.u32(this.offsets[i]);
      if (nameOff !== 0) visit(this.firstId + i, this.stringHash(nameOff));
    }
  }

  /** Whether a type's name is `name`, without decoding it. */
  nameIs(id: number, name: string): boolean {
    const off = this.ownOffset(id);
    if (off < 0) return !!this.base && id > 0 && id < this.firstId && this.base.nameIs(id, name);
    const nameOff = this.u32(off);
    if (nameOff < this.strBase) return this.base!.string(nameOff) === name;
    const start = this.strStart + nameOff - this.strBase;
    if (this.ascii !== undefined) {
      const at = start - this.strStart;
      return this.ascii.startsWith(name, at) && (at + name.length >= this.ascii.length || this.ascii.charCodeAt(at + name.length) === 0);
    }
    return this.string(nameOff) === name;
  }

  /** FNV-1a over the bytes of the string at an offset. */
  private stringHash(offset: number): number {
    if (offset < this.strBase) return this.base!.stringHash(offset);
    let h = FNV_OFFSET;
    for (let i = this.strStart + offset - this.strBase; i < this.strEnd; i++) {
      const c = this.bytes[i];
      if (c === 0) break;
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return h >>> 0;
  }

  /**
   * Calls `visit` with the id and name of each own type of one of `kinds`
   * (a bit mask of 1 << kind), decoding only those names.
   */
  forEachNamed(kinds: number, visit: (id: number, name: string) => void): void {
    for (let i = 0; i < this.kinds.length; i++) {
      if (((1 << this.kinds[i]) & kinds) === 0) continue;
      const nameOff = this.u32(this.offsets[i]);
      if (nameOff !== 0) visit(this.firstId + i, this.string(nameOff));
    }
  }

  private ownOffset(id: number): number {
    return id >= this.firstId && id < this.typeCount ? this.offsets[id - this.firstId] : -1;
  }

  private u32(off: number): number {
    return this.view.getUint32(off, this.le);
  }
}

/**
 * Where each type starts and its kind. The hot loop of a load (126,000
 * types): on little-endian data at an aligned offset, as on every x86 and
 * arm64 kernel, it reads words from a Uint32Array, which V8 runs fast even
 * before it optimizes; otherwise through the DataView.
 */
function scanTypes(view: DataView, le: boolean, typeStart: number, typeEnd: number, firstId: number, layout: [number, number] | undefined): { offsets: Uint32Array; kinds: Uint8Array } {
  // Every type is at least 12 bytes: that bounds the count.
  const offsets = new Uint32Array(Math.floor((typeEnd - typeStart) / TYPE_HEADER));
  const kinds = new Uint8Array(offsets.length);
  const aligned = le && (view.byteOffset + typeStart) % 4 === 0;
  const words = aligned ? new Uint32Array(view.buffer, view.byteOffset + typeStart, Math.floor((typeEnd - typeStart) / 4)) : undefined;
  let n = 0;
  for (let off = typeStart; off < typeEnd;) {
    if (off + TYPE_HEADER > typeEnd) throw new BtfError(`type ${firstId + n} is cut off`);
    const info = words ? words[(off - typeStart + 4) >>> 2] : view.getUint32(off + 4, le);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    let extra = extraBytes(kind, vlen);
    if (extra < 0 && layout && layout[0] + 4 * kind + 4 <= layout[1]) extra = view.getUint8(layout[0] + 4 * kind) + vlen * view.getUint8(layout[0] + 4 * kind + 1);
    if (extra < 0) throw new BtfError(`type ${firstId + n} has unknown kind ${kind}`);
    offsets[n] = off;
    kinds[n] = kind;
    n++;
    off += TYPE_HEADER + extra;
    if (off > typeEnd) throw new BtfError(`type ${firstId + n - 1} runs past the type section`);
  }
  return { offsets: offsets.slice(0, n), kinds: kinds.slice(0, n) };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** The hash Btf.forEachNameHash gives a name: FNV-1a over its UTF-8 bytes. */
export function hashName(name: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return hashBytes(Buffer.from(name, 'utf8'));
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h >>> 0;
}

function hashBytes(bytes: Uint8Array): number {
  let h = FNV_OFFSET;
  for (const c of bytes) h = Math.imul(h ^ c, FNV_PRIME);
  return h >>> 0;
}

/** A bit mask for Btf.forEachNamed. */
export const kindMask = (...kinds: number[]): number => kinds.reduce((m, k) => m | (1 << k), 0);
