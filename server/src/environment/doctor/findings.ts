// What the environment doctor reports: one finding per thing a run needs,
// each with how bad it is and the command that fixes it.

export type FindingSeverity = 'ok' | 'info' | 'warning' | 'error';

export type FindingId = 'stap' | 'kernel' | 'headers' | 'debuginfo' | 'btf' | 'permission' | 'lockdown' | 'signing' | 'runtime';

export interface Finding {
  id: FindingId;
  /** What was checked, e.g. "Kernel build tree". */
  title: string;
  severity: FindingSeverity;
  /** What was found, in a sentence or two. */
  detail: string;
  /** The command (or step) that fixes it; absent when nothing needs fixing. */
  fix?: string;
}

export interface EnvironmentReport {
  /** The target kernel release, and where its build tree is expected. */
  release: string;
  buildDir: string;
  /** Whether the target kernel is the one this machine runs (lockdown, BTF and signing are only known then). */
  isThisMachine: boolean;
  stapVersion?: string;
  findings: Finding[];
}

/** A run fails for sure when one of these is an error. */
export const BLOCKING: readonly FindingId[] = ['stap', 'headers', 'permission', 'lockdown', 'signing', 'runtime'];

export function blockingFindings(report: EnvironmentReport): Finding[] {
  return report.findings.filter((f) => f.severity === 'error' && BLOCKING.includes(f.id));
}
