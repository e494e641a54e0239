// Messages of our own between the client and the server, beyond LSP. Imported
// by both sides, so it imports nothing.

/** Server -> client: the untaken `%( %? %: %)` branches of a document. */
export const INACTIVE_REGIONS_NOTIFICATION = 'systemtap/inactiveRegions';

export interface InactiveRegionsParams {
  uri: string;
  regions: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}

/** Client -> server: what running a script needs (guru mode, script arguments). */
export const SCRIPT_INFO_REQUEST = 'systemtap/scriptInfo';

export interface ScriptInfoParams {
  uri: string;
}

export interface ScriptInfo {
  /** Something in the script needs `stap -g`. */
  needsGuru: boolean;
  /** What needs it, as messages name it: `embedded C ('%{ %}') at line 3`. */
  guruReasons: string[];
  /** The `#!` line runs stap with -g. */
  declaresGuru: boolean;
  /** The highest `$N`/`@N` the script reads: how many script arguments it needs. */
  scriptArgs: number;
}

/** The `systemtap.*` settings the server reads (see package.json). */
export interface ServerSettings {
  /** Kernel release, or a kernel build directory, that `%( kernel_v ... %)` is evaluated for; empty: this machine's. */
  kernelRelease: string;
  /** Architecture (`uname -m` spelling) for `%( arch == ... %)`; empty: this machine's. */
  arch: string;
  /** More tapset folders, as `stap -I DIR` adds them; relative to the workspace folder. */
  includePaths: string[];
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = { kernelRelease: '', arch: '', includePaths: [] };
