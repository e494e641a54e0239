// A script with embedded C must run with `stap -g`. When its `#!` line runs
// stap without -g, executing the file fails; say so before the user finds out.

import { EmbeddedRegion } from '../embedded/regions';
import { Finding } from './diagnostic';
import { Shebang } from './shebang';

export interface GuruInput {
  regions: EmbeddedRegion[];
  shebang: Shebang | undefined;
  /** Guru mode declared outside the file (e.g. `stap-check -g`). */
  declaredGuru: boolean;
  isLibrary: boolean;
}

/** The regions that need guru mode: C from tapset macros is library code. */
function needingGuru({ regions, declaredGuru, isLibrary }: GuruInput): EmbeddedRegion[] {
  return isLibrary || declaredGuru ? [] : regions.filter((r) => !r.code.expanded);
}

/** What `stap -p1 FILE` says without -g: an error on every embedded-C region. */
export function checkGuruModeAsStapParses(input: GuruInput): Finding[] {
  return needingGuru(input).map((r) => ({
    start: r.code.start,
    end: r.code.start + 2,
    severity: 'error',
    code: 'guru-mode-required',
    message: 'embedded code in unprivileged script; need stap -g',
  }));
}

export function checkGuruMode(input: GuruInput): Finding[] {
  const { shebang } = input;
  const own = needingGuru(input);
  if (own.length === 0) return [];
  const first = own[0].code;
  const range = { start: first.start, end: Math.min(first.end, first.start + 2) };
  if (shebang?.runsStap && !shebang.guru) {
    return [
      {
        ...range,
        severity: 'warning',
        code: 'guru-mode-required',
        message:
          "embedded C ('%{ %}') needs guru mode, but the '#!' line runs stap without -g: running this file fails with " +
          "\"embedded code in unprivileged script; need stap -g\"",
        related: [{ message: "the '#!' line", start: shebang.start, end: shebang.end }],
      },
    ];
  }
  if (!shebang?.runsStap) {
    return [
      {
        ...range,
        severity: 'information',
        code: 'guru-mode-required',
        message: "embedded C ('%{ %}') needs guru mode: run this script with 'stap -g'",
      },
    ];
  }
  return [];
}
