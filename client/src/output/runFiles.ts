// The files runs' output is kept in: one per run, in a `runs/` folder, named
// by the script and the time the run started so that a user can find one,
// and only the last few kept.
// Node only, no VS Code imports: unit-tested on its own.

import * as fs from 'fs';
import * as path from 'path';

export const RUNS_KEPT = 20;

/** `trace-2026-12-01_19-34-21.txt` for a run of trace.stp started then (local time). */
export function runFileName(script: string, started: Date): string {
  const base = script.includes('${') ? 'stap-task' : path.basename(script).replace(/\.stp$/, '');
  const safe =
    base
      .replace(/[^\w.-]+/g, '_')
      .replace(/^[.-]+/, '')
      .slice(0, 80) || 'script';
  const two = (n: number) => String(n).padStart(2, '0');
  const d = started;
  return `${safe}-${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}_${two(d.getHours())}-${two(d.getMinutes())}-${two(d.getSeconds())}.txt`;
}

/**
 * Makes an empty file for a new run in `folder` (created when missing), first
 * removing the oldest so that at most `kept` remain with the new one; files in
 * `inUse` are never removed. Returns its path.
 */
export function newRunFile(folder: string, script: string, started: Date, inUse: ReadonlySet<string> = new Set(), kept = RUNS_KEPT): string {
  fs.mkdirSync(folder, { recursive: true });
  pruneRunFiles(folder, kept - 1, inUse);
  const name = runFileName(script, started);
  for (let n = 1; ; n++) {
    const file = path.join(folder, n === 1 ? name : name.replace(/\.txt$/, `-${n}.txt`));
    try {
      // 'wx': a second run of the same script in the same second gets a file of its own.
      fs.closeSync(fs.openSync(file, 'wx'));
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** Removes the oldest run files until `kept` remain; files in use stay, and count. */
export function pruneRunFiles(folder: string, kept: number, inUse: ReadonlySet<string> = new Set()): void {
  let files: { file: string; mtime: number }[];
  try {
    files = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => path.join(folder, f))
      .map((file) => ({ file, mtime: fs.statSync(file).mtimeMs }));
  } catch {
    return;
  }
  files.sort((a, b) => a.mtime - b.mtime || a.file.localeCompare(b.file));
  let left = files.length;
  for (const { file } of files) {
    if (left <= Math.max(kept, 0)) break;
    if (inUse.has(file)) continue;
    fs.rmSync(file, { force: true });
    left--;
  }
}
