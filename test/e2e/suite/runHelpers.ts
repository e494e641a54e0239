import * as fs from 'fs';

/** A file name a shell would run `touch PWNED` for, if anything passed it to one. */
export const HOSTILE_NAME = "a b; $(touch PWNED) 'x'.stp";

export interface StandinRecord {
  pid: number;
  argv?: string[];
  cwd?: string;
  signal?: string;
}

/** What the stand-in stap recorded so far, one entry per start and per signal. */
export function standinRecords(log = process.env.STAP_STANDIN_LOG): StandinRecord[] {
  if (!log || !fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StandinRecord);
}

/** Polls until `probe` returns something; the timeout only names the hang. */
export async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} (waited ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
