// The environment report as Markdown: what the editor shows and what
// `stap-check --environment` prints. Errors first, then warnings, then the rest.

import { EnvironmentReport, FindingSeverity } from './findings';

// Marks from the fonts every desktop has (DejaVu, Noto): colour emoji are missing on many Linux machines.
const MARK: Record<FindingSeverity, string> = { error: '✗ Error', warning: '⚠ Warning', info: 'ℹ Info', ok: '✓ OK' };
const ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2, ok: 3 };

export function reportMarkdown(report: EnvironmentReport, checkedAt: Date = new Date()): string {
  const problems = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const summary =
    problems > 0
      ? `**${problems} problem${problems === 1 ? '' : 's'}** will make runs fail${warnings ? `, and ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}.`
      : warnings > 0
        ? `Runs should work; ${warnings} warning${warnings === 1 ? '' : 's'}.`
        : 'Everything a run needs is in place.';
  const out = [
    `# SystemTap environment`,
    '',
    `Target kernel **${escape(report.release)}**, build tree \`${report.buildDir}\`${report.stapVersion ? `, stap ${escape(report.stapVersion)}` : ''}. Checked ${checkedAt.toISOString().replace(/\.\d+Z$/, 'Z')}.`,
    '',
    summary,
    '',
  ];
  const findings = [...report.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  for (const f of findings) {
    out.push(`## ${MARK[f.severity]}: ${escape(f.title)}`, '', escape(f.detail), '');
    // Not marked as shell: a fix may give two ways in words ("..., or ...").
    if (f.fix) out.push('Fix:', '', '```', f.fix, '```', '');
  }
  return out.join('\n');
}

/** The report as plain lines for a terminal: `SEVERITY  TITLE: DETAIL` and the fix under it. */
export function reportText(report: EnvironmentReport): string {
  const findings = [...report.findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return findings.map((f) => `${f.severity.padEnd(7)} ${f.title}: ${f.detail}${f.fix ? `\n        fix: ${f.fix}` : ''}\n`).join('');
}

// Markdown would read `*`, `_` and `<` in paths and messages as markup.
const escape = (text: string) => text.replace(/([\\`*_<>[\]])/g, '\\$1');
