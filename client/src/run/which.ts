// Finds an executable as a shell would: a path is taken as it is, a bare name
// is looked up on PATH. Pure: no VS Code imports.

import * as fs from 'fs';
import * as path from 'path';

export function findExecutable(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : envPath.split(path.delimiter).map((dir) => path.join(dir || '.', name));
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
