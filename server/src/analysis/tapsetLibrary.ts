// Finds the installed tapset library and reads the macros its `.stpm` files
// define (`@define`), which stap makes visible to every script.

import * as fs from 'fs';
import * as path from 'path';
import { lex } from '../syntax/lexer';
import { MacroDefinition, preprocess } from '../syntax/preprocessor';

export const DEFAULT_TAPSET_DIRS = ['/usr/share/systemtap/tapset', '/usr/local/share/systemtap/tapset'];

// Subfolders stap reads only for another runtime or architecture.
const OTHER_RUNTIMES = new Set(['dyninst', 'bpf']);
const ARCH_DIRS = new Set(['i386', 'x86_64', 'ia64', 'powerpc', 's390', 'arm', 'arm64', 'mips', 'riscv']);

export function findTapsetDir(explicit?: string): string | undefined {
  if (explicit) return fs.existsSync(explicit) ? explicit : undefined;
  return DEFAULT_TAPSET_DIRS.find((d) => fs.existsSync(d));
}

/**
 * Files below `dir` with one of the extensions, in stable order. With `arch`,
 * only the folders stap reads for that architecture and the kernel runtime.
 */
export function listFiles(dir: string, extensions: string[], arch?: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (arch && (OTHER_RUNTIMES.has(e.name) || (ARCH_DIRS.has(e.name) && e.name !== arch))) continue;
        walk(p);
      } else if (extensions.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  walk(dir);
  return out;
}

export function loadLibraryMacros(dir: string | undefined, arch = 'x86_64'): Map<string, MacroDefinition> {
  const macros = new Map<string, MacroDefinition>();
  if (!dir) return macros;
  for (const file of listFiles(dir, ['.stpm'], arch)) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of preprocess(lex(text).tokens).macros) macros.set(m.name, { ...m, file });
  }
  return macros;
}
