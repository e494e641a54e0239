// `npm start`: code-server on 127.0.0.1 with the freshly packaged VSIX
// installed and samples/ open. Runs until Ctrl+C.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installExtension, startCodeServer, vscodeTools } from '../test/support/codeServer';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const vsix = path.join(REPO_ROOT, 'dist-vsix', 'systemtap-guru.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);
  const tools = vscodeTools();
  // A fresh profile each time, so the VSIX just built is the one that runs.
  const run = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'systemtap-vscode', 'start');
  fs.rmSync(run, { recursive: true, force: true });
  fs.mkdirSync(run, { recursive: true });
  installExtension(tools, run, vsix);
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const server = await startCodeServer(tools, run, { port }).catch(() => startCodeServer(tools, run));
  const samples = path.join(REPO_ROOT, 'samples');
  console.log(`\nSystemTap extension running in VS Code (code-server):\n\n  ${server.url}/?folder=${encodeURIComponent(samples)}\n`);
  console.log('Open samples/mistakes.stp to see diagnostics. Press Ctrl+C to stop.');
  const stop = () => {
    server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await server.exited;
  console.error(`code-server exited (${code}); its log is in ${path.join(run, 'code-server.log')}`);
  process.exit(1);
}

main().catch((e) => {
  console.error(`npm start: ${(e as Error).message}`);
  process.exit(1);
});
