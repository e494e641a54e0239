// The real machine as the doctor's probes see it: `/`, this process's ids,
// `uname -r`, stap's version from `stap -V` (an argument vector, no shell),
// and the runtime test compile's cache.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runStap } from './compileCheck';
import { Host } from './probes';
import { RuntimeCache } from './runtimeTest';

export function machineHost(stapPath: string, cache: RuntimeCache): Host {
  return {
    root: '/',
    env: process.env,
    uid: process.getuid?.() ?? -1,
    gids: process.getgroups?.() ?? [],
    thisRelease: os.release(),
    stapVersion: () => stapVersion(stapPath),
    hasExecutable: (name) => onPath(name),
    runtimeStatus: (release, version, buildDir) => cache.get(release, version, buildDir),
  };
}

/** `4.8/0.188` from "Systemtap translator/driver (version 4.8/0.188, Debian version 4.8-2)". */
export async function stapVersion(stapPath: string): Promise<string | undefined> {
  const run = await runStap(stapPath, ['-V'], { ...process.env, LC_ALL: 'C', LANG: 'C' }, undefined, 20_000);
  if (run.spawnError) return undefined;
  return /\(version ([^,)\s]+)/.exec(run.stderr + run.stdout)?.[1];
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir || '.', name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Where stap-check and other editors keep the runtime test's results. */
export function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'systemtap-guru');
}
