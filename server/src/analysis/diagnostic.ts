// A finding of the analysis, in offsets. Converted to LSP ranges at the edge
// (features/diagnostics.ts) and to `FILE:LINE:COL` in the CLI.

import { OffsetRange } from '../syntax/diagnostic';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export type DiagnosticCode =
  | 'syntax'
  | 'stap-arg-unknown'
  | 'stap-arg-outside-function'
  | 'guru-mode-required'
  | 'guru-mode-unneeded'
  | 'retvalue-without-type'
  | 'retvalue-type-mismatch'
  | 'param-unused'
  | 'deprecated-this'
  | 'embedded-c-syntax'
  | 'function-unknown'
  | 'kernel-macro-renamed'
  | 'kernel-function-unknown'
  | 'target-variable-unknown'
  | 'target-member-unknown'
  | 'c-member-unknown'
  | 'type-mismatch'
  | 'type-unresolved'
  | 'stat-as-value'
  | 'array-arity'
  | 'array-undeclared'
  | 'foreach-modified'
  | 'lvalue-invalid'
  | 'function-arity'
  | 'format-arguments'
  | 'target-unresolved'
  | 'probe-point-unknown'
  | 'probe-point-invalid'
  | 'analysis-limited'
  | 'entry-outside-return'
  | 'procfs-value'
  | 'stat-local'
  | 'histogram-types'
  | 'regex-invalid'
  | 'elided-assignment'
  | 'local-never-assigned'
  | 'global-never-assigned'
  | 'no-probes'
  | 'probe-elided';

export interface Finding extends OffsetRange {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  related?: (OffsetRange & { message: string })[];
  /** Shown faded (unused) or struck through (deprecated). */
  tags?: ('unnecessary' | 'deprecated')[];
  /** Text an obvious quick fix puts in place of the range. */
  replacement?: string;
  /** Quick fixes beyond the replacement: each puts `text` in place of its own range. */
  fixes?: QuickFix[];
}

export interface QuickFix extends OffsetRange {
  title: string;
  text: string;
  preferred?: boolean;
}

/** The same finding `d` characters on: its range, its related places and its fixes. */
export function movedFinding(f: Finding, d: number): Finding {
  const moved: Finding = { ...f, start: f.start + d, end: f.end + d };
  if (f.related) moved.related = f.related.map((r) => ({ ...r, start: r.start + d, end: r.end + d }));
  if (f.fixes) moved.fixes = f.fixes.map((x) => ({ ...x, start: x.start + d, end: x.end + d }));
  return moved;
}
