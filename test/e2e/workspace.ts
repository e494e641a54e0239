import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../support/paths';

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
  return workspace;
}
