// The VS Code side: starts the language server over IPC and registers the
// commands. Everything language-aware lives in the server.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('SystemTap Language Server');
  context.subscriptions.push(output);
  client = createClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('systemtap.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('systemtap.showServerOutput', () => output.show(true)),
  );
  await client.start();
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
