// Findings of an analysis as LSP diagnostics.

import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { Finding, Severity } from '../analysis/diagnostic';
import { toLocation, toRange } from './lspRanges';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** A file of garbage must not flood the Problems panel. */
export const MAX_DIAGNOSTICS = 500;

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The findings to show: all of them, or the most severe first when there are too many, saying how many are left out. */
function shown(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_DIAGNOSTICS) return findings;
  const kept = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.start - b.start).slice(0, MAX_DIAGNOSTICS - 1);
  const note: Finding = {
    start: 0,
    end: 0,
    severity: 'information',
    code: 'analysis-limited',
    message: `${findings.length - kept.length} more findings not shown: the editor shows ${MAX_DIAGNOSTICS} per file, the most severe first; stap-check FILE lists them all`,
  };
  return [note, ...kept.sort((a, b) => a.start - b.start)];
}

export function toDiagnostics(analysis: Analysis, document: TextDocument): Diagnostic[] {
  return shown(analysis.findings).map((f) => {
    const d: Diagnostic = {
      range: toRange(document, f),
      severity: SEVERITY[f.severity],
      code: f.code,
      source: 'systemtap',
      message: f.message,
    };
    if (f.tags?.length) d.tags = f.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => DiagnosticRelatedInformation.create(toLocation(document, r), r.message));
    }
    return d;
  });
}
