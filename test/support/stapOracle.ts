// The real `stap` as the oracle for what parses. `stap -p1` wants a kernel
// build tree even to parse; a fake one (empty .config, Makefile, a two-line
// System.map and a kernel.release) is enough.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface StapVerdict {
  ok: boolean;
  /** 1-based line of each reported error ("... at FILE:LINE:COL"); undefined for errors at EOF. */
  errorLines: (number | undefined)[];
  stderr: string;
}

export function findStap(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'stap');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

let fakeTree: string | undefined;
export function fakeKernelTree(): string {
  if (fakeTree) return fakeTree;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-fake-kernel-'));
  fs.mkdirSync(path.join(dir, 'include', 'config'), { recursive: true });
  for (const f of ['.config', 'Module.symvers', 'Makefile']) fs.writeFileSync(path.join(dir, f), '');
  fs.writeFileSync(path.join(dir, 'System.map'), 'ffffffff81000000 T _text\nffffffff81000000 T startup_64\n');
  fs.writeFileSync(path.join(dir, 'include', 'config', 'kernel.release'), '6.1.0-fake\n');
  fakeTree = dir;
  return dir;
}

export function stapParse(stap: string, file: string, options: { guru?: boolean; args?: string[] } = {}): StapVerdict {
  const argv = ['-r', fakeKernelTree(), '-p1', ...(options.guru ? ['-g'] : []), file, ...(options.args ?? [])];
  const r = spawnSync(stap, argv, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  const stderr = r.stderr ?? '';
  const errorLines: (number | undefined)[] = [];
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of stderr.split('\n')) {
    const at = new RegExp(`(saw|at): .* at .*${base}:(\\d+):(\\d+)`).exec(line);
    if (at) errorLines.push(Number(at[2]));
    else if (/saw: .* EOF\s*$/.test(line)) errorLines.push(undefined);
  }
  return { ok: r.status === 0, errorLines, stderr };
}

/** In CI the oracle must be there; on a laptop without stap the test is skipped. */
export function stapOrSkip(): string | undefined {
  const stap = findStap();
  if (!stap && process.env.CI) throw new Error('stap is not installed, but CI must test against it (apt-get install systemtap)');
  return stap;
}
