// The kernel's symbol table as /proc/kallsyms lists it: the names of its
// text symbols (`t`, `T`), which are the functions kprobes can reach, BTF or
// not. Without root the addresses read as zeros, but the names are listed
// all the same, and names are all this needs.

/** Text symbols of the kernel and of each loaded module. */
export interface KernelSymbols {
  kernel: string[];
  modules: Map<string, string[]>;
}

/**
 * The function name a symbol stands for: the compiler's clones
 * (`tcp_v4_connect.cold`, `foo.isra.0`, `bar.constprop.0`) are the function
 * before the dot, as stap's probe on `foo` finds them; the padding before
 * each function (`__pfx_foo`) and the CFI stubs (`__cfi_foo`) are not
 * functions anyone probes. Undefined for those.
 */
export function functionNameOf(symbol: string): string | undefined {
  if (symbol.startsWith('__pfx_') || symbol.startsWith('__cfi_')) return undefined;
  const dot = symbol.indexOf('.');
  return dot > 0 ? symbol.slice(0, dot) : dot === 0 ? undefined : symbol;
}

/**
 * A name as a string of its own: what a pattern matched is a slice of the
 * whole symbol table's text, which a kept name would keep alive (5 MB), and
 * which V8 sorts slowly.
 */
export function ownedName(name: string): string {
  return name.length < 13 ? name : Buffer.from(name, 'latin1').toString('latin1');
}

// `ffffffff81000000 T _stext` or `0000000000000000 t ext4_fill_super\t[ext4]`.
const TEXT_SYMBOL = /^[0-9a-fA-F]+ [tT] ([^\s]+)(?:\t\[([^\]\s]+)\])?$/gm;

/** The text symbols of a piece of kallsyms text (whole lines), added to `into`. */
function readChunk(text: string, into: KernelSymbols): void {
  TEXT_SYMBOL.lastIndex = 0;
  for (let m = TEXT_SYMBOL.exec(text); m; m = TEXT_SYMBOL.exec(text)) {
    const name = functionNameOf(m[1]);
    if (name === undefined) continue;
    if (m[2] === undefined) into.kernel.push(name);
    else {
      let list = into.modules.get(m[2]);
      if (!list) into.modules.set(ownedName(m[2]), (list = []));
      list.push(ownedName(name));
    }
  }
}

/** The text symbols of /proc/kallsyms text. */
export function parseKallsyms(text: string): KernelSymbols {
  const symbols: KernelSymbols = { kernel: [], modules: new Map() };
  readChunk(text, symbols);
  return symbols;
}

/**
 * The same, a megabyte of text at a time with a turn of the event loop
 * between: 120,000 lines must not hold up a keystroke's answer.
 */
export async function parseKallsymsInSteps(text: string, chunk = 1 << 20): Promise<KernelSymbols> {
  const symbols: KernelSymbols = { kernel: [], modules: new Map() };
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + chunk);
    if (end < text.length) {
      const newline = text.indexOf('\n', end);
      end = newline < 0 ? text.length : newline + 1;
    }
    readChunk(text.slice(start, end), symbols);
    start = end;
    if (start < text.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return symbols;
}
