// Just enough ELF to take a kernel's type data out of a `vmlinux` file: the
// section headers, the `.BTF` section, and the names of the function symbols
// in `.symtab`. A vmlinux with its debuginfo is hundreds of megabytes, so
// the file is read in pieces, never whole. Input is untrusted: every offset
// is checked against the file, and anything wrong throws ElfError.

export class ElfError extends Error {}

/** Reads pieces of a file. */
export interface RandomAccess {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface ElfSection {
  name: string;
  type: number;
  offset: number;
  size: number;
  /** For a symbol table: the index of its string table. */
  link: number;
  entsize: number;
}

export interface ElfFile {
  is64: boolean;
  littleEndian: boolean;
  sections: ElfSection[];
}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const STT_FUNC = 2;
/** More sections than this is not a kernel. */
const MAX_SECTIONS = 1 << 16;

export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/** A view of a piece that must lie within the file. */
async function piece(file: RandomAccess, offset: number, length: number, what: string): Promise<DataView> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > file.size) throw new ElfError(`the ${what} lies outside the file`);
  const bytes = await file.read(offset, length);
  if (bytes.length < length) throw new ElfError(`the ${what} is cut off`);
  return new DataView(bytes.buffer, bytes.byteOffset, length);
}

export async function readElf(file: RandomAccess): Promise<ElfFile> {
  const ident = await piece(file, 0, 16, 'ELF header');
  if (!isElf(new Uint8Array(ident.buffer, ident.byteOffset, 4))) throw new ElfError('not an ELF file');
  const is64 = ident.getUint8(4) === 2;
  const le = ident.getUint8(5) === 1;
  const header = await piece(file, 0, is64 ? 64 : 52, 'ELF header');
  const word = (v: DataView, off: number) => (is64 ? Number(v.getBigUint64(off, le)) : v.getUint32(off, le));
  const shoff = word(header, is64 ? 0x28 : 0x20);
  const shentsize = header.getUint16(is64 ? 0x3a : 0x2e, le);
  const shnum = header.getUint16(is64 ? 0x3c : 0x30, le);
  const shstrndx = header.getUint16(is64 ? 0x3e : 0x32, le);
  if (shnum === 0) return { is64, littleEndian: le, sections: [] };
  if (shentsize < (is64 ? 64 : 40) || shnum > MAX_SECTIONS) throw new ElfError('bad section header table');
  const table = await piece(file, shoff, shentsize * shnum, 'section header table');
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = i * shentsize;
    raw.push({
      nameOff: table.getUint32(at, le),
      type: table.getUint32(at + 4, le),
      offset: word(table, at + (is64 ? 24 : 16)),
      size: word(table, at + (is64 ? 32 : 20)),
      link: table.getUint32(at + (is64 ? 40 : 24), le),
      entsize: word(table, at + (is64 ? 56 : 36)),
    });
  }
  const names = shstrndx < raw.length ? await sectionBytes(file, raw[shstrndx], 'section name table') : new Uint8Array();
  const sections = raw.map((s) => ({ name: cString(names, s.nameOff), type: s.type, offset: s.offset, size: s.size, link: s.link, entsize: s.entsize }));
  return { is64, littleEndian: le, sections };
}

async function sectionBytes(file: RandomAccess, s: { type: number; offset: number; size: number }, what: string): Promise<Uint8Array> {
  if (s.type === SHT_NOBITS) return new Uint8Array();
  const v = await piece(file, s.offset, s.size, what);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

function cString(bytes: Uint8Array, offset: number): string {
  if (offset >= bytes.length) return '';
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset).toString('latin1');
}

/** A section's contents, undefined when there is no such section; `maxBytes` bounds what is read. */
export async function readSection(file: RandomAccess, elf: ElfFile, name: string, maxBytes: number): Promise<Uint8Array | undefined> {
  const section = elf.sections.find((s) => s.name === name);
  if (!section) return undefined;
  if (section.size > maxBytes) throw new ElfError(`the ${name} section is ${section.size} bytes, more than the ${maxBytes} read`);
  return sectionBytes(file, section, `${name} section`);
}

/** The names of the function symbols of `.symtab`; empty when the file has none (a stripped vmlinux). */
export async function readFunctionSymbols(file: RandomAccess, elf: ElfFile, maxBytes: number): Promise<string[]> {
  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab || symtab.link >= elf.sections.length) return [];
  const strtab = elf.sections[symtab.link];
  if (symtab.size + strtab.size > maxBytes) throw new ElfError(`the symbol table is ${symtab.size + strtab.size} bytes, more than the ${maxBytes} read`);
  const symbols = await sectionBytes(file, symtab, 'symbol table');
  const strings = await sectionBytes(file, strtab, 'symbol names');
  const view = new DataView(symbols.buffer, symbols.byteOffset, symbols.byteLength);
  const le = elf.littleEndian;
  const size = elf.is64 ? 24 : 16;
  const names: string[] = [];
  for (let at = 0; at + size <= symbols.length; at += size) {
    const info = view.getUint8(at + (elf.is64 ? 4 : 12));
    if ((info & 0xf) !== STT_FUNC) continue;
    const name = cString(strings, view.getUint32(at, le));
    if (name) names.push(name);
  }
  return names;
}

/** A RandomAccess over bytes in memory. */
export function bytesAccess(bytes: Uint8Array): RandomAccess {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}
