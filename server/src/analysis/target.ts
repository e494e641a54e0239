// The machine `%( kernel_v ... %)` conditions are evaluated for. Defaults to
// this machine, as stap does; overridable from settings or the CLI.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_TARGET, PreprocessorTarget } from '../syntax/preprocessor';

const NODE_TO_UNAME: Record<string, string> = { x64: 'x86_64', ia32: 'i386', arm64: 'aarch64', arm: 'arm', s390x: 's390x', ppc64: 'ppc64le', riscv64: 'riscv64' };

export function machineTarget(overrides: { kernelRelease?: string; arch?: string; guru?: boolean } = {}): PreprocessorTarget {
  return {
    ...DEFAULT_TARGET,
    kernelRelease: overrides.kernelRelease || os.release(),
    arch: overrides.arch || NODE_TO_UNAME[process.arch] || process.arch,
    guruMode: !!overrides.guru,
  };
}

/** The tapset subfolder stap uses for an architecture (`uname -m` spelling in). */
export function tapsetArchDir(arch: string): string {
  if (/^i\d86$/.test(arch)) return 'i386';
  if (arch === 'aarch64') return 'arm64';
  if (arch.startsWith('ppc')) return 'powerpc';
  if (arch.startsWith('s390')) return 's390';
  return arch;
}

/**
 * A kernel release as `stap -r` takes it: a release (`6.1.0-13-amd64`) or a
 * kernel build directory, whose release is in include/config/kernel.release.
 * Empty, or a directory without that file: undefined (this machine's).
 */
export function kernelReleaseOf(setting: string): string | undefined {
  if (!setting) return undefined;
  if (!setting.includes('/')) return setting;
  try {
    return fs.readFileSync(path.join(setting, 'include', 'config', 'kernel.release'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
