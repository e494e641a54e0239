import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';
import { HOSTILE_NAME } from './suite/runHelpers';

/** A scratch copy of samples/ and the fixtures: tests edit documents freely. */
export function prepareWorkspace(run: string, name = 'workspace'): string {
  const workspace = path.join(run, name);
  fs.cpSync(path.join(REPO_ROOT, 'samples'), workspace, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(workspace, 'fixtures'), { recursive: true });
  // Seeded random bytes: the server must survive them. No NUL bytes: VS Code
  // refuses to open those as text at all.
  let seed = 42;
  const bytes = Buffer.alloc(64 * 1024, 0).map(() => 1 + ((((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff) % 255));
  fs.writeFileSync(path.join(workspace, 'fixtures', 'random-bytes.stp'), bytes);
  // A name a shell would execute part of; made here, not committed, to spare other tools.
  fs.copyFileSync(path.join(workspace, 'fixtures', 'run', 'trace.stp'), path.join(workspace, 'fixtures', 'run', HOSTILE_NAME));
  fs.mkdirSync(path.join(workspace, '.vscode'));
  // A workspace must not be able to choose the executable: this value is ignored.
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'systemtap.stapPath': '/bin/false' }, null, 2));
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'tasks.json'),
    JSON.stringify(
      {
        version: '2.0.0',
        tasks: [
          {
            type: 'stap',
            label: 'trace with options',
            script: '${workspaceFolder}/fixtures/run/trace.stp',
            guru: false,
            args: ['-DMAXACTION=5000'],
            command: 'sleep 1',
            scriptArgs: ['from-tasks-json'],
          },
          { type: 'stap', label: 'trace relative', script: 'fixtures/run/trace.stp' },
        ],
      },
      null,
      2,
    ),
  );
  return workspace;
}
