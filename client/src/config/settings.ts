// Reads the `systemtap.*` settings. The stap executable is only ever taken
// from the user's or the machine's settings, never from a workspace: opening
// a folder must not be able to choose what runs under sudo.

import * as path from 'path';
import * as vscode from 'vscode';
import { ClientSettings, DEFAULT_CLIENT_SETTINGS } from './defaults';

export function readSettings(scope?: vscode.Uri): ClientSettings {
  const config = vscode.workspace.getConfiguration('systemtap', scope);
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath) ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const get = <K extends keyof ClientSettings>(key: K): ClientSettings[K] => config.get<ClientSettings[K]>(key) ?? DEFAULT_CLIENT_SETTINGS[key];
  return {
    stapPath: stapPath(),
    'run.extraArgs': stringList(get('run.extraArgs')),
    'run.sudo': (['auto', 'always', 'never'] as const).find((m) => m === get('run.sudo')) ?? DEFAULT_CLIENT_SETTINGS['run.sudo'],
    'run.remote': stringList(get('run.remote')),
    'run.followKernelLog': !!get('run.followKernelLog'),
    checkOnSave: !!get('checkOnSave'),
    kernelRelease: String(get('kernelRelease') ?? ''),
    includePaths: stringList(get('includePaths')).map((p) => path.resolve(folder ?? '', p)),
  };
}

/** `systemtap.stapPath` from user or machine settings only; workspace values are ignored. */
export function stapPath(): string {
  const inspected = vscode.workspace.getConfiguration('systemtap').inspect<string>('stapPath');
  const value = inspected?.globalValue;
  return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_CLIENT_SETTINGS.stapPath;
}

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
