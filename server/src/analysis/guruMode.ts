// Guru mode (`stap -g`): what in a script needs it, and whether the script's
// `#!` line asks for it. Running a file whose `#!` line lacks -g fails; a -g
// that nothing needs switches off stap's safety checks for nothing.

import { EmbeddedRegion } from '../embedded/regions';
import { Expr, Script, Statement } from '../syntax/ast';
import { BodyFacts, movedRanges } from '../syntax/bodyFacts';
import { walkTree } from '../syntax/walk';
import { OffsetRange } from '../syntax/diagnostic';
import { Finding } from './diagnostic';
import { Shebang } from './shebang';

export interface GuruReason {
  start: number;
  end: number;
  /** What needs guru mode, as the message names it. */
  what: string;
  /** Embedded C, a write to a target variable (`name` is the variable), or an operator (`name` is the operator). */
  kind: 'embedded' | 'write' | 'operator';
  name?: string;
}

/** The places a guru-mode finding lists beside its message; a script with thousands of `%{ %}` blocks lists these many. */
export const MAX_LISTED_REASONS = 50;

export interface GuruInput {
  regions: EmbeddedRegion[];
  reasons: GuruReason[];
  shebang: Shebang | undefined;
  /** Guru mode declared outside the file (e.g. `stap-check -g`). */
  declaredGuru: boolean;
  isLibrary: boolean;
}

const GURU_OPERATORS = new Set(['@const', '@kregister', '@kderef']);
const EMBEDDED_C = "embedded C ('%{ %}')";

/** Everything in the script that needs guru mode, in text order. */
export function guruReasons(script: Script, regions: EmbeddedRegion[]): GuruReason[] {
  // C from tapset macros is library code and needs no guru mode.
  const reasons: GuruReason[] = regions.filter((r) => !r.code.expanded).map((r) => ({ start: r.code.start, end: r.code.start + 2, what: EMBEDDED_C, kind: 'embedded' }));
  for (const item of script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && reasons.push(...reasonsIn(b)));
    if (item.kind === 'function' && item.body?.kind === 'block') reasons.push(...reasonsIn(item.body));
  }
  return reasons.sort((a, b) => a.start - b.start);
}

/** What needs guru mode in each body, found once per body (bodyFacts.ts). */
const reasonsInBody = new BodyFacts<readonly GuruReason[]>(movedRanges);

function reasonsIn(root: Statement): readonly GuruReason[] {
  const known = reasonsInBody.get(root);
  if (known) return known;
  const reasons: GuruReason[] = [];
  walkTree(root, (node) => {
    if (node.kind === 'assign' || ((node.kind === 'unary' || node.kind === 'postfix') && (node.text === '++' || node.text === '--'))) {
      const written = node.children[0] as Expr;
      if (written && isTarget(written) && !written.text.startsWith('$$')) {
        const name = targetName(written);
        reasons.push({ start: written.start, end: written.end, what: `writing the target variable ${name}`, kind: 'write', name });
      }
    }
    if (node.kind === 'atOperator' && GURU_OPERATORS.has(node.text)) reasons.push({ start: node.start, end: node.start + node.text.length, what: node.text, kind: 'operator', name: node.text });
  });
  return reasonsInBody.set(root, reasons);
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
  const why = describeReasons(reasons);
  // One place is the diagnostic's own; several are listed, each clickable.
  const listed = reasons.length > 1 ? listedReasons(reasons) : [];
  const first = reasons[0];
  if (shebang?.runsStap && !shebang.guru) {
    return [
      {
        start: first.start,
        end: first.end,
        severity: 'warning',
        code: 'guru-mode-required',
        message: `this script needs guru mode for ${why}, but its '#!' line runs stap without -g: running this file fails (stap: "need stap -g")`,
        related: [{ start: shebang.start, end: shebang.end, message: "the '#!' line runs stap without -g" }, ...listed],
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
        message: `this script needs guru mode for ${why}: run it with 'stap -g'`,
        related: listed.length ? listed : undefined,
      },
    ];
  }
  return [];
}

/** Each place that needs guru mode, for the finding's related information (clickable under it in the editor). */
function listedReasons(reasons: GuruReason[]): (OffsetRange & { message: string })[] {
  const listed = reasons.slice(0, MAX_LISTED_REASONS).map((r) => ({ start: r.start, end: r.end, message: `${r.what} needs guru mode` }));
  if (reasons.length > MAX_LISTED_REASONS) {
    const last = reasons[reasons.length - 1];
    listed.push({ start: last.start, end: last.end, message: `and ${reasons.length - MAX_LISTED_REASONS} more places that need guru mode, the last of them here` });
  }
  return listed;
}

/**
 * Everything that needs guru mode in one phrase, grouped by what it is, in
 * the order each first appears: "embedded C ('%{ %}', 3 blocks), writing
 * target variables ($x, $y) and @const".
 */
export function describeReasons(reasons: readonly GuruReason[]): string {
  const groups = new Map<string, GuruReason[]>();
  for (const r of reasons) {
    const key = r.kind === 'operator' ? `operator ${r.name}` : r.kind;
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return joinWithAnd([...groups.values()].map(describeGroup));
}

function describeGroup(group: GuruReason[]): string {
  const [first] = group;
  const times = group.length === 1 ? '' : ` (${group.length} times)`;
  if (first.kind === 'embedded') return group.length === 1 ? EMBEDDED_C : `embedded C ('%{ %}', ${group.length} blocks)`;
  if (first.kind === 'operator') return first.what + times;
  const names = [...new Set(group.map((r) => r.name ?? ''))];
  if (names.length === 1) return `writing the target variable ${names[0]}${times}`;
  const shown = names.length > 4 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
  return `writing target variables (${shown.join(', ')})`;
}

/** "a", "a and b", "a, b and c". */
function joinWithAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
