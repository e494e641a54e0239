// Guru mode (`stap -g`): what in a script needs it, and whether the script's
// `#!` line asks for it. Running a file whose `#!` line lacks -g fails; a -g
// that nothing needs switches off stap's safety checks for nothing.

import { EmbeddedRegion } from '../embedded/regions';
import { Expr, Script, Statement } from '../syntax/ast';
import { walkTree } from '../syntax/walk';
import { Finding } from './diagnostic';
import { Shebang } from './shebang';

export interface GuruReason {
  start: number;
  end: number;
  /** What needs guru mode, as the message names it. */
  what: string;
}

export interface GuruInput {
  regions: EmbeddedRegion[];
  reasons: GuruReason[];
  shebang: Shebang | undefined;
  /** Guru mode declared outside the file (e.g. `stap-check -g`). */
  declaredGuru: boolean;
  isLibrary: boolean;
}

const GURU_OPERATORS = new Set(['@const', '@kregister', '@kderef']);

/** Everything in the script that needs guru mode, in text order. */
export function guruReasons(script: Script, regions: EmbeddedRegion[]): GuruReason[] {
  // C from tapset macros is library code and needs no guru mode.
  const reasons: GuruReason[] = regions.filter((r) => !r.code.expanded).map((r) => ({ start: r.code.start, end: r.code.start + 2, what: "embedded C ('%{ %}')" }));
  const visit = (node: Statement | Expr) => {
    if (node.kind === 'assign' || ((node.kind === 'unary' || node.kind === 'postfix') && (node.text === '++' || node.text === '--'))) {
      const written = node.children[0] as Expr;
      if (written && isTarget(written) && !written.text.startsWith('$$')) {
        reasons.push({ start: written.start, end: written.end, what: `writing the target variable ${targetName(written)}` });
      }
    }
    if (node.kind === 'atOperator' && GURU_OPERATORS.has(node.text)) reasons.push({ start: node.start, end: node.start + node.text.length, what: node.text });
  };
  forEachBody(script, visit);
  return reasons.sort((a, b) => a.start - b.start);
}

/** The `$var` at the base of `$var`, `$var->field`, `$var[i]->field`. */
function targetBase(e: Expr): Expr | undefined {
  while (e.kind === 'member' && e.children.length > 0) e = e.children[0];
  return e.kind === 'target' ? e : undefined;
}
const isTarget = (e: Expr): boolean => !!targetBase(e);
const targetName = (e: Expr): string => targetBase(e)!.text;

/**
 * What `stap -p1 FILE` says without -g: an error on every embedded-C region,
 * and on every @const, @kregister and @kderef, those of tapset macros
 * included (stap reads a macro's tokens as the script's own).
 */
export function checkGuruModeAsStapParses({ regions, declaredGuru, isLibrary }: GuruInput, script: Script, text: string): Finding[] {
  if (isLibrary || declaredGuru) return [];
  const findings: Finding[] = regions
    .filter((r) => !r.code.expanded)
    .map((r) => ({
      start: r.code.start,
      end: r.code.start + 2,
      severity: 'error',
      code: 'guru-mode-required',
      message: `embedded ${r.context.kind === 'expression' ? 'expression ' : ''}code in unprivileged script; need stap -g`,
    }));
  forEachBody(script, (node) => {
    if (node.kind !== 'atOperator' || !GURU_OPERATORS.has(node.text)) return;
    const written = text.startsWith(node.text, node.start);
    findings.push({
      start: node.start,
      end: written ? node.start + node.text.length : node.end,
      severity: 'error',
      code: 'guru-mode-required',
      message: `using ${node.text} operator not permitted; need stap -g${written ? '' : ' (in the expansion of the macro used here)'}`,
    });
  });
  return findings.sort((a, b) => a.start - b.start);
}

/** Every node of every probe and function body. */
function forEachBody(script: Script, visit: (node: Statement | Expr) => void): void {
  for (const item of script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && walkTree(b, visit));
    if (item.kind === 'function' && item.body?.kind === 'block') walkTree(item.body, visit);
  }
}

export function checkGuruMode({ reasons, shebang, declaredGuru, isLibrary }: GuruInput): Finding[] {
  if (isLibrary || declaredGuru) return [];
  const shebangLine = shebang && { message: "the '#!' line", start: shebang.start, end: shebang.end };
  if (reasons.length === 0) {
    if (!shebang?.runsStap || !shebang.guru) return [];
    return [
      {
        start: shebang.start,
        end: shebang.end,
        severity: 'hint',
        code: 'guru-mode-unneeded',
        message: "the '#!' line runs stap with -g, but nothing in this script needs guru mode: without -g stap keeps its safety checks",
      },
    ];
  }
  const first = reasons[0];
  const more = reasons.length > 1 ? ` (and ${reasons.length - 1} more)` : '';
  if (shebang?.runsStap && !shebang.guru) {
    return [
      {
        start: first.start,
        end: first.end,
        severity: 'warning',
        code: 'guru-mode-required',
        message: `${first.what}${more} needs guru mode, but the '#!' line runs stap without -g: running this file fails (stap: "need stap -g")`,
        related: [shebangLine!],
      },
    ];
  }
  if (!shebang?.runsStap) {
    return [
      {
        start: first.start,
        end: first.end,
        severity: 'information',
        code: 'guru-mode-required',
        message: `${first.what}${more} needs guru mode: run this script with 'stap -g'`,
      },
    ];
  }
  return [];
}
