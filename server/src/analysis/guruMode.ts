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

export function checkGuruMode({ regions, shebang, declaredGuru, isLibrary }: GuruInput): Finding[] {
  // C from tapset macros is library code and needs no guru mode.
  const own = regions.filter((r) => !r.code.expanded);
  if (isLibrary || declaredGuru || own.length === 0) return [];
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
