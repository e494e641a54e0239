// The `systemtap.*` settings the server reads, and how those that name files
// are resolved, the same way by the client (for `stap -I` in runs and checks)
// and the server (for the library it indexes). Imported by both sides, so it
// imports nothing but `path`.

import * as path from 'path';

/** The `systemtap.*` settings the server reads (see package.json). */
export interface ServerSettings {
  /** Kernel release, or a kernel build directory, that `%( kernel_v ... %)` is evaluated for; empty: this machine's. */
  kernelRelease: string;
  /** Architecture (`uname -m` spelling) for `%( arch == ... %)`; empty: this machine's. */
  arch: string;
  /** More tapset folders, as `stap -I DIR` adds them; a relative one is relative to the workspace folder of the document. */
  includePaths: string[];
  /** The target kernel's type data: a BTF file or a vmlinux with a .BTF section ('none': no kernel checks; empty: the running kernel's, when it is the target). */
  kernelTypes: string;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = { kernelRelease: '', arch: '', includePaths: [], kernelTypes: '' };

/**
 * `systemtap.run.extraArgs` from the `systemtap` section as the client hands
 * it (nested under `run`, or under its full key): the strings, in order.
 */
export function readRunExtraArgs(section: unknown): string[] {
  if (!section || typeof section !== 'object') return [];
  const s = section as { run?: { extraArgs?: unknown }; 'run.extraArgs'?: unknown };
  const list = s.run && typeof s.run === 'object' ? s.run.extraArgs : s['run.extraArgs'];
  return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];
}

/** Whether `file` is `folder` or below it. */
function holds(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/** The workspace folder (a path) `file` is in: the innermost that holds it; undefined when none does. */
export function workspaceFolderOf(file: string, folders: readonly string[]): string | undefined {
  let found: string | undefined;
  for (const folder of folders) if (holds(folder, file) && (found === undefined || folder.length > found.length)) found = folder;
  return found;
}

/**
 * `systemtap.kernelTypes` as a path: blank and 'none' as they are, a
 * relative path resolved as an include folder is.
 */
export function resolveKernelTypes(setting: unknown, file: string | undefined, folders: readonly string[]): string {
  if (typeof setting !== 'string' || setting.trim() === '') return '';
  if (setting.trim() === 'none') return 'none';
  const base = (file !== undefined ? workspaceFolderOf(file, folders) : undefined) ?? folders[0];
  return path.resolve(base ?? '', setting);
}

/**
 * `systemtap.includePaths` as folders: strings only, blank ones left out, a
 * relative one resolved against the workspace folder of `file` (a document,
 * or a workspace folder itself); for a file in no workspace folder, against
 * the first one, whose settings apply to it.
 */
export function resolveIncludePaths(setting: unknown, file: string | undefined, folders: readonly string[]): string[] {
  const base = (file !== undefined ? workspaceFolderOf(file, folders) : undefined) ?? folders[0];
  return (Array.isArray(setting) ? setting : []).filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => path.resolve(base ?? '', p));
}
