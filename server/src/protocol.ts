// Messages of our own between the client and the server, beyond LSP, typed
// once for both sides. Imported by both, so it imports nothing but the
// JSON-RPC message types they share.

import { NotificationType, RequestType } from 'vscode-jsonrpc';

export interface InactiveRegionsParams {
  uri: string;
  regions: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}

/** Server -> client: the untaken `%( %? %: %)` branches of a document. */
export const INACTIVE_REGIONS_NOTIFICATION = new NotificationType<InactiveRegionsParams>('systemtap/inactiveRegions');

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

/** Client -> server: what running a script needs (guru mode, script arguments); null for a document the server does not have open. */
export const SCRIPT_INFO_REQUEST = new RequestType<ScriptInfoParams, ScriptInfo | null, void>('systemtap/scriptInfo');

// The settings the server reads live with their resolution, which the environment uses too.
export { DEFAULT_SERVER_SETTINGS, ServerSettings } from './workspaceSettings';
