// The VS Code side: starts the language server over IPC and registers the
// commands. Everything language-aware lives in the server.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InactiveRegions } from './inactiveRegions';

let client: LanguageClient | undefined;

/** What the extension offers other extensions and the e2e tests. */
export interface SystemTapApi {
  inactiveRegions(uri: vscode.Uri): readonly vscode.Range[];
  onDidChangeInactiveRegions: vscode.Event<vscode.Uri>;
}

export async function activate(context: vscode.ExtensionContext): Promise<SystemTapApi> {
  const output = vscode.window.createOutputChannel('SystemTap Language Server');
  context.subscriptions.push(output);
  client = createClient(context, output);
  const inactive = new InactiveRegions(client);
  context.subscriptions.push(
    inactive,
    vscode.commands.registerCommand('systemtap.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('systemtap.showServerOutput', () => output.show(true)),
  );
  await client.start();
  return { inactiveRegions: (uri) => inactive.of(uri), onDidChangeInactiveRegions: inactive.onDidChange };
}

function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'systemtap' },
      { scheme: 'untitled', language: 'systemtap' },
    ],
    outputChannel: output,
  };
  return new LanguageClient('systemtap', 'SystemTap Language Server', serverOptions, clientOptions);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
