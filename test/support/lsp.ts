// Talking to the bundled server over stdio, as another editor would.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER } from './paths';

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number } }; code: string; message: string; severity: number }[];
}

let cacheHome: string | undefined;

/**
 * An `XDG_CACHE_HOME` for the servers a test process starts, so that they
 * keep their tapset index there and not in the user's own cache; removed
 * when the process exits.
 */
export function testCacheHome(): string {
  if (!cacheHome) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-test-cache-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    cacheHome = dir;
  }
  return cacheHome;
}

/** Starts `node dist/server.js --stdio`; the caller initializes it. `cacheHome`: its XDG_CACHE_HOME (default testCacheHome()). */
export function startServer(options: { cacheHome?: string } = {}): { connection: MessageConnection; child: ReturnType<typeof spawn> } {
  const env = { ...process.env, XDG_CACHE_HOME: options.cacheHome ?? testCacheHome() };
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  return { connection, child };
}

/** Ends a server started by `startServer`, so that the test process can exit. */
export function stopServer({ connection, child }: { connection: MessageConnection; child: ReturnType<typeof spawn> }): void {
  connection.dispose();
  child.stdin?.end();
  child.stdout?.destroy();
  child.kill();
  child.unref();
}

/** The next diagnostics published for `uri` that satisfy `predicate`. */
export function diagnosticsFor(connection: MessageConnection, uri: string, predicate: (p: PublishedDiagnostics) => boolean): Promise<PublishedDiagnostics> {
  return new Promise((resolve) => {
    const d = connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      if (p.uri === uri && predicate(p)) {
        d.dispose();
        resolve(p);
      }
    });
  });
}
