// Reads the `systemtap.*` settings. The stap executable is only ever taken
// from the user's or the machine's settings, never from a workspace: opening
// a folder must not be able to choose what runs under sudo.

import * as vscode from 'vscode';
import { resolveIncludePaths } from '../../../server/src/workspaceSettings';
import { ClientSettings, DEFAULT_CLIENT_SETTINGS } from './defaults';

export function readSettings(scope?: vscode.Uri): ClientSettings {
  const config = vscode.workspace.getConfiguration('systemtap', scope);
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const get = <K extends keyof ClientSettings>(key: K): ClientSettings[K] => config.get<ClientSettings[K]>(key) ?? DEFAULT_CLIENT_SETTINGS[key];
  return {
    stapPath: stapPath(),
    'run.extraArgs': stringList(get('run.extraArgs')),
    'run.sudo': (['auto', 'always', 'never'] as const).find((m) => m === get('run.sudo')) ?? DEFAULT_CLIENT_SETTINGS['run.sudo'],
    'run.remote': stringList(get('run.remote')),
    'run.followKernelLog': !!get('run.followKernelLog'),
    'outputView.openOnRun': !!get('outputView.openOnRun'),
    checkOnSave: !!get('checkOnSave'),
    kernelRelease: String(get('kernelRelease') ?? ''),
    // Resolved as the language server resolves them: against the scope's workspace folder.
    includePaths: resolveIncludePaths(get('includePaths'), scope?.scheme === 'file' ? scope.fsPath : undefined, folders),
  };
}

/** `systemtap.stapPath` from user or machine settings only; workspace values are ignored. */
export function stapPath(): string {
  const inspected = vscode.workspace.getConfiguration('systemtap').inspect<string>('stapPath');
  const value = inspected?.globalValue;
  return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_CLIENT_SETTINGS.stapPath;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
