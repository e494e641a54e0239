// Findings of an analysis as LSP diagnostics.

import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { Severity } from '../analysis/diagnostic';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A file of garbage must not flood the Problems panel. */
export const MAX_DIAGNOSTICS = 500;

export function toDiagnostics(analysis: Analysis, document: TextDocument): Diagnostic[] {
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });
  return analysis.findings.slice(0, MAX_DIAGNOSTICS).map((f) => {
    const d: Diagnostic = {
      range: range(f.start, f.end),
      severity: SEVERITY[f.severity],
      code: f.code,
      source: 'systemtap',
      message: f.message,
    };
    if (f.tags?.length) d.tags = f.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => DiagnosticRelatedInformation.create({ uri: document.uri, range: range(r.start, r.end) }, r.message));
    }
    return d;
  });
}
