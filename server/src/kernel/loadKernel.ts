// Finds and loads the target kernel's type data. Sources, in order: the file
// the settings name (`systemtap.kernelTypes`, `stap-check --kernel-types`:
// raw BTF, or a vmlinux ELF with a .BTF section), else, when the target is
// the running kernel, /sys/kernel/btf/vmlinux, its modules' BTF beside it,
// and /proc/kallsyms. For any other kernel there is nothing: the data of the
// running kernel would be wrong data, so none is used and the status says so.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Btf } from './btf';
import { ElfFile, isElf, RandomAccess, readElf, readFunctionSymbols, readSection } from './elf';
import { functionNameOf, KernelSymbols, parseKallsymsInSteps } from './kallsyms';
import { KernelTypes } from './kernelTypes';

/** Far above a kernel's BTF (5.5 MB) or symbol table; a file named by mistake is not read whole. */
const MAX_BTF_BYTES = 256 << 20;
const MAX_SYMTAB_BYTES = 256 << 20;
const MAX_KALLSYMS_BYTES = 64 << 20;
const MAX_MODULE_BTF_BYTES = 64 << 20;
/** Read without yielding to the event loop: a few milliseconds' worth. */
const READ_SLICE = 256 << 10;

export interface KernelSources {
  /** Where the running kernel publishes its BTF. */
  sysBtfDir: string;
  kallsyms: string;
  /** The running kernel's release (`uname -r`). */
  runningRelease: string;
}

export const MACHINE_SOURCES: KernelSources = { sysBtfDir: '/sys/kernel/btf', kallsyms: '/proc/kallsyms', runningRelease: os.release() };

export interface KernelRequest {
  /** A file of type data, 'none' for no kernel checks, '' for the running kernel's when it is the target. */
  kernelTypes: string;
  /** The release of the kernel scripts are checked for. */
  kernelRelease: string;
}

export type KernelLoad =
  | {
      state: 'loaded';
      types: KernelTypes;
      /** Said once: where the data came from, what it holds, how long it took. */
      message: string;
      /** The symbol table, which comes after the BTF; resolves (never rejects) once it is in, with a line to log if it failed. */
      symbols: Promise<string | undefined>;
    }
  /** No data for the target kernel (or none wanted): the kernel checks stay quiet. */
  | { state: 'none'; message: string }
  /** A file named in the settings that cannot be used. */
  | { state: 'failed'; message: string };

interface SharedLoad {
  load: Promise<KernelLoad>;
  users: number;
}

const shared = new Map<string, SharedLoad>();

/**
 * The kernel data for a request, loaded once however many environments (one
 * per workspace folder with its own settings) ask for the same kernel; each
 * calls `release` when done with it, and the last one lets it go. `first`:
 * this call started the load (and is the one to tell of it).
 */
export function acquireKernel(request: KernelRequest, sources: KernelSources = MACHINE_SOURCES): { load: Promise<KernelLoad>; first: boolean; release: () => void } {
  const key = JSON.stringify([request.kernelTypes, request.kernelRelease, sources.sysBtfDir, sources.kallsyms, sources.runningRelease]);
  let entry = shared.get(key);
  const first = !entry;
  if (!entry) shared.set(key, (entry = { load: loadKernel(request, sources), users: 0 }));
  entry.users++;
  let released = false;
  return {
    load: entry.load,
    first,
    release: () => {
      if (released) return;
      released = true;
      if (--entry.users === 0 && shared.get(key) === entry) shared.delete(key);
    },
  };
}

/** Loads what there is for the request; never rejects. */
export async function loadKernel(request: KernelRequest, sources: KernelSources = MACHINE_SOURCES): Promise<KernelLoad> {
  if (request.kernelTypes === 'none') return { state: 'none', message: 'kernel checks are off (kernel types: none)' };
  const started = performance.now();
  if (request.kernelTypes) {
    try {
      const { types, symbols } = await loadFile(request.kernelTypes);
      types.symbolsExpected = false;
      return { state: 'loaded', types, message: summary(types, started, symbols), symbols: Promise.resolve(undefined) };
    } catch (e) {
      return { state: 'failed', message: `cannot use the kernel types file ${request.kernelTypes}: ${reason(e)}; the kernel checks are off` };
    }
  }
  if (request.kernelRelease !== sources.runningRelease) {
    return {
      state: 'none',
      message: `no type data for kernel ${request.kernelRelease} (this machine runs ${sources.runningRelease}): kernel functions, target variables and members are not checked; set systemtap.kernelTypes (stap-check --kernel-types) to that kernel's vmlinux or BTF file`,
    };
  }
  const vmlinux = path.join(sources.sysBtfDir, 'vmlinux');
  let btf: Btf;
  let source = vmlinux;
  try {
    btf = new Btf(await readBytes(vmlinux, MAX_BTF_BYTES));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { state: 'failed', message: `cannot read ${vmlinux}: ${reason(e)}; the kernel checks are off` };
    // A kernel built without BTF: function names from the symbol table only.
    btf = new Btf(emptyBtf());
    source = `${sources.kallsyms} (this kernel has no BTF: function names only)`;
  }
  const types = new KernelTypes(btf, {
    source,
    loadModule: btf.ownTypeCount > 0 ? (name) => loadModuleBtf(sources.sysBtfDir, name, btf) : undefined,
    listModules: btf.ownTypeCount > 0 ? () => fs.readdirSync(sources.sysBtfDir) : undefined,
  });
  types.symbolsExpected = true;
  const message = summary(types, started);
  const symbols = loadKallsyms(sources.kallsyms).then(
    async (symbols) => {
      types.addSymbols(symbols.kernel, symbols.modules);
      await types.warmUp();
      return undefined;
    },
    (e) => {
      types.symbolsExpected = false;
      return `cannot read ${sources.kallsyms}: ${reason(e)}; kernel functions without BTF are not known`;
    },
  );
  if (btf.ownTypeCount === 0) {
    // Nothing to offer until the names are in.
    const failed = await symbols;
    if (failed) return { state: 'none', message: `no type data for this kernel: neither ${vmlinux} nor ${sources.kallsyms} can be read` };
  }
  return { state: 'loaded', types, message, symbols };
}

