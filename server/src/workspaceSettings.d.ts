/** The `systemtap.*` settings the server reads (see package.json). */
export interface ServerSettings {
  /** Kernel release, or a kernel build directory, that `%( kernel_v ... %)` is evaluated for; empty: this machine's. */
  kernelRelease: string;
  /** Architecture (`uname -m` spelling) for `%( arch == ... %)`; empty: this machine's. */
  arch: string;
  /** More tapset folders, as `stap -I DIR` adds them; a relative one is relative to the workspace folder of the document. */
  includePaths: string[];
}
export declare const DEFAULT_SERVER_SETTINGS: ServerSettings;
/** The workspace folder (a path) `file` is in: the innermost that holds it; undefined when none does. */
export declare function workspaceFolderOf(file: string, folders: readonly string[]): string | undefined;
/**
 * `systemtap.includePaths` as folders: strings only, blank ones left out, a
 * relative one resolved against the workspace folder of `file` (a document,
 * or a workspace folder itself); for a file in no workspace folder, against
 * the first one, whose settings apply to it.
 */
export declare function resolveIncludePaths(setting: unknown, file: string | undefined, folders: readonly string[]): string[];
