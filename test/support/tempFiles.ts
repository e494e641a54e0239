// Temporary folders of small files for tests, removed when the test file ends.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after } from 'node:test';

/** Whether this machine can make a FIFO (coreutils' mkfifo; Node's fs cannot). */
export const canMkfifo = (() => {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Makes a FIFO at `file`. */
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

const made: string[] = [];
let cleanupRegistered = false;

/** A new folder holding `files` (relative path -> text), removed after the calling test file. */
export function tempFolder(prefix: string, files: Record<string, string> = {}): string {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    after(() => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