function summary(types: KernelTypes, started: number, symbolCount?: number): string {
  const c = types.counts;
  const symbols = symbolCount !== undefined ? `, ${symbolCount} function symbols` : '';
  return `kernel types: ${types.source}: ${c.types} types, ${c.functions} functions${symbols} in ${Math.round(performance.now() - started)} ms`;
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a folder' };
  return known[err?.code ?? ''] ?? (err?.message || String(e));
}

/** A file named in the settings: raw BTF, or an ELF (vmlinux) with a .BTF section and perhaps a symbol table. */
async function loadFile(file: string): Promise<{ types: KernelTypes; symbols: number }> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    const access: RandomAccess = {
      size: st.size,
      read: async (offset, length) => {
        const buf = Buffer.allocUnsafe(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buf.subarray(0, done);
      },
    };
    const head = await access.read(0, Math.min(4, st.size));
    if (!isElf(head)) {
      if (st.size > MAX_BTF_BYTES) throw new Error(`${st.size} bytes is too large for BTF`);
      return { types: new KernelTypes(new Btf(await access.read(0, st.size)), { source: file }), symbols: 0 };
    }
    const elf: ElfFile = await readElf(access);
    const section = await readSection(access, elf, '.BTF', MAX_BTF_BYTES);
    if (!section) throw new Error('an ELF file without a .BTF section (a kernel built without CONFIG_DEBUG_INFO_BTF?)');
    const btf = new Btf(section);
    const names = (await readFunctionSymbols(access, elf, MAX_SYMTAB_BYTES)).map(functionNameOf).filter((n): n is string => n !== undefined);
    return { types: new KernelTypes(btf, { source: file, symbols: names }), symbols: names.length };
  } finally {
    await handle.close();
  }
}

/** A module's split BTF from /sys/kernel/btf/<module>, read when a script first probes the module. */
function loadModuleBtf(dir: string, name: string, base: Btf): Btf | undefined {
  const file = path.join(dir, name);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_MODULE_BTF_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let done = 0;
    while (done < st.size) {
      const n = fs.readSync(fd, buf, done, st.size - done, done);
      if (n === 0) break;
      done += n;
    }
    return new Btf(buf.subarray(0, done), base);
  } finally {
    fs.closeSync(fd);
  }
}

async function loadKallsyms(file: string): Promise<KernelSymbols> {
  const bytes = await readBytes(file, MAX_KALLSYMS_BYTES);
  return parseKallsymsInSteps(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

/**
 * A whole file, of at most maxBytes. /proc and /sys files may say size 0
 * (kallsyms) or their true size (BTF), and give 4 KiB a read: an
 * asynchronous read each would be 1,300 trips through the thread pool, so
 * they are read synchronously, a slice at a time, with a turn of the event
 * loop between slices. Only regular files: a FIFO named in the settings must
 * not hang the load.
 */
async function readBytes(file: string, maxBytes: number): Promise<Uint8Array> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new Error('not a regular file');
    let buf = Buffer.allocUnsafe(Math.min(Math.max(st.size, 1 << 16), maxBytes) + 1);
    let total = 0;
    for (let sliceEnd = READ_SLICE; ; sliceEnd = total + READ_SLICE) {
      if (total === buf.length) {
        if (buf.length > maxBytes) throw new Error(`larger than ${maxBytes >> 20} MiB`);
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger);
        buf = bigger;
      }
      const bytesRead = fs.readSync(handle.fd, buf, total, Math.min(buf.length, sliceEnd) - total, null);
      if (bytesRead === 0) return buf.subarray(0, total);
      total += bytesRead;
      if (total >= sliceEnd) await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await handle.close();
  }
}

/** BTF with no types: a kernel without BTF still has its function names. */
function emptyBtf(): Uint8Array {
  const b = Buffer.alloc(25);
  b.writeUInt16LE(0xeb9f, 0);
  b.writeUInt8(1, 2);
  b.writeUInt32LE(24, 4);
  b.writeUInt32LE(0, 8); // types: none
  b.writeUInt32LE(0, 12);
  b.writeUInt32LE(0, 16); // strings: the empty one
  b.writeUInt32LE(1, 20);
  return b;
}
