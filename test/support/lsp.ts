// Talking to the bundled server over stdio, as another editor would.
import { spawn } from 'node:child_process';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER } from './paths';

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number } }; code: string; message: string; severity: number }[];
}

/** Starts `node dist/server.js --stdio`; the caller initializes it. */
export function startServer(): { connection: MessageConnection; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
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
