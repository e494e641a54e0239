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

/**
 * Client -> server: what running a script needs (guru mode, script arguments); null for a document the server does not have open.
 * Our client reads the pushed notification below and asks only when no push came; other editors may simply ask.
 */
export const SCRIPT_INFO_REQUEST = new RequestType<ScriptInfoParams, ScriptInfo | null, void>('systemtap/scriptInfo');

export interface PublishScriptInfoParams {
  uri: string;
  /** The document version the info was computed from, as in `textDocument/publishDiagnostics`. */
  version: number;
  info: ScriptInfo;
}

/**
 * Server -> client: what running a script needs, sent with every publication of the document's diagnostics
 * (from the same analysis, just before them), so that the client need not ask.
 */
export const PUBLISH_SCRIPT_INFO_NOTIFICATION = new NotificationType<PublishScriptInfoParams>('systemtap/publishScriptInfo');

export interface ScriptArgumentsParams {
  uri: string;
  /** The arguments the file's last run was given; null to forget them. */
  args: string[] | null;
}

/**
 * Client -> server: the script arguments remembered for a file (its last run). The server then reads `$N`/`@N` as
 * that run would, and warns of a `$N` past the last of them (the next run asks for the arguments again).
 */
export const SCRIPT_ARGUMENTS_NOTIFICATION = new NotificationType<ScriptArgumentsParams>('systemtap/scriptArguments');

// The settings the server reads live with their resolution, which the environment uses too.
export { DEFAULT_SERVER_SETTINGS, ServerSettings } from './workspaceSettings';
