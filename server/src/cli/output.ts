// What stap-check writes: text for people and logs.

import type { FileReport } from './checkFiles';

const TEXT_SEVERITY = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as const;

/**
 * The reports as gcc-style lines, `FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`,
 * each followed by its related places as `FILE:LINE:COL: note: MESSAGE`
 * (as gcc adds notes), which editors and `grep` read the same way.
 */
export function textReport(reports: readonly FileReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    const file = escapeControl(r.file);
    const at = (p: { line: number; character: number }) => `${file}:${p.line + 1}:${p.character + 1}`;
    for (const d of r.diagnostics) {
      out.push(`${at(d.range.start)}: ${TEXT_SEVERITY[d.severity]}: ${escapeControl(d.message)} [${escapeControl(d.code)}]\n`);
      for (const related of d.related ?? []) out.push(`${at(related.range.start)}: note: ${escapeControl(related.message)}\n`);
    }
  }
  return out.join('');
}

/**
 * Control characters shown as escapes (`\0`, `\n`, `\x1b`): a file name or a
 * message quoting a script must not reach a terminal or a log raw, nor split
 * a line of text output in two.
 */
export function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0) return '\\0';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${code.toString(16).padStart(2, '0')}`;
  });
}
