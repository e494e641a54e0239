// The function-like macros of the kernel headers a `%{ %}` block includes,
// read from the target kernel's build tree when one is known. A macro such as
// `do_each_thread(g, t) { ... }` reads as a call missing its `;` to a C
// parser that does not preprocess; knowing the headers' macros, such an
// error is explained as the script's own `#define`s explain theirs
// (macroExplained.ts). Headers are searched as kbuild searches them and
// followed a few includes deep; each file's names are kept until its size or
// time changes.

import * as fs from 'fs';
import * as path from 'path';

export interface KernelHeaders {
  /**
   * The names of the function-like macros the headers behind these `#include` paths (`<linux/list.h>`)
   * define, and those of the headers they include up to `depth` (at most MAX_INCLUDE_DEPTH) includes deeper.
   */
  functionMacros(includes: readonly string[], depth: number): ReadonlySet<string>;
}

/** How many `#include`s deep below a block's own may be followed, and how many files one question reads at most. */
export const MAX_INCLUDE_DEPTH = 1;
const MAX_FILES = 300;

/** The kernel's name for an architecture's folder under arch/ (`uname -m` spelling in). */
export function kernelArchDir(arch: string): string {
  if (arch === 'x86_64' || /^i\d86$/.test(arch)) return 'x86';
  if (arch === 'aarch64' || arch === 'arm64') return 'arm64';
  if (arch.startsWith('arm')) return 'arm';
  if (arch.startsWith('ppc') || arch.startsWith('powerpc')) return 'powerpc';
  if (arch.startsWith('s390')) return 's390';
  if (arch.startsWith('riscv')) return 'riscv';
  if (arch.startsWith('mips')) return 'mips';
  if (arch.startsWith('loongarch')) return 'loongarch';
  return arch;
}

/**
 * The include folders of a kernel build tree, in kbuild's order (its LINUXINCLUDE and USERINCLUDE):
 * the arch's, the generated ones, include/, then the uapi ones. The sources may live apart from
 * the build tree: Debian's header packages name them in the Makefile (`include .../Makefile`), and
 * /lib/modules/RELEASE has them as `source` beside `build`.
 */
export function kernelIncludeDirs(buildTree: string, arch: string): string[] {
  const karch = kernelArchDir(arch);
  const sources = [buildTree, makefileSource(buildTree), path.join(path.dirname(buildTree), 'source')].filter(
    (d, i, all): d is string => !!d && all.indexOf(d) === i && isDir(path.join(d, 'include', 'linux')),
  );
  const src = sources[0];
  if (!src) return [];
  const obj = buildTree;
  const dirs = [
    path.join(src, 'arch', karch, 'include'),
    path.join(obj, 'arch', karch, 'include', 'generated'),
    path.join(src, 'include'),
    path.join(obj, 'include'),
    path.join(src, 'arch', karch, 'include', 'uapi'),
    path.join(obj, 'arch', karch, 'include', 'generated', 'uapi'),
    path.join(src, 'include', 'uapi'),
    path.join(obj, 'include', 'generated', 'uapi'),
  ];
  return dirs.filter((d, i) => dirs.indexOf(d) === i && isDir(d));
}

/**
 * The headers of a build tree; undefined when it has no include folders. The names found for a
 * set of includes are kept while the headers the blocks name keep their size and time: a header
 * they include is read again when one of those changes (a new kernel package changes them all).
 */
export function kernelHeaders(buildTree: string, arch: string): KernelHeaders | undefined {
  const dirs = kernelIncludeDirs(buildTree, arch);
  if (!dirs.length) return undefined;
  const answers = new Map<string, { named: string; macros: Set<string> }>();
  return {
    functionMacros: (includes, depth) => {
      const wanted = [...new Set(includes)].sort();
      const deepest = Math.max(0, Math.min(depth, MAX_INCLUDE_DEPTH));
      const key = `${deepest}\n${wanted.join('\n')}`;
      const files = wanted.map((include) => resolveInclude(dirs, include));
      const named = files
        .map((file) => {
          const stat = file && fs.statSync(file, { throwIfNoEntry: false });
          return stat ? `${file}:${stat.size}:${stat.mtimeMs}` : '';
        })
        .join('\n');
      const known = answers.get(key);
      if (known?.named === named) return known.macros;
      const macros = functionMacrosOf(dirs, files, deepest);
      if (answers.size >= MAX_ANSWERS) answers.clear();
      answers.set(key, { named, macros });
      return macros;
    },
  };
}

/** How many sets of includes one build tree keeps the answers of. */
const MAX_ANSWERS = 64;

interface HeaderFile {
  size: number;
  mtimeMs: number;
  macros: string[];
  includes: string[];
}

/** Each header read, by path: read again only when its size or time changed. */
const headerCache = new Map<string, HeaderFile>();

/** `files`: the headers the blocks include, found already (undefined: not found); the ones they include are found here. */
function functionMacrosOf(dirs: readonly string[], files: readonly (string | undefined)[], deepest: number): Set<string> {
  const macros = new Set<string>();
  const seen = new Set<string>();
  let level: readonly (string | undefined)[] = files;
  let includes: string[] = [];
  for (let depth = 0; depth <= deepest; depth++) {
    if (depth > 0) level = [...new Set(includes)];
    if (!level.length) break;
    includes = [];
    for (const entry of level) {
      const file = depth === 0 ? entry : entry && resolveInclude(dirs, entry);
      if (!file || seen.has(file) || seen.size >= MAX_FILES) continue;
      seen.add(file);
      const header = readHeader(file);
      if (!header) continue;
      for (const m of header.macros) macros.add(m);
      includes.push(...header.includes);
    }
  }
  return macros;
}

/** `<linux/list.h>` or `"linux/list.h"` to the first file of that name in the include folders; no absolute paths, no `..`. */
function resolveInclude(dirs: readonly string[], include: string): string | undefined {
  const name = /^[<"]([^<>"]+)[>"]$/.exec(include.trim())?.[1];
  if (!name || path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) return undefined;
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (isFile(file)) return file;
  }
  return undefined;
}

const DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)\(/gm;
const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"][^<>"\n]+[>"])/gm;

function readHeader(file: string): HeaderFile | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    headerCache.delete(file);
    return undefined;
  }
  const cached = headerCache.get(file);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached;
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const header: HeaderFile = {
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    macros: [...text.matchAll(DEFINE)].map((m) => m[1]),
    includes: [...text.matchAll(INCLUDE)].map((m) => m[1]),
  };
  headerCache.set(file, header);
  return header;
}

/** Debian's build trees hold a one-line Makefile, `include /usr/src/linux-headers-R-common/Makefile`: the sources' folder. */
function makefileSource(buildTree: string): string | undefined {
  try {
    const line = /^include\s+(\S+)\/Makefile\s*$/m.exec(fs.readFileSync(path.join(buildTree, 'Makefile'), 'utf8').slice(0, 4096))?.[1];
    return line && path.isAbsolute(line) ? line : undefined;
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  return !!fs.statSync(p, { throwIfNoEntry: false })?.isDirectory();
}

function isFile(p: string): boolean {
  return !!fs.statSync(p, { throwIfNoEntry: false })?.isFile();
}
