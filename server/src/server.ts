#!/usr/bin/env node
// The SystemTap language server. Started by the VS Code client over IPC, or by
// any LSP client with `--stdio`.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { StapServer } from './stapServer';

// Without a transport createConnection throws, and Node prints the minified line it threw from.
const USAGE = 'usage: stap-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME';
if (!hasTransport(process.argv.slice(2))) {
  const help = process.argv.includes('--help') || process.argv.includes('-h');
  (help ? process.stdout : process.stderr).write(USAGE + '\n');
  process.exit(help ? 0 : 2);
}

/** Whether vscode-languageserver/node finds how to talk in these arguments, read as it reads them. */
function hasTransport(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--stdio' || arg === '--node-ipc') return true;
    if (arg === '--socket') return !!parseInt(args[i + 1] ?? '');
    if (arg === '--pipe') return !!args[i + 1];
    const [name, value = ''] = arg.split('=');
    if (name === '--socket') return !!parseInt(value);
    if (name === '--pipe') return !!value;
  }
  return false;
}

const connection = createConnection(ProposedFeatures.all);
new StapServer({ version: typeof VERSION === 'string' ? VERSION : undefined }).register(connection);

declare const VERSION: string; // injected by the bundler

connection.listen();
